"""Queue mail in the user's language; send it after commit; retry failures.

Sending never holds the database: a sender claims a message in one short transaction (status
`sending` with a lease), commits, speaks SMTP with no transaction open and with a timeout
(`EMAIL_TIMEOUT`), then records the outcome in another short transaction. Two senders never send
one message (the claim is one conditional UPDATE), and a message whose sender died is taken over
by the sweep once its lease has run out.
"""

import datetime as dt
import logging
import secrets
import smtplib
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from strategists.common.audit import audit_log
from strategists.common.models import OutgoingMail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
# Errors that say the mail server itself is unreachable or hung (not that one message was
# refused): the sweep stops at the first one instead of waiting out a timeout per message.
SERVER_DOWN = (
    TimeoutError,
    ConnectionError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
)


# Apps in later layers shape mail that common cannot know about (it imports none of them), by
# registering at start-up. A policy is called as policy(to=, kind=, person=) and returns the
# extra headers for that message ({} for none), or None when the person opted out of that kind
# of mail (messaging: one-click unsubscribe). A listener is called as listener(person=, kind=,
# context=, mail=) for each message queued to a person (messaging: the text that goes along).
_policies: list[Callable[..., dict | None]] = []
_listeners: list[Callable[..., None]] = []


def mail_policy_register(policy: Callable[..., dict | None]) -> None:
    if policy not in _policies:
        _policies.append(policy)


def mail_listener_register(listener: Callable[..., None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def _headers(to: str, kind: str, person) -> dict | None:
    headers: dict = {}
    for policy in _policies:
        extra = policy(to=to, kind=kind, person=person)
        if extra is None:
            return None
        headers.update(extra)
    return headers


def mail_queue(
    *,
    to: str,
    template: str,
    context: dict,
    language: str = "en",
    kind: str = "",
    not_before: dt.datetime | None = None,
    html: bool = False,
    person=None,
) -> OutgoingMail:
    """Render `<template>_subject.txt` and `<template>_body.txt` (and `_body.html` with `html`)
    in `language` and queue it; a message its person opted out of is kept as `skipped`."""
    headers = _headers(to, kind, person)
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"PUBLIC_URL": settings.PUBLIC_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = html_body = ""
        if headers is not None:
            body = render_to_string(f"{template}_body.txt", context)
            html_body = render_to_string(f"{template}_body.html", context) if html else ""
    mail = OutgoingMail.objects.create(
        to=to,
        subject=subject[:255],
        body=body,
        html_body=html_body,
        headers=headers or {},
        language=language,
        kind=kind,
        not_before=not_before,
        status=OutgoingMail.Status.QUEUED if headers is not None else OutgoingMail.Status.SKIPPED,
    )
    if headers is not None and (not_before is None or not_before <= timezone.now()):
        transaction.on_commit(lambda: _enqueue_send(mail.pk))
    return mail


def mail_person(
    person,
    *,
    template: str,
    context: dict,
    kind: str = "",
    not_before: dt.datetime | None = None,
    html: bool = False,
) -> OutgoingMail:
    """Queue mail to a person, in the language they chose for messages."""
    mail = mail_queue(
        to=person.email,
        template=template,
        context=context,
        language=person.preferred_language,
        kind=kind,
        not_before=not_before,
        html=html,
        person=person,
    )
    for listener in _listeners:
        listener(person=person, kind=kind, context=context, mail=mail)
    return mail


def _enqueue_send(mail_id: int) -> None:
    # With the database task backend (production) this only writes a task row: the request
    # that queued the mail never waits for a mail server.
    from strategists.common.tasks import send_outgoing_mail

    send_outgoing_mail.enqueue(mail_id)


@transaction.atomic
def outgoing_mail_retry(*, mail_ids, by) -> list[OutgoingMail]:
    """Put failed messages back in the outbox, with their attempts counted from zero again, and
    queue their sending after commit, as mail_queue does for new mail (mail_send then sends each
    once, under its row lock)."""
    retried = []
    for mail in OutgoingMail.objects.select_for_update().filter(
        pk__in=mail_ids, status=OutgoingMail.Status.FAILED
    ):
        attempts = mail.attempts
        mail.status, mail.attempts, mail.not_before = OutgoingMail.Status.QUEUED, 0, None
        mail.save(update_fields=["status", "attempts", "not_before", "updated_at"])
        audit_log(
            "mail.retried",
            mail,
            actor=by,
            before={"status": "failed", "attempts": attempts},
            after={"status": "queued"},
        )
        transaction.on_commit(lambda mail_id=mail.pk: _enqueue_send(mail_id))
        retried.append(mail)
    return retried


def message_id(mail: OutgoingMail) -> str:
    """The same for every attempt at one outbox message: if a sender dies after the mail server
    took a message and before it could record so, the message goes again after its lease with
    this same Message-ID, by which mail programs show it once."""
    domain = urlsplit(settings.PUBLIC_URL).hostname or "localhost"
    return f"<outbox-{mail.pk}.{mail.created_at:%Y%m%d%H%M%S}@{domain}>"


def _sendable(now: dt.datetime) -> Q:
    """Queued and due, or claimed by a sender whose lease has run out."""
    due = Q(status=OutgoingMail.Status.QUEUED) & (
        Q(not_before__isnull=True) | Q(not_before__lte=now)
    )
    abandoned = Q(status=OutgoingMail.Status.SENDING, lease_until__lt=now)
    return due | abandoned


def _claim(mail_id: int, now: dt.datetime) -> str | None:
    """Take the message for this sender, or None if it is not ours to send (sent, not due,
    claimed by a live sender). One UPDATE with the condition in its WHERE: atomic on its own."""
    claim = secrets.token_hex(16)
    claimed = OutgoingMail.objects.filter(_sendable(now), pk=mail_id).update(
        status=OutgoingMail.Status.SENDING,
        claim=claim,
        attempts=F("attempts") + 1,
        lease_until=now + dt.timedelta(seconds=settings.MAIL_LEASE_SECONDS),
    )
    return claim if claimed else None


def _record(mail: OutgoingMail, claim: str, error: Exception | None, now: dt.datetime) -> None:
    if error is None:
        values = {"status": OutgoingMail.Status.SENT, "sent_at": timezone.now(), "last_error": ""}
    else:
        values = {"last_error": f"{type(error).__name__}: {error}"[:2000]}
        if mail.attempts >= MAX_ATTEMPTS:
            values["status"] = OutgoingMail.Status.FAILED
        else:
            values["status"] = OutgoingMail.Status.QUEUED
            values["not_before"] = now + dt.timedelta(minutes=2**mail.attempts)
    # Only the sender holding the claim records: if its lease ran out and another sender took
    # the message over, that one's outcome stands.
    recorded = OutgoingMail.objects.filter(
        pk=mail.pk, status=OutgoingMail.Status.SENDING, claim=claim
    ).update(lease_until=None, claim="", **values)
    if not recorded:
        logger.warning("mail %s was taken over by another sender before this one finished", mail.pk)


def _send(mail_id: int, now: dt.datetime) -> tuple[OutgoingMail | None, Exception | None]:
    with transaction.atomic():
        claim = _claim(mail_id, now)
        mail = OutgoingMail.objects.filter(pk=mail_id).first()
    if claim is None or mail is None:
        return mail, None
    # No transaction is open here: however long the mail server takes (at most EMAIL_TIMEOUT
    # per socket operation), nobody waits for a database lock because of it.
    error = None
    try:
        message = EmailMultiAlternatives(
            mail.subject,
            mail.body,
            settings.DEFAULT_FROM_EMAIL,
            [mail.to],
            # A Message-ID of our own: a resend after a crash is recognisably the same mail.
            headers={**(mail.headers or {}), "Message-ID": message_id(mail)},
        )
        if mail.html_body:
            message.attach_alternative(mail.html_body, "text/html")
        message.send()
    except Exception as exc:  # any failure keeps the message for a retry
        logger.warning("sending mail %s failed: %s", mail.pk, exc)
        error = exc
    with transaction.atomic():
        _record(mail, claim, error, now)
    mail.refresh_from_db()
    return mail, error


def mail_send(*, mail_id: int, now: dt.datetime | None = None) -> OutgoingMail | None:
    """Send one queued message; on failure keep it queued with a back-off for the next sweep.

    Call it outside any transaction: the claim and the outcome are each committed on their own,
    and the SMTP conversation happens between them."""
    mail, _ = _send(mail_id, now or timezone.now())
    return mail


def mail_send_due(*, now: dt.datetime | None = None) -> int:
    """Send every message whose time has come (scheduled ones, retries, and those whose sender
    died). Stops at the first sign that the mail server is down or hung: the rest wait for the
    next sweep rather than each waiting out the timeout."""
    now = now or timezone.now()
    due = OutgoingMail.objects.filter(_sendable(now)).order_by("pk")
    count = 0
    for mail_id in list(due.values_list("pk", flat=True)):
        mail, error = _send(mail_id, now)
        count += mail is not None and mail.status == OutgoingMail.Status.SENT
        if isinstance(error, SERVER_DOWN):
            break
    return count


@transaction.atomic
def mail_purge_bodies(*, now: dt.datetime | None = None) -> int:
    """Blank the bodies of sent and failed mail older than the retention period (they hold
    one-click links and personal details); the address, subject, kind and status stay as the
    record that a message went out. One audit entry for the whole purge."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.MAIL_BODY_RETENTION_DAYS)
    old = OutgoingMail.objects.filter(
        status__in=[OutgoingMail.Status.SENT, OutgoingMail.Status.FAILED],
        created_at__lt=cutoff,
        body_purged_at__isnull=True,
    )
    purged = old.update(body="", html_body="", body_purged_at=now)
    if purged:
        audit_log(
            "mail.bodies_purged",
            data={
                "count": purged,
                "older_than": cutoff.isoformat(),
                "retention_days": settings.MAIL_BODY_RETENTION_DAYS,
            },
        )
    return purged
