"""Signed-out sign-ups per second, in process: the request (the "confirm your place" mail) and
the confirmation (the seat or the waitlist, under the training's lock, and its mail).

    python bench/signup.py [--people 300] [--capacity 100] [--questions 4]
                           [--database-url sqlite:////tmp/signup-bench.sqlite3]

It migrates a scratch database (a SQLite file by default, removed first), makes one training
with the common questions, then for each person: signup_request with answers, then
signup_confirm. Mail is rendered and queued as in production; the send task is dropped. Prints
the median and 95th percentile of each step and checks that no seat was sold twice.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument("--questions", type=int, default=4)
    parser.add_argument("--database-url", default="sqlite:////tmp/signup-bench.sqlite3")
    args = parser.parse_args()
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    os.environ["STRATEGISTS_DATABASE_URL"] = args.database_url
    os.environ["STRATEGISTS_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategists.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from strategists.accounts.models import User
    from strategists.events import question_services, signup_services
    from strategists.events.models import PendingSignup, Registration
    from tests.factories import EventFactory, OrganizationFactory, UserFactory

    host = UserFactory(organization=OrganizationFactory())
    event = EventFactory(organization=host.organization, capacity=args.capacity)
    questions = [
        question_services.question_add_common(event=event, by=host, common=common)
        for common in ["access", "interpretation", "childcare", "problem"][: args.questions]
    ]
    answers = {
        q.pk: {"several": ["Live captions"], "one": "Spanish", "yes-no": True}.get(q.kind, "A list")
        for q in questions
    }
    asked, confirmed = [], []
    for n in range(args.people):
        started = time.perf_counter()
        signup_services.signup_request(
            event=event, email=f"bench{n}@example.org", name=f"Bench {n}", answers=answers
        )
        asked.append(time.perf_counter() - started)
        pending = PendingSignup.objects.get(email=f"bench{n}@example.org")
        started = time.perf_counter()
        signup_services.signup_confirm(pending=pending)
        confirmed.append(time.perf_counter() - started)

    seated = Registration.objects.filter(event=event, status="registered").count()
    waiting = Registration.objects.filter(event=event, status="waitlisted").count()
    assert seated == min(args.capacity, args.people), seated
    assert seated + waiting == args.people == User.objects.filter(email__startswith="bench").count()

    def figures(label, times):
        ms = sorted(t * 1000 for t in times)
        p95 = ms[int(len(ms) * 0.95) - 1]
        print(
            f"{label:<22} median {statistics.median(ms):6.1f} ms   p95 {p95:6.1f} ms   "
            f"{len(ms) / sum(times):6.0f}/s"
        )

    print(
        f"{args.people} people, {args.capacity} seats, {len(questions)} questions, {connection_vendor()}"
    )
    figures("request (mail)", asked)
    figures("confirm (seat, mail)", confirmed)
    print(f"seated {seated}, waitlisted {waiting}: never oversold")


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


if __name__ == "__main__":
    main()
