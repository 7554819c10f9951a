"""Every write on goals: the program year, the constituency targets and the stored forecast."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from strategists.common.audit import audit_log, changes, snapshot
from strategists.events.models import Event
from strategists.goals import forecast_store, selectors, tasks
from strategists.goals.defaults import default_year_start, year_ending, year_name
from strategists.goals.models import ConstituencyTarget, ForecastSnapshot, ProgramYear

YEAR_FIELDS = ("name", "starts_on", "ends_on", "target")


@transaction.atomic
def program_year_ensure() -> ProgramYear:
    """The current program year; when there is none (a database emptied after the data migration
    made it), the default one: from the earliest training (or today), one year long."""
    year = selectors.current_year()
    if year is not None:
        return year
    start = default_year_start(Event)
    end = year_ending(start)
    year = ProgramYear.objects.create(
        name=year_name(start, end), starts_on=start, ends_on=end, target=settings.PROGRAM_TARGET
    )
    audit_log("program_year.created", year, after=snapshot(year, YEAR_FIELDS))
    return year


@transaction.atomic
def program_year_update(
    *, year: ProgramYear, by, name: str, starts_on, ends_on, target: int
) -> ProgramYear:
    old = snapshot(year, YEAR_FIELDS)
    year.name, year.starts_on, year.ends_on, year.target, year.updated_by = (
        name,
        starts_on,
        ends_on,
        target,
        by,
    )
    year.full_clean()
    year.save()
    before, after = changes(year, YEAR_FIELDS, old)
    audit_log("program_year.changed", year, actor=by, before=before, after=after)
    transaction.on_commit(
        tasks.queue_forecast_refresh
    )  # the forecast depends on the year's dates and target
    return year


@transaction.atomic
def target_set(
    *, year: ProgramYear, by, organization_type: str, role: str, target: int
) -> ConstituencyTarget:
    """Create the target for this constituency and role, or change it if it exists."""
    existing = (
        ConstituencyTarget.objects.filter(
            program_year=year, organization_type=organization_type, role=role
        )
        .values_list("target", flat=True)
        .first()
    )
    item, created = ConstituencyTarget.objects.update_or_create(
        program_year=year,
        organization_type=organization_type,
        role=role,
        defaults={"target": target, "updated_by": by},
    )
    audit_log(
        "target.set",
        item,
        actor=by,
        before=None if created else {"target": existing},
        after={"target": target},
    )
    return item


@transaction.atomic
def target_delete(*, target: ConstituencyTarget, by=None) -> None:
    audit_log("target.deleted", target, actor=by, before={"target": target.target})
    target.delete()


def forecast_refresh(
    *, year: ProgramYear | None = None, today: dt.date | None = None, force: bool = False
) -> ForecastSnapshot:
    """Compute the forecast of the year (the current one by default) and store it, unless the
    stored one was computed from the same inputs on the same day. Runs in the background task.

    Not one transaction on purpose: the computation takes seconds and must hold no lock; the
    snapshot is written in its own (``_snapshot_store``). A computed cache, not a person's
    decision: it writes no audit entry."""
    today = today or timezone.localdate()
    year = year or selectors.current_year(today) or program_year_ensure()
    simulations = forecast_store.SIMULATIONS
    as_of = timezone.now()
    inputs = forecast_store.forecast_inputs(year, today, as_of)
    digest = forecast_store.inputs_digest(year, today, inputs, simulations)
    stored = ForecastSnapshot.objects.filter(program_year=year).first()
    if stored is not None and stored.digest == digest and not force:
        # Nothing to recompute: the stored forecast holds for the data as of now.
        ForecastSnapshot.objects.filter(pk=stored.pk, as_of__lt=as_of).update(as_of=as_of)
        stored.refresh_from_db()
        return stored
    started = time.perf_counter()
    result = forecast_store.compute_outlook(year, today, simulations=simulations, inputs=inputs)
    values = {
        "digest": digest,
        "as_of": as_of,
        "today": today,
        "outlook": forecast_store.outlook_to_json(result),
        "seconds": round(time.perf_counter() - started, 3),
    }
    return _snapshot_store(year=year, values=values)


@transaction.atomic
def _snapshot_store(*, year: ProgramYear, values: dict) -> ForecastSnapshot:
    # Two refreshes at once: the one that read the data last wins.
    updated = ForecastSnapshot.objects.filter(program_year=year, as_of__lte=values["as_of"]).update(
        **values
    )
    if not updated:
        try:
            with transaction.atomic():
                ForecastSnapshot.objects.create(program_year=year, **values)
        except IntegrityError:  # a newer one was stored meanwhile
            pass
    return ForecastSnapshot.objects.get(program_year=year)


@transaction.atomic
def forecast_snapshots_clear() -> None:
    """Forget every stored forecast (the benchmarks time a first computation)."""
    ForecastSnapshot.objects.all().delete()
