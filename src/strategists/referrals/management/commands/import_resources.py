"""`import_resources`: load a JSON Lines file into the directory, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from strategists.referrals.transfer import ImportFailed, resources_import


class Command(BaseCommand):
    help = "Import resources from a JSON Lines file (all or nothing; lines update resources by id)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                report = resources_import(handle)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file}: not UTF-8 text") from error
        except ImportFailed as failure:
            for line in failure.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(failure.errors)} error(s); nothing was imported.") from None
        self.stdout.write(f"{report.created} created, {report.updated} updated.")
