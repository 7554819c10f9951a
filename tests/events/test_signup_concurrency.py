"""30 people confirm their mailed sign-up links at once for 10 seats: exactly 10 get one, the
rest are waitlisted in order, nobody twice, no errors. Runs on SQLite and PostgreSQL."""

import concurrent.futures
import threading

from django.db import connection

from strategists.events import signup_services
from strategists.events.models import PendingSignup, Registration
from tests.factories import EventFactory

SEATS = 10
PEOPLE = 30


def test_confirming_signups_at_once_never_oversells(shared_database):
    event = EventFactory(capacity=SEATS)
    for n in range(PEOPLE):
        signup_services.signup_request(event=event, email=f"p{n}@example.org", name=f"P {n}")
    pending = list(PendingSignup.objects.all())
    start = threading.Barrier(PEOPLE)

    def confirm(one):
        start.wait(timeout=60)
        try:
            return signup_services.signup_confirm(pending=one).status
        finally:
            connection.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        statuses = sorted(pool.map(confirm, pending))

    assert statuses == ["registered"] * SEATS + ["waitlisted"] * (PEOPLE - SEATS)
    registrations = Registration.objects.filter(event=event)
    assert registrations.filter(status="registered").count() == SEATS
    assert len(set(registrations.values_list("person__email", flat=True))) == PEOPLE
    waitlisted = registrations.filter(status="waitlisted").order_by("waitlisted_at", "pk")
    assert len({r.waitlisted_at for r in waitlisted}) == PEOPLE - SEATS
    assert not PendingSignup.objects.exists()
