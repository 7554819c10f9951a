import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from strategists.common.mail import (
    MAX_ATTEMPTS,
    mail_purge_bodies,
    mail_queue,
    mail_send,
    mail_send_due,
)
from strategists.common.models import AuditEntry, OutgoingMail

pytestmark = pytest.mark.django_db


def test_mail_is_sent_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(
            to="a@example.net",
            template="accounts/mail/verify",
            context={"user": {"name": "Ana"}, "link": "http://x/"},
            language="en",
        )

    assert [m.subject for m in mail.outbox] == ["Confirm your email for 1000 Strategists"]
    assert OutgoingMail.objects.get().status == "sent"


def test_failed_send_is_kept_and_retried(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.common.failing_backend.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(
            to="a@example.net",
            template="accounts/mail/verify",
            context={"user": {"name": "Ana"}, "link": "http://x/"},
        )
    queued = OutgoingMail.objects.get()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    sent_too_early = mail_send_due(now=timezone.now())
    sent_later = mail_send_due(now=timezone.now() + dt.timedelta(minutes=5))

    queued.refresh_from_db()
    assert (sent_too_early, sent_later, queued.status, queued.attempts) == (0, 1, "sent", 2)
    assert len(mail.outbox) == 1


def queued(to="a@example.net", **values) -> OutgoingMail:
    return OutgoingMail.objects.create(to=to, subject="Hello", body="Body", **values)


def test_a_message_claimed_by_a_live_sender_is_not_sent_twice():
    now = timezone.now()
    mail_row = queued(
        status="sending", attempts=1, lease_until=now + dt.timedelta(minutes=5), claim="other"
    )

    sent = mail_send_due(now=now)
    mail_row.refresh_from_db()

    assert (sent, mail.outbox, mail_row.status, mail_row.attempts, mail_row.claim) == (
        0,
        [],
        "sending",
        1,
        "other",
    )


def test_a_message_whose_sender_died_is_sent_once_its_lease_runs_out():
    now = timezone.now()
    mail_row = queued(
        status="sending", attempts=1, lease_until=now - dt.timedelta(seconds=1), claim="dead"
    )

    sent = mail_send_due(now=now)
    mail_row.refresh_from_db()

    assert (sent, mail_row.status, mail_row.attempts, mail_row.claim, mail_row.lease_until) == (
        1,
        "sent",
        2,
        "",
        None,
    )
    assert [m.to for m in mail.outbox] == [["a@example.net"]]


def test_a_sent_message_is_never_sent_again():
    mail_row = queued(status="sent")

    assert (mail_send(mail_id=mail_row.pk).status, mail.outbox) == ("sent", [])


def test_a_down_server_stops_the_sweep_at_the_first_message(settings):
    settings.EMAIL_BACKEND = "tests.common.failing_backend.FailingBackend"
    rows = [queued(to=f"p{i}@example.net") for i in range(3)]
    now = timezone.now()

    sent = mail_send_due(now=now)

    attempts = list(
        OutgoingMail.objects.order_by("pk").values_list("status", "attempts", "not_before")
    )
    assert sent == 0
    assert attempts == [
        ("queued", 1, now + dt.timedelta(minutes=2)),
        ("queued", 0, None),
        ("queued", 0, None),
    ]
    assert (
        OutgoingMail.objects.get(pk=rows[0].pk).last_error
        == "ConnectionRefusedError: SMTP server unreachable"
    )


def test_a_message_that_keeps_failing_is_marked_failed(settings):
    settings.EMAIL_BACKEND = "tests.common.failing_backend.FailingBackend"
    mail_row = queued(attempts=MAX_ATTEMPTS - 1)

    mail_send(mail_id=mail_row.pk)
    mail_row.refresh_from_db()

    assert (mail_row.status, mail_row.attempts) == ("failed", MAX_ATTEMPTS)
    assert mail_send_due(now=timezone.now() + dt.timedelta(days=30)) == 0


def test_old_bodies_are_purged_and_the_record_kept():
    now = timezone.now()
    old_sent = queued(to="old@example.net", status="sent", kind="registered")
    old_failed = queued(to="failed@example.net", status="failed")
    old_queued = queued(to="waiting@example.net")
    queued(to="new@example.net", status="sent")
    OutgoingMail.objects.filter(pk__in=[old_sent.pk, old_failed.pk, old_queued.pk]).update(
        created_at=now - dt.timedelta(days=91)
    )

    purged = mail_purge_bodies(now=now)
    again = mail_purge_bodies(now=now + dt.timedelta(hours=1))

    rows = OutgoingMail.objects.order_by("pk").values_list(
        "to", "subject", "status", "kind", "body"
    )
    assert (purged, again) == (2, 0)
    assert list(rows) == [
        ("old@example.net", "Hello", "sent", "registered", ""),
        ("failed@example.net", "Hello", "failed", "", ""),
        ("waiting@example.net", "Hello", "queued", "", "Body"),
        ("new@example.net", "Hello", "sent", "", "Body"),
    ]
    entry = AuditEntry.objects.get(action="mail.bodies_purged")
    assert (entry.actor, entry.data["count"], entry.data["retention_days"]) == (None, 2, 90)


def test_the_purge_runs_as_a_periodic_job():
    from strategists.common.schedule import all_jobs

    assert (24 * 3600, "strategists.common.mail.mail_purge_bodies") in all_jobs()


@pytest.mark.parametrize(("timeout", "expected"), [(None, "10.0"), ("2.5", "2.5")])
def test_outside_tests_requests_only_enqueue_mail_for_the_worker(tmp_path, timeout, expected):
    """Tasks run inline only under pytest; a deployment sends mail from the worker, with the
    SMTP timeout from STRATEGISTS_EMAIL_TIMEOUT (10 s by default)."""
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.TASKS['default']['BACKEND'], settings.EMAIL_TIMEOUT)"
    )
    import strategists

    source = os.path.dirname(os.path.dirname(strategists.__file__))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "strategists.settings",
        "STRATEGISTS_VAR_DIR": str(tmp_path),
        "PYTHONPATH": source,
    }
    env.pop("STRATEGISTS_TASKS_BACKEND", None)
    env.pop("STRATEGISTS_EMAIL_TIMEOUT", None)
    if timeout:
        env["STRATEGISTS_EMAIL_TIMEOUT"] = timeout
    env.pop("STRATEGISTS_TESTING", None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=tmp_path,
    )

    assert result.stdout.split() == ["django_tasks_db.DatabaseBackend", expected]
