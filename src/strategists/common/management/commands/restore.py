"""`strategists restore FILE`: load a `strategists backup` into this database, SQLite or
PostgreSQL. It refuses a database that already holds people unless told to replace them."""

import json
import stat
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Load FILE (written by `strategists backup`) into this database; --keys restores the signing keys."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--keys", metavar="KEYS_FILE", help="also restore the signing keys from this file"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the data of a database that is not empty (everything in it is lost)",
        )

    def handle(self, *args, file, keys=None, replace=False, **options):
        if not Path(file).is_file():
            raise CommandError(f"No backup at {file}.")
        call_command("migrate", interactive=False, verbosity=0)
        people = apps.get_model(settings.AUTH_USER_MODEL).objects.count()
        if people and not replace:
            raise CommandError(
                f"This database already holds {people} people. Restore into an empty database, "
                "or pass --replace to replace everything in it."
            )
        with transaction.atomic():
            # The migrations' own rows (cities, skill areas, the framework) are in the backup too;
            # flushing first makes the restored database exactly the backed-up one.
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", file, verbosity=0)
        self.stdout.write(f"Data restored from {file}.")
        if keys:
            count = read_keys(Path(keys))
            self.stdout.write(
                self.style.WARNING(
                    f"{count} signing keys restored into {settings.SIGNING_KEYS_DIR}."
                )
            )


def read_keys(path: Path) -> int:
    try:
        document = json.loads(path.read_text())
        files = document["files"] if document.get("format") == "strategists-signing-keys" else None
    except (OSError, ValueError, KeyError, AttributeError) as error:
        raise CommandError(
            f"{path} is not a signing-keys file written by `strategists backup --keys`."
        ) from error
    if not isinstance(files, dict):
        raise CommandError(
            f"{path} is not a signing-keys file written by `strategists backup --keys`."
        )
    folder = Path(settings.SIGNING_KEYS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if Path(name).name != name:
            raise CommandError(f"Refusing a key file name with a path in it: {name!r}.")
        target = folder / name
        target.write_text(content)
        target.chmod(stat.S_IRUSR | stat.S_IWUSR)
    return len(files)
