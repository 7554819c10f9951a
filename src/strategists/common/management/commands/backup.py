"""`strategists backup FILE`: every row of the platform's data in one file that `strategists
restore` loads into an empty database, SQLite or PostgreSQL, either way round. The signing keys
are NOT in it: they go, only when asked, to a separate file, because whoever holds them can sign
credentials in the program's name."""

import json
import stat
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# Rows Django makes again itself when it migrates; their ids differ between databases.
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]


class Command(BaseCommand):
    help = "Write all data to FILE (JSON; .gz, .bz2, .xz compress). The signing keys go separately, with --keys."

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the data, e.g. backup-2027-01-31.json.gz")
        parser.add_argument(
            "--keys",
            metavar="KEYS_FILE",
            help="also write the credential signing keys to this separate file",
        )

    def handle(self, *args, file, keys=None, **options):
        target = Path(file)
        if keys and Path(keys).resolve() == target.resolve():
            raise CommandError(
                "The signing keys must go to a file of their own, not into the data file."
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        call_command(
            "dumpdata", exclude=EXCLUDED, natural_foreign=False, output=str(target), verbosity=0
        )
        self.stdout.write(f"Data written to {target}.")
        if keys:
            count = write_keys(Path(keys))
            self.stdout.write(
                self.style.WARNING(
                    f"SIGNING KEYS ({count}) written to {keys}. Whoever holds this file can sign credentials "
                    "in the program's name: keep it offline, apart from the data backup."
                )
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    "The credential signing keys are NOT in this backup. Back them up once with "
                    "`strategists backup FILE --keys KEYS_FILE` and keep that file apart, offline."
                )
            )


def write_keys(path: Path) -> int:
    folder = Path(settings.SIGNING_KEYS_DIR)
    files = (
        {p.name: p.read_text() for p in sorted(folder.glob("*")) if p.is_file()}
        if folder.is_dir()
        else {}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"format": "strategists-signing-keys", "version": 1, "files": files}, indent=1)
    )
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    return len(files)
