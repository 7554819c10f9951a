"""The public progress page and the coordinator dashboard on a phone: no sideways scrolling,
the charts and their tables visible."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from strategists.curriculum.models import Certification
from strategists.events.models import Event, Registration
from strategists.goals import forecast_store
from strategists.goals.services import program_year_ensure
from tests.browser.conftest import sign_in
from tests.factories import EventFactory, OrganizationFactory, UserFactory, city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small_program(monkeypatch):
    monkeypatch.setattr(forecast_store, "SIMULATIONS", 200)
    cache.clear()
    now = timezone.now().replace(microsecond=0)
    year = (
        program_year_ensure()
    )  # the flush after the last live-server test removed the migration's
    year.starts_on = timezone.localdate() - dt.timedelta(days=90)
    year.ends_on = year.starts_on + dt.timedelta(days=364)
    year.save()
    organization = OrganizationFactory(
        name="International Brotherhood of Long Names and Allied Trades"
    )
    organization.hosts.add(UserFactory(organization=organization))
    held = EventFactory(
        organization=organization,
        title="Digital organizing 101 with a long title for phones",
        starts_at=now - dt.timedelta(days=40),
        state=Event.State.COMPLETED,
    )
    EventFactory(
        organization=organization, city=city("Seattle", "WA"), starts_at=now + dt.timedelta(days=12)
    )
    people = [UserFactory(organization=organization) for _ in range(6)]
    Registration.objects.bulk_create(
        [
            Registration(
                event=held,
                person=p,
                status="registered",
                checked_in_at=held.starts_at if i < 4 else None,
            )
            for i, p in enumerate(people)
        ]
    )
    Certification.objects.create(person=people[0], certified_at=now - dt.timedelta(days=5))
    UserFactory(email="cora@example.net", is_coordinator=True)
    yield
    cache.clear()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_progress_page_and_dashboard_on_a_phone(phone, small_program):
    # Any console error fails the test (htmx's inline indicator style refused by the CSP was one).
    errors = []
    phone.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    phone.goto("/progress/")

    assert no_horizontal_scroll(phone)
    assert phone.get_by_test_id("certified").inner_text() == "1"
    burnup = phone.locator("svg[aria-labelledby='burnup-title burnup-desc']")
    assert burnup.is_visible()
    assert burnup.bounding_box()["width"] <= 390
    assert phone.locator("svg[aria-labelledby='pipeline-title pipeline-desc']").is_visible()
    assert phone.get_by_test_id("pipeline-table").is_visible()
    phone.get_by_text("The chart as a table").click()
    assert phone.get_by_role(
        "table", name="Certified strategists by date, and the forecast"
    ).is_visible()
    assert phone.locator("svg.map").is_visible()
    assert no_horizontal_scroll(phone)

    # The coordinator's dashboard, on the same phone (one test: the flush after a live-server
    # test empties the gazetteer the factories place people with).
    sign_in(phone, "cora@example.net")
    phone.goto("/dashboard/")

    assert no_horizontal_scroll(phone)
    assert phone.get_by_role("heading", name="Coordinator dashboard").is_visible()
    assert phone.get_by_role("table", name="Trainings missing trainers").is_visible()
    assert phone.get_by_role("table", name="No-show rates by region").is_visible()
    phone.get_by_label("Region", exact=True).select_option("pacific")
    phone.get_by_role("button", name="Filter").click()
    phone.wait_for_load_state()
    assert "region=pacific" in phone.url
    assert phone.get_by_role("table", name="Trainings missing trainers").is_visible()
    assert no_horizontal_scroll(phone)
    assert errors == []
