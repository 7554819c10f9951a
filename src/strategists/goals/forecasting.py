"""The forecast core (forecast.py) fed from the database, computed in the background, and cached.

The forecast and "what it takes" take seconds at full scale, so a request never computes them: a
background task (tasks.py) does, and stores the result in a ForecastSnapshot row that every
process reads; the progress page shows the last one with its "as of" time, or says it is being
computed when there is none yet. The task is queued after the commit of every save or delete of a
training, a registration, a piece of evidence or a certification (signal handlers in apps.py; at
most one queued every ``DEBOUNCE_SECONDS``), and by a periodic job (schedule.py) that
covers writes that bypass signals (bulk_create, queryset.update()) and the change of day. It
recomputes only when the inputs changed: their digest is stored with the result.

The rest of the progress page (pipeline, certified by day) is cheap enough to compute in a
request and is cached per data version: a version the same signal handlers move, plus the program
year's last change and today's date; a short time limit covers writes that bypass signals and
other processes' caches when the cache is not shared.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import math
import time
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Subquery
from django.utils import timezone

from strategists.events.models import Event, Registration
from strategists.goals import forecast as core
from strategists.goals import selectors
from strategists.goals.models import ForecastSnapshot, ProgramYear

logger = logging.getLogger(__name__)

VERSION_KEY = "goals:data-version"
QUEUED_KEY = "goals:forecast-queued"
CACHE_SECONDS = 5 * 60
DEBOUNCE_SECONDS = 60
HORIZON_DAYS = 365  # look this far past the end of the year for the date the target is reached
PLANNED_STATES = (Event.State.PROPOSED, Event.State.CHANGES_REQUESTED)
SIMULATIONS = 2000


DASHBOARD_VERSION_KEY = "goals:dashboard-version"


def data_version() -> int:
    return cache.get(VERSION_KEY, 0)


def dashboard_version() -> int:
    """Moves with what only the coordinator's dashboard shows (trainer assignments, experts,
    organizations and their hosts, questions and suggested resources), besides ``data_version``."""
    return cache.get(DASHBOARD_VERSION_KEY, 0)


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not in the cache yet (or evicted)
        cache.set(key, 1, None)


def dashboard_changed(**kwargs) -> None:
    """Signal receiver: the next dashboard recomputes its tables."""
    _bump(DASHBOARD_VERSION_KEY)


def data_changed(**kwargs) -> None:
    """Signal receiver: the next progress page recomputes its tables, and the forecast is queued
    for a refresh once the change is committed."""
    _bump(VERSION_KEY)
    transaction.on_commit(queue_refresh)


def queue_refresh(*, defer: bool = True) -> None:
    """Queue the background forecast, at most once every ``DEBOUNCE_SECONDS`` (per process, or
    everywhere when the cache is shared). Where the task backend can defer, the task runs when
    that window closes, so it sees every change made in it; otherwise it runs now and changes
    later in the window wait for the next one or for the periodic job."""
    if not cache.add(QUEUED_KEY, True, DEBOUNCE_SECONDS):
        return
    from strategists.goals.tasks import refresh_forecast_task

    task = refresh_forecast_task
    try:
        if defer and task.get_backend().supports_defer:
            task = task.using(run_after=timezone.now() + dt.timedelta(seconds=DEBOUNCE_SECONDS))
        task.enqueue()
    except Exception:  # the periodic job catches up; a write must not fail for the forecast
        cache.delete(QUEUED_KEY)
        logger.exception("could not queue the forecast refresh")


@dataclass(frozen=True)
class Inputs:
    history: tuple[core.TrainingHistory, ...]
    planned: tuple[core.PlannedTraining, ...]
    # Certified this year without attending a training of the year (prior learning): the core
    # sees only trainings, so they are added to its band as a constant.
    certified_elsewhere: int


def forecast_inputs(year: ProgramYear, today: dt.date, now: dt.datetime | None = None) -> Inputs:
    """Trainings held (with their certifications, by the attendee's first training of the year)
    and trainings planned (approved ones ahead, and proposals with a date or a window)."""
    now = now or timezone.now()
    events = selectors.year_events(year)
    held_events = events.filter(state__in=selectors.PUBLISHED, starts_at__lt=now)
    held = list(
        held_events
        .annotate(registered=Count("registrations", filter=selectors.registered_q("registrations__")),
                  attended=Count("registrations", filter=selectors.attended_q("registrations__")))
        .values_list("pk", "starts_at", "registered", "attended").order_by("starts_at", "pk"))
    held_days = {pk: min(timezone.localdate(starts_at), today) for pk, starts_at, _r, _a in held}

    certified = dict(selectors.certified_in_year(year).values_list("person_id", "certified_at"))
    level1 = selectors.everywhere_people(1)
    level2 = {row["person_id"] for row in selectors.everywhere_people(2)}
    first_training: dict[int, tuple[dt.date, int]] = {}
    attendances = (Registration.objects.filter(selectors.attended_q(), event_id__in=held_events.values("pk"))
                   .filter(Q(person_id__in=selectors.certified_in_year(year).values("person_id"))
                           | Q(person_id__in=Subquery(level1)))
                   .values_list("person_id", "event_id"))
    level1_people = set()
    for person_id, event_id in attendances:
        level1_people.add(person_id)
        key = (held_days[event_id], event_id)
        if person_id not in first_training or key < first_training[person_id]:
            first_training[person_id] = key
    per_event: dict[int, dict] = defaultdict(lambda: {"certifications": defaultdict(int), "l1": 0, "l2": 0})
    for person_id, (day, event_id) in first_training.items():
        bucket = per_event[event_id]
        if person_id in certified:
            # Certified before the training (on prior learning): count it on the training's day.
            bucket["certifications"][min(max(timezone.localdate(certified[person_id]), day), today)] += 1
        # Certified people passed L1 and L2 everywhere even when that evidence was later revised.
        bucket["l1"] += 1
        bucket["l2"] += person_id in level2 or person_id in certified
    history = []
    for pk, _starts_at, registered, attended in held:
        bucket = per_event.get(pk, {"certifications": {}, "l1": 0, "l2": 0})
        history.append(core.TrainingHistory(
            date=held_days[pk], registered=registered, attended=attended,
            certifications=tuple(sorted(bucket["certifications"].items())),
            level1=min(bucket["l1"], attended), level2=min(bucket["l2"], attended)))
    attributed = sum(t.certified for t in history)
    return Inputs(tuple(history), _planned(year, today, now, history), len(certified) - attributed)


def _planned(year: ProgramYear, today: dt.date, now: dt.datetime, history) -> tuple[core.PlannedTraining, ...]:
    mean = sum(t.registered for t in history) / len(history) if history else None
    horizon = year.ends_on + dt.timedelta(days=HORIZON_DAYS)
    approved = (Event.objects.filter(state=Event.State.APPROVED, starts_at__gte=now)
                .annotate(registered=Count("registrations", filter=selectors.registered_q("registrations__")))
                .values_list("starts_at", "registered"))
    proposed = Event.objects.filter(state__in=PLANNED_STATES).values_list("starts_at", "window_start", "window_end")
    planned = []
    for starts_at, registered in approved:
        day = timezone.localdate(starts_at)
        if day <= horizon:
            # A training already fuller than the average one will not shrink back to it.
            expected = registered if mean is not None and registered > mean else None
            planned.append(core.PlannedTraining(max(day, today), expected))
    for starts_at, window_start, window_end in proposed:
        if starts_at is not None:
            day = timezone.localdate(starts_at)
        else:
            day = window_start + (window_end - window_start) / 2
        if today <= day <= horizon:
            planned.append(core.PlannedTraining(day))
    return tuple(sorted(planned, key=lambda p: p.date))


@dataclass(frozen=True)
class Outlook:
    """The forecast and what it takes, in the units of the whole program (core + elsewhere)."""

    forecast: core.Forecast
    what_it_takes: core.WhatItTakes | None
    offset: int
    target: int

    def shifted(self, value: float) -> float:
        return value + self.offset

    @property
    def reach_dates(self) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
        f = self.forecast
        return f.reach_date_p10, f.reach_date_p50, f.reach_date_p90

    @property
    def at_end(self) -> tuple[float, float, float]:
        return tuple(round(v + self.offset) for v in self.forecast.at_end)


def compute_outlook(year: ProgramYear, today: dt.date, *, simulations: int | None = None,
                    inputs: Inputs | None = None) -> Outlook:
    simulations = simulations or SIMULATIONS
    inputs = inputs or forecast_inputs(year, today)
    target = max(year.target - inputs.certified_elsewhere, 1)
    start = min(year.starts_on, today)
    horizon = max(year.ends_on, today) + dt.timedelta(days=HORIZON_DAYS)
    result = core.forecast(inputs.history, inputs.planned, target=target, start=start,
                           end=max(year.ends_on, start + dt.timedelta(days=1)), today=today, horizon=horizon,
                           simulations=simulations)
    takes = None
    if today < year.ends_on:
        takes = core.what_it_takes(inputs.history, inputs.planned, target=target, end=year.ends_on, today=today,
                                   simulations=simulations)
    return Outlook(result, takes, inputs.certified_elsewhere, year.target)


def cached(name: str, year: ProgramYear, today: dt.date, compute):
    """``compute()`` once per change of the data, of the year or of the day."""
    key = f"goals:{name}:{year.pk}:{year.updated_at.isoformat()}:{today.isoformat()}:{data_version()}"
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, CACHE_SECONDS)
    return result


# The stored forecast -----------------------------------------------------------------------

_TYPES = {cls.__name__: cls for cls in (Outlook, core.Forecast, core.Rates, core.WhatItTakes)}


def _encode(value):
    if dataclasses.is_dataclass(value):
        return {"$type": type(value).__name__,
                **{f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, (tuple, list)):
        return [_encode(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):  # JSON (and PostgreSQL's jsonb) has none
        return {"$float": repr(value)}
    return value


def _decode(value):
    if isinstance(value, list):
        return tuple(_decode(item) for item in value)
    if isinstance(value, dict):
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        if "$float" in value:
            return float(value["$float"])
        fields = {key: _decode(item) for key, item in value.items() if key != "$type"}
        return _TYPES[value["$type"]](**fields)
    return value


def outlook_to_json(result: Outlook) -> dict:
    return _encode(result)


def outlook_from_json(data: dict) -> Outlook:
    return _decode(data)


@dataclass(frozen=True)
class Stored:
    """The last forecast stored for a year: ``outlook`` is None while none has been computed."""

    outlook: Outlook | None
    as_of: dt.datetime | None = None
    today: dt.date | None = None


_DECODED: dict[tuple, Outlook] = {}  # the last snapshots read by this process, decoded


def stored_outlook(year: ProgramYear) -> Stored:
    """The last forecast of the year as it is (one query, two when this process has not decoded
    it yet); never computes one."""
    head = ForecastSnapshot.objects.filter(program_year=year).values("pk", "digest", "as_of", "today").first()
    if head is None:
        return Stored(None)
    key = (head["pk"], head["digest"], head["as_of"])
    result = _DECODED.get(key)
    if result is None:
        data = ForecastSnapshot.objects.filter(pk=head["pk"]).values_list("outlook", flat=True).first()
        try:
            result = outlook_from_json(data)
        except (KeyError, TypeError, ValueError):  # gone meanwhile, or stored by an older version
            logger.warning("unreadable forecast snapshot for %s", year)
            return Stored(None)
        if len(_DECODED) >= 8:
            _DECODED.clear()
        _DECODED[key] = result
    return Stored(result, head["as_of"], head["today"])


def inputs_digest(year: ProgramYear, today: dt.date, inputs: Inputs, simulations: int) -> str:
    key = repr((inputs, year.target, year.starts_on, year.ends_on, today, simulations))
    return hashlib.sha256(key.encode()).hexdigest()


def refresh_forecast(year: ProgramYear | None = None, today: dt.date | None = None, *,
                     force: bool = False) -> ForecastSnapshot:
    """Compute the forecast of the year (the current one by default) and store it, unless the
    stored one was computed from the same inputs on the same day. Runs in the background task."""
    today = today or timezone.localdate()
    year = year or selectors.current_year(today)
    simulations = SIMULATIONS
    as_of = timezone.now()
    inputs = forecast_inputs(year, today, as_of)
    digest = inputs_digest(year, today, inputs, simulations)
    snapshot = ForecastSnapshot.objects.filter(program_year=year).first()
    if snapshot is not None and snapshot.digest == digest and not force:
        # Nothing to recompute: the stored forecast holds for the data as of now.
        ForecastSnapshot.objects.filter(pk=snapshot.pk, as_of__lt=as_of).update(as_of=as_of)
        snapshot.refresh_from_db()
        return snapshot
    started = time.perf_counter()
    result = compute_outlook(year, today, simulations=simulations, inputs=inputs)
    values = {"digest": digest, "as_of": as_of, "today": today, "outlook": outlook_to_json(result),
              "seconds": round(time.perf_counter() - started, 3)}
    # Two refreshes at once: the one that read the data last wins.
    updated = ForecastSnapshot.objects.filter(program_year=year, as_of__lte=as_of).update(**values)
    if not updated:
        try:
            with transaction.atomic():
                ForecastSnapshot.objects.create(program_year=year, **values)
        except IntegrityError:  # a newer one was stored meanwhile
            pass
    return ForecastSnapshot.objects.get(program_year=year)


def snapshots_clear() -> None:
    ForecastSnapshot.objects.all().delete()


def progress_data(year: ProgramYear, today: dt.date | None = None) -> dict:
    """Everything heavy on the progress page: the last stored forecast (``outlook``: None while
    there is none yet, ``as_of`` its time), and the pipeline by region, the certifications by day
    and the trainings on the map, cached per data version."""
    today = today or timezone.localdate()
    stored = stored_outlook(year)
    if stored.outlook is None or stored.today != today:
        # None yet, or yesterday's: the worker computes it now, a later view shows it.
        queue_refresh(defer=False)
    return {
        "outlook": stored.outlook,
        "as_of": stored.as_of,
        "pipeline": cached("pipeline", year, today, lambda: selectors.pipeline_by_region(year)),
        "by_day": cached("by-day", year, today, lambda: selectors.certified_by_day(year)),
        # Held or planned moves with the clock too: the cache's time limit covers that.
        "points": cached("points", year, today, lambda: selectors.training_points(year)),
        # The rendered charts, map and tables are cached under this key (progress.html).
        "fragment_key": f"{year.pk}:{year.updated_at.isoformat()}:{today.isoformat()}:{data_version()}:"
                        f"{stored.as_of.isoformat() if stored.as_of else '-'}",
    }


def burnup_series(year: ProgramYear, today: dt.date, data: dict) -> tuple[list, list]:
    """(date, certified) up to today, and (date, p10, p50, p90) after it, to the end of the year
    (no band while no forecast is stored)."""
    actual = selectors.cumulative(data["by_day"], year.starts_on, min(today, year.ends_on))
    result = data["outlook"]
    if result is None:
        return actual, []
    band = [(day, p10 + result.offset, p50 + result.offset, p90 + result.offset)
            for day, p10, p50, p90 in result.forecast.band if today < day <= year.ends_on]
    return actual, band
