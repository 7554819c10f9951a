"""Queue texts to people who agreed to them; send them after commit, one sender per text.

The same shape as the mail outbox (common/mail.py): a sender claims a text with one conditional
UPDATE and a lease, talks to the provider with no transaction open, then records the outcome.
Consent is read again when the text leaves: a STOP that arrives meanwhile wins.
"""

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from strategists.accounts.models import User
from strategists.messaging.models import OutgoingText
from strategists.messaging.sms_backends import sms_backend

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
MAX_LENGTH = 480  # three SMS segments at most


def may_text(person) -> bool:
    return bool(
        person is not None and person.is_active and person.phone_number and person.sms_consent_at
    )


def text_person(person, *, template: str, context: dict, kind: str) -> OutgoingText | None:
    """Queue a text rendered from `messaging/sms/<template>.txt` in the person's language, if
    they agreed to texts; None otherwise."""
    if not may_text(person):
        return None
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        body = " ".join(
            render_to_string(
                f"messaging/sms/{template}.txt", {"PUBLIC_URL": settings.PUBLIC_URL, **context}
            ).split()
        )
    text = OutgoingText.objects.create(
        person=person, to=person.phone_number, body=body[:MAX_LENGTH], kind=kind
    )
    transaction.on_commit(lambda: _enqueue_send(text.pk))
    return text


def _enqueue_send(text_id: int) -> None:
    from strategists.messaging.tasks import send_outgoing_text

    send_outgoing_text.enqueue(text_id)


def _sendable(now: dt.datetime) -> Q:
    due = Q(status=OutgoingText.Status.QUEUED) & (
        Q(not_before__isnull=True) | Q(not_before__lte=now)
    )
    return due | Q(status=OutgoingText.Status.SENDING, lease_until__lt=now)


def _claim(text_id: int, now: dt.datetime) -> str | None:
    claim = secrets.token_hex(16)
    claimed = OutgoingText.objects.filter(_sendable(now), pk=text_id).update(
        status=OutgoingText.Status.SENDING,
        claim=claim,
        attempts=F("attempts") + 1,
        lease_until=now + dt.timedelta(seconds=settings.SMS_LEASE_SECONDS),
    )
    return claim if claimed else None


def _record(text: OutgoingText, claim: str, values: dict) -> None:
    OutgoingText.objects.filter(pk=text.pk, status=OutgoingText.Status.SENDING, claim=claim).update(
        lease_until=None, claim="", **values
    )


def text_send(*, text_id: int, now: dt.datetime | None = None) -> OutgoingText | None:
    """Send one queued text; call it outside any transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        claim = _claim(text_id, now)
        text = OutgoingText.objects.filter(pk=text_id).first()
    if claim is None or text is None:
        return text
    person = User.objects.filter(pk=text.person_id).first() if text.person_id else None
    if not may_text(person) or person.phone_number != text.to:
        _record(text, claim, {"status": OutgoingText.Status.WITHDRAWN})
    else:
        try:
            provider_id = sms_backend().send(to=text.to, body=text.body, text_id=text.pk)
        except Exception as exc:  # any failure keeps the text for a retry
            logger.warning("sending text %s failed: %s", text.pk, exc)
            values = {"last_error": f"{type(exc).__name__}: {exc}"[:2000]}
            if text.attempts >= MAX_ATTEMPTS:
                values["status"] = OutgoingText.Status.FAILED
            else:
                values["status"] = OutgoingText.Status.QUEUED
                values["not_before"] = now + dt.timedelta(minutes=2**text.attempts)
            _record(text, claim, values)
        else:
            _record(
                text,
                claim,
                {
                    "status": OutgoingText.Status.SENT,
                    "sent_at": timezone.now(),
                    "provider_id": provider_id or "",
                    "last_error": "",
                },
            )
    text.refresh_from_db()
    return text


def texts_send_due(*, now: dt.datetime | None = None) -> int:
    """Send every text whose time has come (retries, and those whose sender died)."""
    now = now or timezone.now()
    due = OutgoingText.objects.filter(_sendable(now)).order_by("pk")
    sent = 0
    for text_id in list(due.values_list("pk", flat=True)):
        text = text_send(text_id=text_id, now=now)
        sent += text is not None and text.status == OutgoingText.Status.SENT
    return sent
