"""A plan run whose worker died (no heartbeat) is marked failed, and the year can plan again."""

import datetime as dt
import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from strategists.common.models import AuditEntry
from strategists.planner import services
from strategists.planner.core import InstanceError
from strategists.planner.models import PlanRun


def running(program, *, silent_for: dt.timedelta) -> PlanRun:
    run = services.run_start(year=program.year, by=program.coordinator, time_limit=5, enqueue=False)
    PlanRun.objects.filter(pk=run.pk).update(
        status=PlanRun.Status.RUNNING, updated_at=timezone.now() - silent_for
    )
    return run


def test_a_run_silent_too_long_is_failed_and_the_year_can_plan_again(program, settings):
    settings.PLANNER_STALE_SECONDS = 300
    run = running(program, silent_for=dt.timedelta(minutes=6))
    with pytest.raises(ValidationError):
        services.run_start(year=program.year, by=program.coordinator, enqueue=False)

    failed = services.runs_fail_stale()

    run.refresh_from_db()
    assert (failed, run.status, run.finished_at is not None) == (1, "failed", True)
    assert run.message == "The planner stopped without finishing (its worker died). Start it again."
    entry = AuditEntry.objects.get(action="plan.run_failed")
    assert (entry.object_id, entry.data["after"]) == (str(run.pk), {"status": "failed"})
    again = services.run_start(year=program.year, by=program.coordinator, enqueue=False)
    assert again.status == "queued"


def test_a_run_that_beats_is_left_running(program, settings):
    settings.PLANNER_STALE_SECONDS = 300
    run = running(program, silent_for=dt.timedelta(minutes=4))

    assert services.runs_fail_stale() == 0
    run.refresh_from_db()
    assert run.status == "running"


def test_a_running_plan_writes_its_heartbeat_while_nothing_changes(program, monkeypatch):
    monkeypatch.setattr(services, "HEARTBEAT_SECONDS", 0)

    def slow_solver(*args, progress, **kwargs):
        time.sleep(1.6)  # no progress reported at all
        raise InstanceError("too slow to matter")

    monkeypatch.setattr(services, "solve", slow_solver)
    run = services.run_start(year=program.year, by=program.coordinator, time_limit=5, enqueue=False)
    beats = []
    save_progress = services._save_progress
    monkeypatch.setattr(services, "_save_progress", lambda *a: (beats.append(a), save_progress(*a)))

    services.run_execute(run_id=run.pk)

    assert len(beats) >= 2
    assert {beat[1] for beat in beats} == {0.0}
