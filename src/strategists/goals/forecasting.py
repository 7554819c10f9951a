"""The forecast core (forecast.py) fed from the database, and cached.

A forecast takes about a second at full scale, and "what it takes" several: both are computed
once per change of the data and kept in Django's cache. The cache key holds a data version that
signal handlers (apps.py) move on every save or delete of a training, a registration, a piece of
evidence or a certification, plus the program year's last change and today's date; a time limit
covers writes that bypass signals (bulk_create, queryset.update()) and other processes' caches
when the cache is not shared.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, Subquery
from django.utils import timezone

from strategists.events.models import Event, Registration
from strategists.goals import forecast as core
from strategists.goals import selectors
from strategists.goals.models import ProgramYear

VERSION_KEY = "goals:data-version"
CACHE_SECONDS = 15 * 60
HORIZON_DAYS = 365  # look this far past the end of the year for the date the target is reached
PLANNED_STATES = (Event.State.PROPOSED, Event.State.CHANGES_REQUESTED)
SIMULATIONS = 2000


def data_version() -> int:
    return cache.get(VERSION_KEY, 0)


def data_changed(**kwargs) -> None:
    """Signal receiver: the next progress page recomputes."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache yet (or evicted)
        cache.set(VERSION_KEY, 1, None)


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


def compute_outlook(year: ProgramYear, today: dt.date, *, simulations: int | None = None) -> Outlook:
    simulations = simulations or SIMULATIONS
    inputs = forecast_inputs(year, today)
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


def outlook(year: ProgramYear, today: dt.date | None = None) -> Outlook:
    today = today or timezone.localdate()
    return cached("outlook", year, today, lambda: compute_outlook(year, today))


def progress_data(year: ProgramYear, today: dt.date | None = None) -> dict:
    """Everything heavy on the progress page, cached together: the outlook, the pipeline by region
    and the certifications by day."""
    today = today or timezone.localdate()
    return {
        "outlook": outlook(year, today),
        "pipeline": cached("pipeline", year, today, lambda: selectors.pipeline_by_region(year)),
        "by_day": cached("by-day", year, today, lambda: selectors.certified_by_day(year)),
    }


def burnup_series(year: ProgramYear, today: dt.date, data: dict) -> tuple[list, list]:
    """(date, certified) up to today, and (date, p10, p50, p90) after it, to the end of the year."""
    actual = selectors.cumulative(data["by_day"], year.starts_on, min(today, year.ends_on))
    result = data["outlook"]
    band = [(day, p10 + result.offset, p50 + result.offset, p90 + result.offset)
            for day, p10, p50, p90 in result.forecast.band if today < day <= year.ends_on]
    return actual, band
