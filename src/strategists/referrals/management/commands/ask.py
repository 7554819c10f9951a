"""`ask`: put a question to the directory from the shell, one or a batch, answers as JSON."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from strategists.referrals.ask_service import ask
from strategists.referrals.models import Resource


def _payload(question: str, limit: int, explain: bool = False) -> str:
    outcome = ask(question, limit=limit)
    results = [
        {"id": pid, "score": score, **({"because": outcome.because(pid)} if explain else {})}
        for pid, score in outcome.results
    ]
    return json.dumps({"results": results})


class Command(BaseCommand):
    help = 'Ask the directory: `ask "QUESTION" --json [--limit 10]`, or `ask --json --batch FILE`.'

    def add_arguments(self, parser):
        parser.add_argument("question", nargs="?", default=None)
        parser.add_argument(
            "--json", action="store_true", help='print {"results": [{"id", "score"}]}'
        )
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument(
            "--explain",
            action="store_true",
            help='say why each resource matched (adds "because" to each JSON result)',
        )
        parser.add_argument(
            "--batch", metavar="FILE", help="one question per line; one JSON object per line out"
        )

    def handle(self, *args, question, json, limit, batch, explain, **options):
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        if batch:
            try:
                stream = sys.stdin if batch == "-" else open(batch, encoding="utf-8")  # noqa: SIM115
            except OSError as error:
                raise CommandError(f"{batch}: {error.strerror}") from error
            with stream:
                for line in stream:
                    sys.stdout.write(_payload(line.rstrip("\n"), limit, explain) + "\n")
            return
        if question is None:
            raise CommandError('Give a question, e.g. strategists ask "texting tool" --json')
        if json:
            sys.stdout.write(_payload(question, limit, explain) + "\n")
            return
        outcome = ask(question, limit=limit)
        if outcome.message:
            self.stdout.write(outcome.message)
        names = dict(
            Resource.objects.filter(public_id__in=[p for p, _ in outcome.results]).values_list(
                "public_id", "name"
            )
        )
        for pid, score in outcome.results:
            self.stdout.write(f"{pid:<8} {score:8.3f}  {names.get(pid, '')}")
            if explain and outcome.because(pid):
                self.stdout.write(f"{'':<18}{outcome.because(pid)}")
