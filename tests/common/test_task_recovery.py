"""Tasks whose worker died run again; failed tasks run again after a back-off; operators see
them and may retry them from the admin; every requeue is audited."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from strategists.common.health import heartbeat_beat
from strategists.common.models import AuditEntry
from strategists.common.task_services import WORKER_DIED, task_backoff, tasks_recover
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TASK = "strategists.curriculum.tasks.issue_credentials"


def task(status, *, workers=("host-a:101",), finished_ago=None, error="") -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=status,
        task_path=TASK,
        args_kwargs={"args": [7], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        run_after=get_date_max(),
        worker_ids=list(workers),
        started_at=now - dt.timedelta(minutes=5),
        finished_at=now - finished_ago if finished_ago is not None else None,
        exception_class_path=error,
    )


def statuses(*results) -> list[str]:
    return [DBTaskResult.objects.get(pk=r.pk).status for r in results]


def test_a_task_whose_worker_died_runs_again_and_one_with_a_live_worker_is_left(settings):
    heartbeat_beat(name="host-b:202")
    orphan = task("RUNNING", workers=["host-a:101"])
    alive = task("RUNNING", workers=["host-b:202"])
    foreign = task("RUNNING", workers=["0f3e9b2c7a"])  # a runner without our heartbeat

    counts = tasks_recover()

    assert counts == {"requeued": 1, "retried": 0, "gave_up": 0}
    assert statuses(orphan, alive, foreign) == ["READY", "RUNNING", "RUNNING"]
    entry = AuditEntry.objects.get(action="task.requeued")
    assert (entry.object_id, entry.data) == (
        str(orphan.pk),
        {"task": TASK, "attempts": 1, "error": "", "worker": "host-a:101"},
    )


def test_a_task_whose_worker_died_on_its_last_attempt_is_failed(settings):
    settings.TASK_MAX_ATTEMPTS = 3
    orphan = task("RUNNING", workers=["h:1", "h:2", "h:3"])

    assert tasks_recover() == {"requeued": 0, "retried": 0, "gave_up": 1}

    orphan.refresh_from_db()
    assert (orphan.status, orphan.exception_class_path) == ("FAILED", WORKER_DIED)
    assert AuditEntry.objects.filter(action="task.gave_up", object_id=str(orphan.pk)).count() == 1
    assert tasks_recover() == {"requeued": 0, "retried": 0, "gave_up": 0}  # stays failed


def test_failed_tasks_run_again_after_a_doubling_back_off(settings):
    settings.TASK_RETRY_SECONDS = 60
    settings.TASK_MAX_ATTEMPTS = 5
    waiting = task("FAILED", workers=["h:1", "h:2"], finished_ago=dt.timedelta(seconds=90))
    due = task("FAILED", workers=["h:1"], finished_ago=dt.timedelta(seconds=90))
    exhausted = task("FAILED", workers=["h:1"] * 5, finished_ago=dt.timedelta(hours=3))

    counts = tasks_recover()

    assert [task_backoff(n).total_seconds() for n in (1, 2, 3, 8)] == [60, 120, 240, 3600]
    assert counts == {"requeued": 0, "retried": 1, "gave_up": 0}
    assert statuses(waiting, due, exhausted) == ["FAILED", "READY", "FAILED"]
    assert AuditEntry.objects.get(action="task.retried").object_id == str(due.pk)


def test_operator_sees_failed_tasks_and_retries_one_audited(client):
    operator = UserFactory(email="olive@example.net", is_staff=True, is_superuser=True)
    client.force_login(operator)
    failed = task(
        "FAILED", workers=["h:1"] * 5, finished_ago=dt.timedelta(hours=1), error="x.CredentialError"
    )
    done = task("SUCCESSFUL", finished_ago=dt.timedelta(hours=1))
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")

    listing = client.get(url, {"status__exact": "FAILED"}).content.decode()
    response = client.post(
        url, {"action": "retry", "_selected_action": [failed.pk, done.pk]}, follow=True
    )

    assert "CredentialError" in listing
    assert "1 task will run again." in response.content.decode()
    assert statuses(failed, done) == ["READY", "SUCCESSFUL"]
    entry = AuditEntry.objects.get(action="task.retried")
    assert (entry.actor, entry.object_id) == (operator, str(failed.pk))


def test_task_pages_are_read_only(client):
    operator = UserFactory(email="olive@example.net", is_staff=True, is_superuser=True)
    client.force_login(operator)
    result = task("FAILED", finished_ago=dt.timedelta(hours=1))
    change = reverse("admin:django_tasks_database_dbtaskresult_change", args=[result.pk])

    client.post(change, {"status": "SUCCESSFUL"})

    assert statuses(result) == ["FAILED"]
    assert client.get(reverse("admin:django_tasks_database_dbtaskresult_add")).status_code == 403
