"""How long a message to a large segment takes to queue (in the sender's request) and to leave.

    python bench/messages.py [--people 2000] [--database-url sqlite:////tmp/bench-messages.sqlite3]

It migrates a scratch database (SQLite by default; a PostgreSQL URL works too), registers
``--people`` people for one training, then times ``message_send`` (the sender's request: the
segment is computed and one delivery row written per person), the background fan-out (each mail
rendered in HTML and plain text and written to the outbox, with its opt-out check) and the
sending of every queued mail through Django's in-memory backend.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--database-url", default="sqlite:////tmp/bench-messages.sqlite3")
    args = parser.parse_args()
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    os.environ["STRATEGISTS_DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategists.settings")
    os.environ["STRATEGISTS_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ["STRATEGISTS_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from strategists.accounts.models import City, Organization, User
    from strategists.common.mail import mail_send
    from strategists.events.models import Event, Registration
    from strategists.messaging.fanout import message_fan_out
    from strategists.messaging.models import Delivery
    from strategists.messaging.segments import segment_for
    from strategists.messaging.services import message_send

    city = City.objects.order_by("pk").first()
    organization = Organization.objects.create(name="Bench Local", slug="bench-local")
    host = User.objects.create_user(email="host@bench.example.org", name="Bench Host")
    organization.hosts.add(host)
    event = Event.objects.create(
        organization=organization,
        title="Bench training",
        description="-",
        state=Event.State.APPROVED,
        city=city,
        timezone=city.timezone,
        starts_at=timezone.now() + timezone.timedelta(days=30),
        ends_at=timezone.now() + timezone.timedelta(days=30, hours=6),
        capacity=args.people,
    )
    people = User.objects.bulk_create(
        User(email=f"p{i}@bench.example.org", name=f"Person {i}") for i in range(args.people)
    )
    Registration.objects.bulk_create(
        Registration(event=event, person=p, status=Registration.Status.REGISTERED) for p in people
    )
    segment = segment_for(host, {"segment": "training", "event": event.pk, "group": "all"})
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        message = message_send(sender=host, segment=segment, subject="Bench", body="Hello\n" * 20)
    queued = time.perf_counter() - started
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as fan_out_queries:
        message_fan_out(message_id=message.pk)
    fanned = time.perf_counter() - started
    mail_ids = list(Delivery.objects.filter(message=message).values_list("mail_id", flat=True))
    started = time.perf_counter()
    for mail_id in mail_ids:
        mail_send(mail_id=mail_id)
    sent = time.perf_counter() - started
    vendor = connection.vendor
    print(f"database: {vendor}; people: {args.people}")
    print(f"the sender's request: {queued:.2f} s, {len(queries)} queries")
    print(
        f"fan-out into the outbox (background): {fanned:.2f} s, {args.people / fanned:.0f} mails/s, "
        f"{len(fan_out_queries)} queries"
    )
    print(
        f"send (the workers' part, in-memory backend): {sent:.2f} s, {args.people / sent:.0f} mails/s"
    )


if __name__ == "__main__":
    main()
