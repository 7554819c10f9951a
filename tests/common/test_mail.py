import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from strategists.common.mail import mail_queue, mail_send_due
from strategists.common.models import OutgoingMail

pytestmark = pytest.mark.django_db


def test_mail_is_sent_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(to="a@example.net", template="accounts/mail/verify",
                   context={"user": {"name": "Ana"}, "link": "http://x/"}, language="en")

    assert [m.subject for m in mail.outbox] == ["Confirm your email for 1000 Strategists"]
    assert OutgoingMail.objects.get().status == "sent"


def test_failed_send_is_kept_and_retried(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.common.failing_backend.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(to="a@example.net", template="accounts/mail/verify",
                   context={"user": {"name": "Ana"}, "link": "http://x/"})
    queued = OutgoingMail.objects.get()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    sent_too_early = mail_send_due(now=timezone.now())
    sent_later = mail_send_due(now=timezone.now() + dt.timedelta(minutes=5))

    queued.refresh_from_db()
    assert (sent_too_early, sent_later, queued.status, queued.attempts) == (0, 1, "sent", 2)
    assert len(mail.outbox) == 1
