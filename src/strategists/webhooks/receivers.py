"""Webhooks listen to the domain signals of events and curriculum (which never import webhooks)
and queue a delivery per listening endpoint, in the transaction of the change."""

from strategists.curriculum import issuing
from strategists.curriculum import signals as curriculum_signals
from strategists.events import signals as events_signals
from strategists.webhooks import payloads
from strategists.webhooks.models import EventType
from strategists.webhooks.outbox import deliveries_queue


def registration_created(sender, *, registration, **kwargs):
    deliveries_queue(
        event_type=EventType.REGISTRATION_CREATED, build=lambda: payloads.attendance(registration)
    )


def registration_cancelled(sender, *, registration, **kwargs):
    deliveries_queue(
        event_type=EventType.REGISTRATION_CANCELLED,
        build=lambda: payloads.attendance(registration),
    )


def registration_checked_in(sender, *, registration, **kwargs):
    deliveries_queue(
        event_type=EventType.CHECKED_IN, build=lambda: payloads.attendance(registration)
    )


def training_approved(sender, *, event, **kwargs):
    deliveries_queue(event_type=EventType.TRAINING_APPROVED, build=lambda: payloads.event(event))


def training_cancelled(sender, *, event, **kwargs):
    deliveries_queue(
        event_type=EventType.TRAINING_CANCELLED,
        build=lambda: payloads.event(event, reason=event.coordinator_message),
    )


def certified(sender, *, certification, **kwargs):
    deliveries_queue(
        event_type=EventType.CERTIFIED, build=lambda: payloads.certification(certification)
    )


def credential_revoked(sender, *, credential, **kwargs):
    deliveries_queue(
        event_type=EventType.CREDENTIAL_REVOKED,
        build=lambda: payloads.credential(credential, url=issuing.credential_url(credential.pk)),
    )


CONNECTIONS = [
    (events_signals.registration_created, registration_created),
    (events_signals.registration_cancelled, registration_cancelled),
    (events_signals.registration_checked_in, registration_checked_in),
    (events_signals.training_approved, training_approved),
    (events_signals.training_cancelled, training_cancelled),
    (curriculum_signals.certified, certified),
    (curriculum_signals.credential_revoked, credential_revoked),
]


def connect() -> None:
    for signal, receiver in CONNECTIONS:
        signal.connect(receiver, dispatch_uid=f"webhooks.{receiver.__name__}")
