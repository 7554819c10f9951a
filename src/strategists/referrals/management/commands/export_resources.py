"""`export_resources`: take the directory of resources out as JSON Lines, to a file or stdout."""

import sys

from django.core.management.base import BaseCommand

from strategists.referrals.transfer import resources_export


class Command(BaseCommand):
    help = "Export listed resources as JSON Lines, to FILE or to standard output."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?")
        parser.add_argument(
            "--all", action="store_true", help="also pending, retired and merged resources"
        )

    def handle(self, *args, file=None, all=False, **options):
        lines = resources_export(include_unlisted=all)
        if file and file != "-":
            with open(file, "w", encoding="utf-8") as handle:
                count = sum(handle.write(line + "\n") > 0 for line in lines)
            self.stderr.write(f"{count} resources written to {file}.")
        else:
            for line in lines:
                sys.stdout.write(line + "\n")
