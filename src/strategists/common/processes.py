"""How the platform's long-running commands (serve, worker) end."""

import signal
import sys


def stop_on_sigterm() -> None:
    """SIGTERM (systemd, a container runtime, kill) ends the process through `finally`, as
    Ctrl-C does, so the processes it started never stay behind."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
