"""Queue mail in the user's language; send it after commit; retry failures."""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from strategists.common.models import OutgoingMail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def mail_queue(
    *, to: str, template: str, context: dict, language: str = "en", kind: str = "",
    not_before: dt.datetime | None = None,
) -> OutgoingMail:
    """Render `<template>_subject.txt` and `<template>_body.txt` in `language` and queue it."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"PUBLIC_URL": settings.PUBLIC_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    mail = OutgoingMail.objects.create(
        to=to, subject=subject[:255], body=body, language=language, kind=kind,
        not_before=not_before,
    )
    if not_before is None or not_before <= timezone.now():
        transaction.on_commit(lambda: _enqueue_send(mail.pk))
    return mail


def mail_person(person, *, template: str, context: dict, kind: str = "",
                not_before: dt.datetime | None = None) -> OutgoingMail:
    """Queue mail to a person, in the language they chose for messages."""
    return mail_queue(to=person.email, template=template, context=context,
                      language=person.preferred_language, kind=kind, not_before=not_before)


def _enqueue_send(mail_id: int) -> None:
    from strategists.common.tasks import send_outgoing_mail

    send_outgoing_mail.enqueue(mail_id)


def mail_send(*, mail_id: int) -> OutgoingMail | None:
    """Send one queued message; on failure keep it queued with a back-off for the next sweep."""
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status != OutgoingMail.Status.QUEUED:
            return mail
        mail.attempts += 1
        try:
            EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to]).send()
        except Exception as error:
            logger.warning("sending mail %s failed: %s", mail.pk, error)
            mail.last_error = str(error)[:2000]
            if mail.attempts >= MAX_ATTEMPTS:
                mail.status = OutgoingMail.Status.FAILED
            else:
                mail.not_before = timezone.now() + dt.timedelta(minutes=2**mail.attempts)
        else:
            mail.status = OutgoingMail.Status.SENT
            mail.sent_at = timezone.now()
            mail.last_error = ""
        mail.save()
    return mail


def mail_send_due(*, now: dt.datetime | None = None) -> int:
    """Send every queued message whose time has come (scheduled ones and retries)."""
    now = now or timezone.now()
    due = OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).exclude(
        not_before__gt=now
    )
    count = 0
    for mail_id in due.values_list("pk", flat=True):
        mail = mail_send(mail_id=mail_id)
        count += mail is not None and mail.status == OutgoingMail.Status.SENT
    return count
