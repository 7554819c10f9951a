"""`python -m strategists.planner.core`: the pure solver from the shell, without Django."""

import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
