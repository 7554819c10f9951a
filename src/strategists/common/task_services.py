"""Background tasks that died with their worker, or failed, run again with back-off; audited.

With the database task backend (the default), a worker that is killed (-9, a lost machine)
leaves the task it was running marked "running" for ever. `strategists worker` names its task
runner after its heartbeat (common/health.py), so a periodic job (`tasks_recover`) can tell a
task whose worker is gone: it is queued again, and so is a task that failed, after a back-off
that doubles with each attempt (`TASK_RETRY_SECONDS`, then 2x, 4x..., at most an hour), until
`TASK_MAX_ATTEMPTS`; then it stays failed, in the admin's list of tasks, where an operator may
retry it (`task_retry`). Every task of the platform is idempotent (mail is claimed under a
lease, credentials are issued for what a person holds not yet, a plan run starts only once), so
running one again never does its work twice.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from strategists.common.audit import audit_log
from strategists.common.models import WorkerHeartbeat

WORKER_DIED = "strategists.common.task_services.WorkerDied"


def task_attempts(result: DBTaskResult) -> int:
    """How many times a worker took the task: each claim adds the worker's id."""
    return len(result.worker_ids)


def task_backoff(attempts: int) -> dt.timedelta:
    """The wait before the next attempt after `attempts` attempts: doubling, at most an hour."""
    seconds = settings.TASK_RETRY_SECONDS * 2 ** max(0, attempts - 1)
    return dt.timedelta(seconds=min(seconds, 3600))


def _live_workers(now: dt.datetime) -> set[str]:
    since = now - dt.timedelta(seconds=settings.HEALTH_WORKER_STALE_SECONDS)
    return set(WorkerHeartbeat.objects.filter(last_seen__gte=since).values_list("name", flat=True))


def _ours(worker_id: str) -> bool:
    # `strategists worker` names its task runner "host:pid" after its heartbeat; a task runner
    # started some other way has a random id and no heartbeat to judge it by.
    return ":" in worker_id


def _requeue(result: DBTaskResult, now: dt.datetime) -> None:
    result.status = TaskResultStatus.READY
    result.run_after = now
    result.finished_at = None
    result.save(update_fields=["status", "run_after", "finished_at"])


def _audit_data(result: DBTaskResult) -> dict:
    return {
        "task": result.task_path,
        "attempts": task_attempts(result),
        "error": result.exception_class_path,
    }


@transaction.atomic
def tasks_recover(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic job: queue again the tasks whose worker died (or fail them after the last
    attempt) and the failed tasks whose back-off has passed. Counts of what it did."""
    now = now or timezone.now()
    live = _live_workers(now)
    counts = {"requeued": 0, "retried": 0, "gave_up": 0}
    running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
        status=TaskResultStatus.RUNNING
    )
    for result in running:
        worker = result.worker_ids[-1] if result.worker_ids else ""
        if not _ours(worker) or worker in live:
            continue
        if task_attempts(result) >= settings.TASK_MAX_ATTEMPTS:
            result.status = TaskResultStatus.FAILED
            result.finished_at = now
            result.exception_class_path = WORKER_DIED
            result.traceback = f"The worker {worker} stopped while running this task."
            result.save(
                update_fields=["status", "finished_at", "exception_class_path", "traceback"]
            )
            audit_log("task.gave_up", result, data={**_audit_data(result), "worker": worker})
            counts["gave_up"] += 1
            continue
        _requeue(result, now)
        audit_log("task.requeued", result, data={**_audit_data(result), "worker": worker})
        counts["requeued"] += 1
    failed = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
        status=TaskResultStatus.FAILED
    )
    for result in failed:
        attempts = task_attempts(result)
        if attempts >= settings.TASK_MAX_ATTEMPTS or result.exception_class_path == WORKER_DIED:
            continue
        if result.finished_at and result.finished_at + task_backoff(attempts) > now:
            continue
        _requeue(result, now)
        audit_log("task.retried", result, data=_audit_data(result))
        counts["retried"] += 1
    return counts


@transaction.atomic
def task_retry(*, task_ids, by) -> list[DBTaskResult]:
    """An operator runs failed tasks again now (from the admin); each retry is audited."""
    now = timezone.now()
    retried = []
    for result in DBTaskResult.objects.select_for_update().filter(
        pk__in=task_ids, status=TaskResultStatus.FAILED
    ):
        _requeue(result, now)
        audit_log("task.retried", result, actor=by, data=_audit_data(result))
        retried.append(result)
    return retried
