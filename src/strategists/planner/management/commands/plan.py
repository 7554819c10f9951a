"""``strategists plan``: the core's command line, plus an export of the live program's data."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from strategists.planner import export, selectors
from strategists.planner.core import cli


class Command(BaseCommand):
    help = (
        "Plan the year tour from an instance file (--instance FILE --out FILE [--time-limit S]), "
        "or write the current planning year's data as an instance (--export-instance FILE)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--export-instance",
            metavar="FILE",
            help="write the current planning year's instance JSON and stop",
        )
        parser.add_argument("--instance", metavar="FILE")
        parser.add_argument("--out", metavar="FILE")
        parser.add_argument("--time-limit", type=float)
        parser.add_argument("--threads", type=int)
        parser.add_argument("--locks", metavar="FILE")
        parser.add_argument("--warm-start", metavar="FILE")

    def handle(self, *args, **options):
        if options["export_instance"]:
            year = selectors.current_year()
            if year is None:
                raise CommandError(
                    "no planning year yet: a coordinator sets one up at /planner/new/"
                )
            with open(options["export_instance"], "w", encoding="utf-8") as fh:
                json.dump(export.build_instance(year), fh, indent=1)
                fh.write("\n")
            self.stderr.write(f"wrote {year.name} to {options['export_instance']}")
            return
        argv = []
        for name in ("instance", "out", "time_limit", "threads", "locks", "warm_start"):
            if options[name] is not None:
                argv += [f"--{name.replace('_', '-')}", str(options[name])]
        status = cli.main(argv)
        if status:
            sys.exit(status)
