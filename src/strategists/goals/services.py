"""Every write on goals: the program year and the constituency targets."""

from django.conf import settings
from django.db import transaction

from strategists.events.models import Event
from strategists.goals.defaults import default_year_start, year_ending, year_name
from strategists.goals.models import ConstituencyTarget, ProgramYear


@transaction.atomic
def program_year_create_default() -> ProgramYear:
    """The year the data migration makes: from the earliest training (or today), one year long."""
    existing = ProgramYear.objects.select_for_update().order_by("starts_on").first()
    if existing is not None:
        return existing
    start = default_year_start(Event)
    end = year_ending(start)
    return ProgramYear.objects.create(name=year_name(start, end), starts_on=start, ends_on=end,
                                      target=settings.PROGRAM_TARGET)


@transaction.atomic
def program_year_update(*, year: ProgramYear, by, name: str, starts_on, ends_on, target: int) -> ProgramYear:
    year.name, year.starts_on, year.ends_on, year.target, year.updated_by = name, starts_on, ends_on, target, by
    year.full_clean()
    year.save()
    from strategists.goals.forecasting import queue_refresh

    transaction.on_commit(queue_refresh)  # the forecast depends on the year's dates and target
    return year


@transaction.atomic
def target_set(*, year: ProgramYear, by, organization_type: str, role: str, target: int) -> ConstituencyTarget:
    """Create the target for this constituency and role, or change it if it exists."""
    item, _created = ConstituencyTarget.objects.update_or_create(
        program_year=year, organization_type=organization_type, role=role,
        defaults={"target": target, "updated_by": by},
    )
    return item


@transaction.atomic
def target_delete(*, target: ConstituencyTarget) -> None:
    target.delete()
