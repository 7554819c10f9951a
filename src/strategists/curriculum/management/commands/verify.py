"""`verify`: check a credential file's signature and status, for anyone who received one."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from strategists.curriculum import verifying
from strategists.curriculum.vc.limits import MAX_BYTES


class Command(BaseCommand):
    help = "Verify a credential file (or - for standard input). Exit status 0 when it is valid, 1 otherwise."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--email", default="", help="also check that it was issued to this address"
        )

    def handle(self, *args, file: str, email: str, **options):
        # One byte more than a credential may be is enough to refuse it: never read a huge file whole.
        try:
            if file == "-":
                data = getattr(sys.stdin, "buffer", sys.stdin).read(MAX_BYTES + 1)
            else:
                with Path(file).open("rb") as stream:
                    data = stream.read(MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error}") from None
        outcome = verifying.credential_verify_text(data, email=email)
        self.stdout.write(f"{outcome.status}: {outcome.reason}")
        if outcome.achievement:
            self.stdout.write(f"achievement: {outcome.achievement}")
        if outcome.issuer:
            self.stdout.write(f"issuer: {outcome.issuer}")
        if outcome.holder_matches is not None:
            self.stdout.write(
                f"holder email: {'matches' if outcome.holder_matches else 'does not match'}"
            )
        if not outcome.is_valid:
            sys.exit(1)
