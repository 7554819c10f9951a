"""The `strategists` command: Django's management commands under one name.

`strategists serve`, `strategists demo`, `strategists check --deploy`, `strategists plan ...`,
`strategists ask ...`, `strategists import-resources FILE` and every other management command.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategists.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "strategists"
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        # Command names like `import-resources` map to Django's `import_resources`.
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
