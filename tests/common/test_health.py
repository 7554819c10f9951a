"""/healthz tells an operator's monitor whether the platform can do its work."""

import datetime as dt

from django.utils import timezone

from strategists.common.health import heartbeat_beat, heartbeat_forget
from strategists.common.models import OutgoingMail, WorkerHeartbeat


def test_healthy_when_the_database_cache_and_a_worker_answer(client, db):
    heartbeat_beat(name="web-1:42")

    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "worker": True,
        "outbox": True,
    }
    assert body["checks"]["worker"]["alive"] == 1
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_a_silent_worker_makes_it_unhealthy(client, db):
    beat = heartbeat_beat(name="worker-1:7")
    WorkerHeartbeat.objects.filter(pk=beat.pk).update(
        last_seen=timezone.now() - dt.timedelta(minutes=10)
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {
        "ok": False,
        "alive": 0,
        "last_seen_seconds_ago": 600,
    }


def test_a_worker_that_stops_on_purpose_is_forgotten(db):
    heartbeat_beat(name="worker-1:7")

    heartbeat_forget(name="worker-1:7")

    assert not WorkerHeartbeat.objects.exists()


def test_mail_stuck_in_the_outbox_makes_it_unhealthy(client, db):
    heartbeat_beat(name="worker-1:7")
    mail = OutgoingMail.objects.create(to="a@example.net", subject="Reminder", body="x")
    OutgoingMail.objects.filter(pk=mail.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=1)
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["outbox"] == {"ok": False, "queued": 1, "late": 1, "failed": 0}


def test_it_shows_no_personal_data(client, db):
    heartbeat_beat(name="worker-1:7")
    OutgoingMail.objects.create(to="secret-person@example.net", subject="Private", body="x")

    body = client.get("/healthz").content.decode()

    assert "secret-person" not in body
    assert "Private" not in body
