"""The demo's webhooks: Local 1001's CRM endpoint, which never answered (nothing listens on its
local port), so it was paused after a day of failures; its delivery log shows each try."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from strategists.accounts.models import User
from strategists.events.models import Event, Registration
from strategists.webhooks import payloads
from strategists.webhooks.models import Delivery, DeliveryAttempt, Endpoint, EventType
from strategists.webhooks.services import secret_generate

DESCRIPTION = "Local 1001's CRM (demo: nothing listens there)"
# The discard port on this machine: a connection is refused at once, harmlessly.
URL = "http://127.0.0.1:9/strategists-webhook"
REFUSED = "ConnectionRefusedError: [Errno 111] Connection refused"


@transaction.atomic
def build(*, log=print, seed: int = 1000) -> None:
    if Endpoint.objects.filter(description=DESCRIPTION).exists():
        log("webhook endpoint already there")
        return
    coordinator = User.objects.filter(email="coordinator@example.org").first()
    now = timezone.now().replace(microsecond=0)
    started = now - dt.timedelta(days=1, hours=2)
    # Written directly: the services refuse a local address outside development, and this one is
    # paused, so nothing is ever sent to it.
    endpoint = Endpoint.objects.create(
        url=URL,
        description=DESCRIPTION,
        secret=secret_generate(),
        event_types=[EventType.REGISTRATION_CREATED, EventType.CHECKED_IN, EventType.CERTIFIED],
        owner=coordinator,
        state=Endpoint.State.PAUSED,
        failing_since=started,
        paused_at=started + dt.timedelta(days=1),
        paused_reason="failing",
    )
    registrations = Registration.objects.filter(
        person__isnull=False, event__state=Event.State.APPROVED
    ).select_related("person", "event")[:3]
    for index, registration in enumerate(registrations):
        queued = started + dt.timedelta(minutes=10 * index)
        kind, resource = payloads.attendance(registration)
        delivery = Delivery.objects.create(
            endpoint=endpoint,
            event_type=EventType.REGISTRATION_CREATED,
            body="",
            expires_at=queued + dt.timedelta(days=1),
            status=Delivery.Status.FAILED if index == 0 else Delivery.Status.QUEUED,
        )
        delivery.body = payloads.envelope(
            EventType.REGISTRATION_CREATED, kind, resource, str(delivery.idempotency_key)
        )
        tries, wait = [], dt.timedelta(minutes=1)
        at = queued
        while at < min(delivery.expires_at, now - dt.timedelta(hours=1)):
            tries.append(
                DeliveryAttempt(delivery=delivery, started_at=at, duration_ms=1, error=REFUSED)
            )
            at, wait = at + wait, wait * 2
        DeliveryAttempt.objects.bulk_create(tries)
        delivery.attempts = len(tries)
        delivery.save()
        Delivery.objects.filter(pk=delivery.pk).update(created_at=queued)
    log(f"webhook endpoint {URL}: paused after a day of failures, {len(registrations)} deliveries")
