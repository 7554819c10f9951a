"""The home page counts certified strategists; public pages describe themselves to search engines;
the program year is read by selectors and made only by a service."""

import re

import pytest
from django.utils import timezone

from strategists.common.models import AuditEntry
from strategists.goals import selectors, services
from strategists.goals.models import ProgramYear
from tests.goals.conftest import certify


def description(response) -> str:
    match = re.search(r'<meta name="description" content="([^"]*)">', response.content.decode())
    assert match, "no meta description"
    return match.group(1)


DEFAULT = (
    "1000 Strategists trains and certifies digital strategists for the labor movement: free trainings "
    "across the US and Canada, a skills framework and verifiable certificates."
)


def test_home_counts_certified_strategists(client, world):
    certify(world.member)
    certify(world.expert)

    response = client.get("/")

    assert response.status_code == 200
    assert (
        re.search(r'<strong id="certified-count">(\d+)</strong>', response.content.decode()).group(
            1
        )
        == "2"
    )


@pytest.mark.parametrize(
    ("url", "starts"),
    [
        ("/", "One thousand digital strategists for the labor movement in one year"),
        ("/trainings/", "Upcoming free trainings for digital strategists"),
        ("/where-to-go/", "Ask in your own words which tool"),
        ("/progress/", "How many digital strategists the program has certified this year"),
    ],
)
def test_public_pages_have_their_own_description(client, world, url, starts):
    response = client.get(url)

    assert response.status_code == 200
    assert description(response).startswith(starts)


def test_other_pages_have_the_default_description_and_no_htmx_inline_style(client, world):
    response = client.get("/accounts/login/")

    assert description(response) == DEFAULT
    # htmx would otherwise inject a <style> the Content-Security-Policy refuses.
    assert (
        """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>"""
        in response.content.decode()
    )


def test_current_year_reads_only(db):
    ProgramYear.objects.all().delete()

    assert selectors.current_year() is None
    assert ProgramYear.objects.count() == 0


def test_without_a_program_year_the_goals_pages_are_404_and_write_nothing(client_for, db, world):
    ProgramYear.objects.all().delete()

    statuses = [
        client_for("coordinator").get(url).status_code
        for url in ("/progress/", "/dashboard/", "/dashboard/targets/", "/dashboard/year/")
    ]

    assert statuses == [404, 404, 404, 404]
    assert ProgramYear.objects.count() == 0


def test_program_year_ensure_makes_the_year_once(db):
    ProgramYear.objects.all().delete()
    today = timezone.localdate()

    first = services.program_year_ensure()
    again = services.program_year_ensure()

    assert (again.pk, first.starts_on, first.target, ProgramYear.objects.count()) == (
        first.pk,
        today,
        1000,
        1,
    )
    entry = AuditEntry.objects.get(action="program_year.created")
    assert (entry.object_id, entry.actor) == (str(first.pk), None)
    assert selectors.current_year() == first


def test_targets_are_audited(year, world):
    services.target_set(
        year=year,
        by=world.coordinator,
        organization_type="labor-media",
        role="journalist",
        target=5,
    )
    target = services.target_set(
        year=year,
        by=world.coordinator,
        organization_type="labor-media",
        role="journalist",
        target=8,
    )
    services.target_delete(target=target, by=world.coordinator)

    entries = [
        (e.action, e.actor, e.data)
        for e in AuditEntry.objects.filter(object_type="goals.constituencytarget").order_by("pk")
    ]
    assert entries == [
        ("target.set", world.coordinator, {"after": {"target": 5}}),
        ("target.set", world.coordinator, {"before": {"target": 5}, "after": {"target": 8}}),
        ("target.deleted", world.coordinator, {"before": {"target": 8}}),
    ]
