"""Every goals write leaves one audit entry, in its own transaction."""

import datetime as dt

import pytest

from strategists.common.models import AuditEntry
from strategists.goals import services
from strategists.goals.models import ConstituencyTarget, ProgramYear

pytestmark = pytest.mark.django_db


def test_the_default_year_is_audited_once():
    ProgramYear.objects.all().delete()

    year = services.program_year_ensure()
    services.program_year_ensure()

    entry = AuditEntry.objects.get(action="program_year.created")
    assert (entry.actor, entry.object_id, entry.data["after"]["target"]) == (
        None,
        str(year.pk),
        year.target,
    )


def test_changing_the_year_records_before_and_after(world, year):
    services.program_year_update(
        year=year,
        by=world.coordinator,
        name=year.name,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        target=1200,
    )

    entry = AuditEntry.objects.get(action="program_year.changed")
    assert (entry.actor, entry.data["after"]) == (
        world.coordinator,
        {"starts_on": "2027-01-01", "ends_on": "2027-12-31", "target": 1200},
    )
    assert set(entry.data["before"]) == {"starts_on", "ends_on", "target"}


def test_setting_a_target_records_the_old_and_new_number(world, year):
    services.target_set(
        year=year,
        by=world.coordinator,
        organization_type="local-union",
        role="webmaster",
        target=10,
    )
    services.target_set(
        year=year,
        by=world.coordinator,
        organization_type="local-union",
        role="webmaster",
        target=12,
    )

    entries = AuditEntry.objects.filter(action="target.set").order_by("pk")
    assert [(e.actor, e.data.get("before"), e.data["after"]) for e in entries] == [
        (world.coordinator, None, {"target": 10}),
        (world.coordinator, {"target": 10}, {"target": 12}),
    ]


def test_deleting_a_target_is_audited(client_for, year):
    target = services.target_set(
        year=year, by=None, organization_type="local-union", role="webmaster", target=10
    )

    response = client_for("coordinator").post(f"/dashboard/targets/{target.pk}/delete/")

    entry = AuditEntry.objects.get(action="target.deleted")
    assert (response.status_code, ConstituencyTarget.objects.count()) == (302, 0)
    assert (entry.actor.email, entry.object_id, entry.data["before"]) == (
        "coordinator@example.net",
        str(target.pk),
        {"target": 10},
    )
