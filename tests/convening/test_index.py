"""The conference index: upcoming and past conferences, linked from the main navigation."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.convening.conftest import make_conference

pytestmark = pytest.mark.django_db


def _conference(slug, starts_in_days, days=2):
    conference = make_conference(slug=slug, rooms=())
    conference.name = slug.replace("-", " ").title()
    conference.starts_on = timezone.localdate() + dt.timedelta(days=starts_in_days)
    conference.days = days
    conference.save()
    return conference


def test_upcoming_soonest_first_and_past_latest_first(client):
    _conference("national-2027", 200)
    _conference("midwest-regional", 30)
    _conference("under-way", -1)  # its second day is today
    _conference("old-regional", -400)
    _conference("last-year", -100)

    context = client.get("/conference/").context

    assert [c.slug for c in context["upcoming"]] == [
        "under-way",
        "midwest-regional",
        "national-2027",
    ]
    assert [c.slug for c in context["past"]] == ["last-year", "old-regional"]


def test_the_main_navigation_links_to_the_index(client):
    page = client.get("/").content.decode()

    assert '<a href="/conference/"' in page


@pytest.mark.parametrize("count", [1, 3])
def test_the_index_costs_the_same_queries_for_one_or_three(
    client, count, django_assert_num_queries
):
    for number in range(count):
        _conference(f"conference-{number}", 10 + number)

    with django_assert_num_queries(1):
        response = client.get("/conference/")

    assert len(response.context["upcoming"]) == count
