import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from strategists.curriculum import verifying


class Command(BaseCommand):
    help = "Verify a credential file (or - for standard input). Exit status 0 when it is valid, 1 otherwise."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--email", default="", help="also check that it was issued to this address")

    def handle(self, *args, file: str, email: str, **options):
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {file}: {error}") from None
        outcome = verifying.credential_verify_text(text, email=email)
        self.stdout.write(f"{outcome.status}: {outcome.reason}")
        if outcome.achievement:
            self.stdout.write(f"achievement: {outcome.achievement}")
        if outcome.issuer:
            self.stdout.write(f"issuer: {outcome.issuer}")
        if outcome.holder_matches is not None:
            self.stdout.write(f"holder email: {'matches' if outcome.holder_matches else 'does not match'}")
        if not outcome.is_valid:
            sys.exit(1)
