"""Periodic jobs: each app may define `schedule.JOBS = [(seconds, "dotted.path.to.callable")]`.

`strategists worker` runs them beside the task worker: mail retries, reminders, waitlist offers
that lapse, questions that escalate. Each job is idempotent, so running one twice is harmless,
and with several workers on several machines each still runs once per interval: a worker takes
a job's lease (`JobLock`, a conditional UPDATE judged by the database's clock, the one clock
every machine shares) before it runs it.
"""

import datetime as dt
import importlib
import logging

from django.apps import apps
from django.conf import settings
from django.db import close_old_connections, connections
from django.db.models import DateTimeField, ExpressionWrapper, Q, Value
from django.db.models.functions import Now

from strategists.common.models import JobLock

logger = logging.getLogger(__name__)

JOBS = [
    (60, "strategists.common.mail.mail_send_due"),
    (24 * 3600, "strategists.common.mail.mail_purge_bodies"),
    # Tasks whose worker died, and failed tasks whose back-off has passed, run again.
    (30, "strategists.common.task_services.tasks_recover"),
]


def all_jobs() -> list[tuple[int, str]]:
    jobs = []
    for config in apps.get_app_configs():
        if not config.name.startswith("strategists."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.schedule")
        except ModuleNotFoundError:
            continue
        jobs.extend(getattr(module, "JOBS", []))
    return jobs


def run_job(path: str) -> None:
    module_name, _, function_name = path.rpartition(".")
    function = getattr(importlib.import_module(module_name), function_name)
    try:
        function()
    except Exception:
        logger.exception("periodic job %s failed", path)


def _in(seconds: float) -> ExpressionWrapper:
    return ExpressionWrapper(
        Now() + Value(dt.timedelta(seconds=seconds)), output_field=DateTimeField()
    )


def job_claim(*, name: str, holder: str, interval: int) -> bool:
    """Take the lease on a job if it is due and nobody holds it; True when this holder got it.
    Of any number of workers asking at once, exactly one gets it: the UPDATE's condition is
    checked and the row written in one statement."""
    JobLock.objects.get_or_create(name=name)
    lease = max(interval, settings.JOB_LEASE_SECONDS)
    taken = JobLock.objects.filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=Now()), name=name
    ).update(
        locked_until=_in(lease),
        holder=holder,
        last_started_at=Now(),
        last_finished_at=None,
    )
    return taken == 1


def job_release(*, name: str, holder: str, interval: int) -> bool:
    """The job is done: it is next due one interval after it started. A holder whose lease ran
    out (and was taken by another worker) changes nothing."""
    lock = JobLock.objects.filter(name=name, holder=holder, last_finished_at__isnull=True).first()
    if lock is None or lock.last_started_at is None:
        return False
    next_run = lock.last_started_at + dt.timedelta(seconds=interval)
    return (
        JobLock.objects.filter(pk=lock.pk, holder=holder, last_finished_at__isnull=True).update(
            locked_until=next_run,
            last_finished_at=Now(),
        )
        == 1
    )


def _between_jobs() -> None:
    """Close the connections that broke or grew old, as Django does after each request; never
    one in the middle of a transaction (a caller's, or a test's)."""
    if not any(conn.in_atomic_block for conn in connections.all(initialized_only=True)):
        close_old_connections()


def run_due_jobs(*, holder: str, jobs: list[tuple[int, str]] | None = None) -> list[str]:
    """Run every job that is due and whose lease this worker takes; the paths it ran. Database
    connections that broke or grew old are closed between jobs, as after a request."""
    ran = []
    for interval, path in all_jobs() if jobs is None else jobs:
        _between_jobs()
        if not job_claim(name=path, holder=holder, interval=interval):
            continue
        try:
            run_job(path)
            ran.append(path)
        finally:
            _between_jobs()
            job_release(name=path, holder=holder, interval=interval)
    _between_jobs()
    return ran
