"""OData `filter` on the collections: what it finds, and a 400 naming what it can't do."""

import datetime as dt

import pytest
from django.utils import timezone

from strategists.accounts.models import User
from strategists.events.models import Event, Registration
from tests.api.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def listed(response, rel):
    assert response.status_code == 200, response.content
    return [item["identifiers"][0] for item in response.json()["_embedded"][rel]]


def test_people_by_email_is_exactly_one_person_in_any_case(api_for, api_world):
    UserFactory.create_batch(3)

    response = api_for("coordinator").get(
        "/api/v2/people", {"filter": "email_address eq 'HOST@example.net'"}
    )

    assert listed(response, "osdi:people") == [f"strategists:{api_world.host.pk}"]
    assert response.json()["total_records"] == 1


def test_people_by_name_and_identifier(api_for, api_world):
    sam = UserFactory(name="Sam De la Cruz")
    UserFactory(name="Samantha Cruz")
    api = api_for("coordinator")

    by_given = api.get("/api/v2/people", {"filter": "given_name eq 'sam'"})
    by_family = api.get("/api/v2/people", {"filter": "family_name eq 'De la Cruz'"})
    by_id = api.get("/api/v2/people", {"filter": f"identifier eq 'strategists:{sam.pk}'"})
    elsewhere = api.get("/api/v2/people", {"filter": f"identifier eq 'van:{sam.pk}'"})

    assert listed(by_given, "osdi:people") == [f"strategists:{sam.pk}"]
    assert listed(by_family, "osdi:people") == [f"strategists:{sam.pk}"]
    assert listed(by_id, "osdi:people") == [f"strategists:{sam.pk}"]
    assert listed(elsewhere, "osdi:people") == []


def test_modified_date_is_the_real_last_change(api_for, api_world):
    since = timezone.now() - dt.timedelta(seconds=1)
    User.objects.exclude(pk=api_world.member.pk).update(updated_at=since - dt.timedelta(days=3))
    api_world.member.name = "Mo Renamed"
    api_world.member.save()
    api = api_for("coordinator")

    response = api.get(
        "/api/v2/people",
        {"filter": f"modified_date gt '{since.isoformat()}' and created_date lt '2100-01-01'"},
    )
    person = api.get(f"/api/v2/people/{api_world.member.pk}").json()

    assert listed(response, "osdi:people") == [f"strategists:{api_world.member.pk}"]
    assert person["modified_date"] > person["created_date"]


def test_events_by_title_and_modified_date(api_for, api_world):
    Event.objects.filter(pk=api_world.proposed.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=10)
    )
    api = api_for("coordinator")

    by_title = api.get("/api/v2/events", {"filter": "title eq 'Published training'"})
    old = api.get(
        "/api/v2/events",
        {"filter": "modified_date le '" + str(timezone.now().date() - dt.timedelta(days=5)) + "'"},
    )

    assert listed(by_title, "osdi:events") == [f"strategists:{api_world.published.pk}"]
    assert listed(old, "osdi:events") == [f"strategists:{api_world.proposed.pk}"]


def test_attendances_by_email_keep_their_place_in_the_queue(api_for, api_world):
    event = EventFactory(organization=api_world.organization, capacity=1)
    first, second = UserFactory.create_batch(2)
    Registration.objects.create(event=event, person=api_world.other, status="registered")
    Registration.objects.create(
        event=event, person=first, status="waitlisted", waitlisted_at=timezone.now()
    )
    Registration.objects.create(
        event=event,
        person=second,
        status="waitlisted",
        waitlisted_at=timezone.now() + dt.timedelta(minutes=1),
    )

    response = api_for("host").get(
        f"/api/v2/events/{event.pk}/attendances", {"filter": f"email_address eq '{second.email}'"}
    )

    (only,) = response.json()["_embedded"]["osdi:attendances"]
    assert (only["strategists:person_id"], only["strategists:waitlist_position"]) == (second.pk, 2)


@pytest.mark.parametrize(
    ("url", "text", "error"),
    [
        (
            "/api/v2/people",
            "email_address eq 'a@b.org' or email_address eq 'c@d.org'",
            "or is not supported: join conditions with and.",
        ),
        (
            "/api/v2/events",
            "city eq 'Detroit'",
            "Filtering on city is not supported here. You can filter on: created_date "
            "(eq ge gt le lt), identifier (eq), modified_date (eq ge gt le lt), name (eq), title (eq).",
        ),
        (
            "/api/v2/people",
            "modified_date gt 'yesterday'",
            "'yesterday' is not a date: use a date like '2027-03-25' or '2027-03-25T10:00:00Z'.",
        ),
        (
            "/api/v2/people",
            "email_address ne 'x'",
            "The operator ne is not supported on email_address: use eq.",
        ),
    ],
)
def test_what_is_not_supported_is_a_400_naming_it(api_for, api_world, url, text, error):
    response = api_for("coordinator").get(url, {"filter": text})

    assert (response.status_code, response.json()) == (400, {"error": error, "field": "filter"})


def test_next_page_links_keep_the_filter(api_for, api_world):
    UserFactory.create_batch(3, name="Pat Same")

    response = api_for("coordinator").get(
        "/api/v2/people", {"filter": "given_name eq 'Pat'", "per_page": 2}
    )

    assert "filter=given_name+eq+%27Pat%27" in response.json()["_links"]["next"]["href"]
    assert response.json()["total_records"] == 3
