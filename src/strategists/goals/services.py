"""Every write on goals: the program year and the constituency targets."""

from django.conf import settings
from django.db import transaction

from strategists.common.audit import audit_log, changes, snapshot
from strategists.events.models import Event
from strategists.goals.defaults import default_year_start, year_ending, year_name
from strategists.goals.models import ConstituencyTarget, ProgramYear

YEAR_FIELDS = ("name", "starts_on", "ends_on", "target")


@transaction.atomic
def program_year_create_default() -> ProgramYear:
    """The year the data migration makes: from the earliest training (or today), one year long."""
    existing = ProgramYear.objects.select_for_update().order_by("starts_on").first()
    if existing is not None:
        return existing
    start = default_year_start(Event)
    end = year_ending(start)
    year = ProgramYear.objects.create(name=year_name(start, end), starts_on=start, ends_on=end,
                                      target=settings.PROGRAM_TARGET)
    audit_log("program_year.created", year, after=snapshot(year, YEAR_FIELDS))
    return year


@transaction.atomic
def program_year_update(*, year: ProgramYear, by, name: str, starts_on, ends_on, target: int) -> ProgramYear:
    old = snapshot(year, YEAR_FIELDS)
    year.name, year.starts_on, year.ends_on, year.target, year.updated_by = name, starts_on, ends_on, target, by
    year.full_clean()
    year.save()
    before, after = changes(year, YEAR_FIELDS, old)
    audit_log("program_year.changed", year, actor=by, before=before, after=after)
    from strategists.goals.forecasting import queue_refresh

    transaction.on_commit(queue_refresh)  # the forecast depends on the year's dates and target
    return year


@transaction.atomic
def target_set(*, year: ProgramYear, by, organization_type: str, role: str, target: int) -> ConstituencyTarget:
    """Create the target for this constituency and role, or change it if it exists."""
    old = (ConstituencyTarget.objects.filter(program_year=year, organization_type=organization_type, role=role)
           .values_list("target", flat=True).first())
    item, _created = ConstituencyTarget.objects.update_or_create(
        program_year=year, organization_type=organization_type, role=role,
        defaults={"target": target, "updated_by": by},
    )
    audit_log("target.changed", item, actor=by, before={"target": old}, after={"target": item.target},
              data={"year": year.pk, "organization_type": organization_type, "role": role})
    return item


@transaction.atomic
def target_delete(*, target: ConstituencyTarget) -> None:
    audit_log("target.deleted", target, before={"target": target.target},
              data={"year": target.program_year_id, "organization_type": target.organization_type,
                    "role": target.role})
    target.delete()
