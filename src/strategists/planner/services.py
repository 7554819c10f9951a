"""Setting up a planning year, running the planner, and the coordinator's locks."""

import datetime as dt
import logging
import threading
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.common import audit
from strategists.common.audit import audit_log
from strategists.planner import export
from strategists.planner.core import InstanceError, solve
from strategists.planner.models import CalendarEntry, Lock, PlanningYear, PlanRun, RegionLimit

logger = logging.getLogger(__name__)

YEAR_FIELDS = {
    "name",
    "start_date",
    "slots",
    "cadence_days",
    "trainers_min",
    "trainers_max",
    "reach_decay_km",
    "reach_radius_km",
    "trainer_max_km",
    "travel_weight",
    "no_consecutive_region",
}
THREADS = 2
PROGRESS_EVERY_SECONDS = 0.5
# A running plan writes its progress at least this often, unchanged or not: its heartbeat.
HEARTBEAT_SECONDS = 10
DEFAULT_TIME_LIMIT = 20.0


@transaction.atomic
def year_create(*, by: User, **values) -> PlanningYear:
    year = PlanningYear(**{k: v for k, v in values.items() if k in YEAR_FIELDS})
    year.full_clean()
    year.save()
    audit_log(
        "planning_year.created", year, actor=by, after=audit.snapshot(year, sorted(YEAR_FIELDS))
    )
    return year


@transaction.atomic
def year_update(*, year: PlanningYear, by: User, **values) -> PlanningYear:
    year = PlanningYear.objects.select_for_update().get(pk=year.pk)
    old = audit.snapshot(year, sorted(YEAR_FIELDS))
    for name, value in values.items():
        if name in YEAR_FIELDS:
            setattr(year, name, value)
    year.full_clean()
    year.save()
    before, after = audit.changes(year, sorted(YEAR_FIELDS), old)
    audit_log("planning_year.updated", year, actor=by, before=before, after=after)
    return year


@transaction.atomic
def region_limits_set(*, year: PlanningYear, limits: list[tuple]) -> list[RegionLimit]:
    """Replace the year's region limits with ``[(region, min_events, max_events)]``."""
    for region, low, high in limits:
        if high < low:
            raise ValidationError(
                _("%(region)s: the most must not be less than the least.") % {"region": region}
            )
    before = [
        [limit.region_id, limit.min_events, limit.max_events]
        for limit in year.region_limits.order_by("region_id")
    ]
    year.region_limits.all().delete()
    created = RegionLimit.objects.bulk_create(
        [
            RegionLimit(year=year, region=region, min_events=low, max_events=high)
            for region, low, high in limits
        ]
    )
    audit_log(
        "planning_year.region_limits_set",
        year,
        before={"limits": before},
        after={
            "limits": sorted(
                [getattr(region, "pk", region), low, high] for region, low, high in limits
            )
        },
    )
    return created


@transaction.atomic
def calendar_entry_add(
    *, year: PlanningYear, name: str, start, end, regions=(), buffer_days: int = 0
) -> CalendarEntry:
    entry = CalendarEntry(year=year, name=name, start=start, end=end, buffer_days=buffer_days)
    entry.full_clean()
    entry.save()
    entry.regions.set(regions)
    audit_log(
        "calendar_entry.added",
        entry,
        after={
            "year": year.pk,
            "start": entry.start,
            "end": entry.end,
            "buffer_days": buffer_days,
            "regions": sorted(entry.regions.values_list("pk", flat=True)),
        },
    )
    return entry


@transaction.atomic
def calendar_entry_delete(*, entry: CalendarEntry) -> None:
    audit_log(
        "calendar_entry.deleted",
        entry,
        before={"year": entry.year_id, "start": entry.start, "end": entry.end},
    )
    entry.delete()


@transaction.atomic
def lock_toggle(*, year: PlanningYear, slot: int, event=None, trainer=None) -> bool:
    """Lock ``event`` (or ``trainer``) on ``slot``, or unlock it when already locked; True if locked now."""
    if slot < 0 or slot >= year.slots or (event is None) == (trainer is None):
        raise ValidationError(_("Pick one slot of this year, and a training or a trainer."))
    existing = Lock.objects.filter(year=year, slot=slot, event=event, trainer=trainer)
    what = {
        "slot": slot,
        "event": getattr(event, "pk", None),
        "trainer": getattr(trainer, "pk", None),
    }
    if existing.exists():
        existing.delete()
        audit_log("lock.removed", year, before=what)
        return False
    if event is not None:
        Lock.objects.filter(year=year, slot=slot, event__isnull=False).delete()
    Lock.objects.create(year=year, slot=slot, event=event, trainer=trainer)
    audit_log("lock.added", year, after=what)
    return True


def locks_for(year: PlanningYear, instance: dict) -> dict:
    """The year's locks in the core's shape, leaving out trainings and trainers no longer planned."""
    hosts = {h["id"] for h in instance["hosts"]}
    trainers = {t["id"] for t in instance["trainers"]}
    by_slot: dict[int, dict] = {}
    for lock in year.locks.order_by("slot", "pk"):
        entry = by_slot.setdefault(lock.slot, {"slot": lock.slot})
        if lock.event_id and export.host_id(lock.event_id) in hosts:
            entry["host"] = export.host_id(lock.event_id)
        if lock.trainer_id and export.trainer_id(lock.trainer_id) in trainers:
            entry.setdefault("trainers", []).append(export.trainer_id(lock.trainer_id))
    events = [entry for entry in by_slot.values() if len(entry) > 1 and entry["slot"] < year.slots]
    return {"events": events} if events else {}


@transaction.atomic
def run_start(
    *,
    year: PlanningYear,
    by: User | None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    enqueue: bool = True,
) -> PlanRun:
    """Snapshot the planning data, then plan in the background (warm-started from the last plan)."""
    if year.runs.filter(status__in=[PlanRun.Status.QUEUED, PlanRun.Status.RUNNING]).exists():
        raise ValidationError(_("The planner is already working on this year."))
    instance = export.build_instance(year)
    previous = year.runs.filter(status=PlanRun.Status.DONE, plan__isnull=False).first()
    run = PlanRun.objects.create(
        year=year,
        created_by=by,
        time_limit=time_limit,
        instance=instance,
        locks=locks_for(year, instance),
        warm_start=previous,
        message=_("Waiting for the planner"),
    )
    audit_log(
        "plan.run_started",
        run,
        actor=by,
        data={
            "year": year.pk,
            "time_limit": time_limit,
            "warm_start": previous.pk if previous else None,
        },
    )
    if enqueue:
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from strategists.planner.tasks import plan_year

    plan_year.enqueue(run_id)


def _save_progress(run_id: int, fraction: float, message: str) -> None:
    # `updated_at` is the run's heartbeat (an UPDATE doesn't set auto_now fields).
    PlanRun.objects.filter(pk=run_id).update(
        progress=max(0.0, min(1.0, fraction)), message=message[:300], updated_at=timezone.now()
    )


def run_execute(*, run_id: int) -> PlanRun:
    """Solve one queued run. The solver works in its own thread; this one writes its progress."""
    claimed = PlanRun.objects.filter(pk=run_id, status=PlanRun.Status.QUEUED).update(
        status=PlanRun.Status.RUNNING,
        message=_("Reading the planning data"),
        updated_at=timezone.now(),
    )
    run = PlanRun.objects.select_related("warm_start").get(pk=run_id)
    if not claimed:
        return run
    state = {"fraction": 0.0, "message": ""}
    outcome: dict = {}

    def progress(fraction: float, message: str) -> None:
        state["fraction"], state["message"] = fraction, message

    def work() -> None:
        try:
            outcome["plan"] = solve(
                run.instance,
                time_limit=run.time_limit,
                threads=THREADS,
                locks=run.locks or None,
                warm_start=run.warm_start.plan if run.warm_start else None,
                progress=progress,
            )
        except Exception as error:
            outcome["error"] = error

    solver = threading.Thread(target=work, name=f"plan-run-{run_id}", daemon=True)
    solver.start()
    shown, beat = None, time.monotonic()
    while solver.is_alive():
        solver.join(PROGRESS_EVERY_SECONDS)
        snapshot = (round(state["fraction"], 3), state["message"])
        due = time.monotonic() - beat >= HEARTBEAT_SECONDS
        if (snapshot != shown or due) and solver.is_alive():
            _save_progress(run_id, *snapshot)
            shown, beat = snapshot, time.monotonic()
    error = outcome.get("error")
    if error is not None:
        if not isinstance(error, InstanceError):
            logger.error("plan run %s failed", run_id, exc_info=error)
        _finish(
            run,
            PlanRun.Status.FAILED,
            finished_at=timezone.now(),
            message=(
                _("The planning data is invalid: %(error)s") % {"error": error}
                if isinstance(error, InstanceError)
                else _("The planner failed: %(error)s") % {"error": error}
            )[:300],
        )
    else:
        plan = outcome["plan"]
        _finish(
            run,
            PlanRun.Status.DONE,
            progress=1.0,
            plan=plan.to_dict(),
            finished_at=timezone.now(),
            message=_("%(status)s: %(filled)d of %(slots)d slots filled")
            % {"status": plan.status, "filled": plan.filled, "slots": run.instance["slots"]},
        )
    run.refresh_from_db()
    return run


@transaction.atomic
def _finish(run: PlanRun, status: str, **values) -> None:
    PlanRun.objects.filter(pk=run.pk).update(status=status, **values)
    audit_log(
        "plan.run_finished" if status == PlanRun.Status.DONE else "plan.run_failed",
        run,
        before={"status": PlanRun.Status.RUNNING},
        after={"status": status},
        data={"message": values.get("message", "")},
    )


def runs_fail_stale(*, now: dt.datetime | None = None) -> int:
    """The periodic job: a run marked running whose heartbeat stopped (its worker died) is
    marked failed, so the year's planner can be started again. How many it failed."""
    now = now or timezone.now()
    since = now - dt.timedelta(seconds=settings.PLANNER_STALE_SECONDS)
    failed = 0
    for run_id in PlanRun.objects.filter(
        status=PlanRun.Status.RUNNING, updated_at__lt=since
    ).values_list("pk", flat=True):
        failed += _fail_stale(run_id, since, now)
    return failed


@transaction.atomic
def _fail_stale(run_id: int, since: dt.datetime, now: dt.datetime) -> bool:
    # Under the row lock, the run may have finished or written progress since it was listed.
    run = PlanRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or run.status != PlanRun.Status.RUNNING or run.updated_at >= since:
        return False
    _finish(
        run,
        PlanRun.Status.FAILED,
        finished_at=now,
        message=_("The planner stopped without finishing (its worker died). Start it again."),
    )
    return True
