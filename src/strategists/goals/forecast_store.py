"""The forecast's database side: its inputs read from the database, and the stored result read back.

The forecast and "what it takes" take seconds at full scale, so a request never computes them: a
background task (tasks.py) calls ``services.forecast_refresh``, which stores the result in a
ForecastSnapshot row that every process reads; the progress page shows the last one with its
"as of" time, or says it is being computed when there is none yet. The task is queued after the
commit of every save or delete of a training, a registration, a piece of evidence or a
certification (receivers.py; at most one queued every ``tasks.DEBOUNCE_SECONDS``), and by a
periodic job (schedule.py) that covers writes that bypass signals (bulk_create,
queryset.update()) and the change of day. It recomputes only when the inputs changed: their
digest is stored with the result.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, Subquery
from django.utils import timezone

from strategists.events.models import Event, Registration
from strategists.goals import selectors
from strategists.goals.core import forecast as core
from strategists.goals.core import forecast_types
from strategists.goals.models import ForecastSnapshot, ProgramYear

logger = logging.getLogger(__name__)

HORIZON_DAYS = 365  # look this far past the end of the year for the date the target is reached
PLANNED_STATES = (Event.State.PROPOSED, Event.State.CHANGES_REQUESTED)
SIMULATIONS = 2000


@dataclass(frozen=True)
class Inputs:
    history: tuple[forecast_types.TrainingHistory, ...]
    planned: tuple[forecast_types.PlannedTraining, ...]
    # Certified this year without attending a training of the year (prior learning): the core
    # sees only trainings, so they are added to its band as a constant.
    certified_elsewhere: int


def forecast_inputs(year: ProgramYear, today: dt.date, now: dt.datetime | None = None) -> Inputs:
    """Trainings held (with their certifications, by the attendee's first training of the year)
    and trainings planned (approved ones ahead, and proposals with a date or a window)."""
    now = now or timezone.now()
    events = selectors.year_events(year)
    held_events = events.filter(state__in=Event.PUBLISHED_STATES, starts_at__lt=now)
    held = list(
        held_events.annotate(
            registered=Count("registrations", filter=selectors.registered_q("registrations__")),
            attended=Count("registrations", filter=selectors.attended_q("registrations__")),
        )
        .values_list("pk", "starts_at", "registered", "attended")
        .order_by("starts_at", "pk")
    )
    held_days = {pk: min(timezone.localdate(starts_at), today) for pk, starts_at, _r, _a in held}

    certified = dict(selectors.certified_in_year(year).values_list("person_id", "certified_at"))
    level1 = selectors.everywhere_people(1)
    level2 = {row["person_id"] for row in selectors.everywhere_people(2)}
    first_training: dict[int, tuple[dt.date, int]] = {}
    attendances = (
        Registration.objects.filter(selectors.attended_q(), event_id__in=held_events.values("pk"))
        .filter(
            Q(person_id__in=selectors.certified_in_year(year).values("person_id"))
            | Q(person_id__in=Subquery(level1))
        )
        .values_list("person_id", "event_id")
    )
    level1_people = set()
    for person_id, event_id in attendances:
        level1_people.add(person_id)
        key = (held_days[event_id], event_id)
        if person_id not in first_training or key < first_training[person_id]:
            first_training[person_id] = key
    per_event: dict[int, dict] = defaultdict(
        lambda: {"certifications": defaultdict(int), "l1": 0, "l2": 0}
    )
    for person_id, (day, event_id) in first_training.items():
        bucket = per_event[event_id]
        if person_id in certified:
            # Certified before the training (on prior learning): count it on the training's day.
            bucket["certifications"][
                min(max(timezone.localdate(certified[person_id]), day), today)
            ] += 1
        # Certified people passed L1 and L2 everywhere even when that evidence was later revised.
        bucket["l1"] += 1
        bucket["l2"] += person_id in level2 or person_id in certified
    history = []
    for pk, _starts_at, registered, attended in held:
        bucket = per_event.get(pk, {"certifications": {}, "l1": 0, "l2": 0})
        history.append(
            forecast_types.TrainingHistory(
                date=held_days[pk],
                registered=registered,
                attended=attended,
                certifications=tuple(sorted(bucket["certifications"].items())),
                level1=min(bucket["l1"], attended),
                level2=min(bucket["l2"], attended),
            )
        )
    attributed = sum(t.certified for t in history)
    return Inputs(tuple(history), _planned(year, today, now, history), len(certified) - attributed)


def _planned(
    year: ProgramYear, today: dt.date, now: dt.datetime, history
) -> tuple[forecast_types.PlannedTraining, ...]:
    mean = sum(t.registered for t in history) / len(history) if history else None
    horizon = year.ends_on + dt.timedelta(days=HORIZON_DAYS)
    approved = (
        Event.objects.filter(state=Event.State.APPROVED, starts_at__gte=now)
        .annotate(
            registered=Count("registrations", filter=selectors.registered_q("registrations__"))
        )
        .values_list("starts_at", "registered")
    )
    proposed = Event.objects.filter(state__in=PLANNED_STATES).values_list(
        "starts_at", "window_start", "window_end"
    )
    planned = []
    for starts_at, registered in approved:
        day = timezone.localdate(starts_at)
        if day <= horizon:
            # A training already fuller than the average one will not shrink back to it.
            expected = registered if mean is not None and registered > mean else None
            planned.append(forecast_types.PlannedTraining(max(day, today), expected))
    for starts_at, window_start, window_end in proposed:
        if starts_at is not None:
            day = timezone.localdate(starts_at)
        else:
            day = window_start + (window_end - window_start) / 2
        if today <= day <= horizon:
            planned.append(forecast_types.PlannedTraining(day))
    return tuple(sorted(planned, key=lambda p: p.date))


@dataclass(frozen=True)
class Outlook:
    """The forecast and what it takes, in the units of the whole program (core + elsewhere)."""

    forecast: forecast_types.Forecast
    what_it_takes: forecast_types.WhatItTakes | None
    offset: int
    target: int

    @property
    def at_end(self) -> tuple[float, float, float]:
        return tuple(round(v + self.offset) for v in self.forecast.at_end)


def compute_outlook(
    year: ProgramYear,
    today: dt.date,
    *,
    simulations: int | None = None,
    inputs: Inputs | None = None,
) -> Outlook:
    simulations = simulations or SIMULATIONS
    inputs = inputs or forecast_inputs(year, today)
    target = max(year.target - inputs.certified_elsewhere, 1)
    start = min(year.starts_on, today)
    horizon = max(year.ends_on, today) + dt.timedelta(days=HORIZON_DAYS)
    result = core.forecast(
        inputs.history,
        inputs.planned,
        target=target,
        start=start,
        end=max(year.ends_on, start + dt.timedelta(days=1)),
        today=today,
        horizon=horizon,
        simulations=simulations,
    )
    takes = None
    if today < year.ends_on:
        takes = core.what_it_takes(
            inputs.history,
            inputs.planned,
            target=target,
            end=year.ends_on,
            today=today,
            simulations=simulations,
        )
    return Outlook(result, takes, inputs.certified_elsewhere, year.target)


# The stored forecast -----------------------------------------------------------------------

_TYPES = {
    cls.__name__: cls
    for cls in (Outlook, forecast_types.Forecast, forecast_types.Rates, forecast_types.WhatItTakes)
}


def _encode(value):
    if dataclasses.is_dataclass(value):
        return {
            "$type": type(value).__name__,
            **{f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)},
        }
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, (tuple, list)):
        return [_encode(item) for item in value]
    if isinstance(value, float) and not math.isfinite(
        value
    ):  # JSON (and PostgreSQL's jsonb) has none
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
    head = (
        ForecastSnapshot.objects.filter(program_year=year)
        .values("pk", "digest", "as_of", "today")
        .first()
    )
    if head is None:
        return Stored(None)
    key = (head["pk"], head["digest"], head["as_of"])
    result = _DECODED.get(key)
    if result is None:
        data = (
            ForecastSnapshot.objects.filter(pk=head["pk"]).values_list("outlook", flat=True).first()
        )
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
