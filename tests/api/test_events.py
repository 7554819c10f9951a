import datetime as dt

import pytest

from strategists.events.models import Event
from tests.api.factories import EventFactory, in_days

pytestmark = pytest.mark.django_db


def titles(response):
    return [event["title"] for event in response.json()["_embedded"]["osdi:events"]]


def test_each_role_sees_published_events_their_own_proposals_or_everything(api_for, api_world):
    assert titles(api_for("member").get("/api/v2/events")) == ["Published training"]
    assert titles(api_for("host").get("/api/v2/events")) == [
        "Published training",
        "Proposed training",
    ]
    assert titles(api_for("coordinator").get("/api/v2/events")) == [
        "Published training",
        "Proposed training",
        "Someone else's proposal",
    ]


def test_event_fields_are_osdi(api_for, api_world):
    event = api_world.published

    body = api_for("member").get(f"/api/v2/events/{event.pk}").json()

    assert body["identifiers"] == [f"strategists:{event.pk}", f"action_network:{event.pk}"]
    assert (body["status"], body["visibility"], body["capacity"], body["total_accepted"]) == (
        "confirmed",
        "public",
        3,
        0,
    )
    assert body["start_date"] == event.starts_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert body["browser_url"] == f"http://testserver/trainings/{event.pk}/"
    assert body["location"] == {
        "venue": "Union hall",
        "address_lines": ["2211 Trumbull Ave"],
        "locality": "Detroit",
        "region": "MI",
        "postal_code": None,
        "country": "US",
        "location": {
            "latitude": event.city.latitude,
            "longitude": event.city.longitude,
            "accuracy": "Approximate",
        },
    }
    assert body["_links"]["osdi:record_attendance_helper"] == {
        "href": f"http://testserver/api/v2/events/{event.pk}/attendances"
    }


def test_a_proposal_reads_tentative_and_private(api_for, api_world):
    body = api_for("host").get(f"/api/v2/events/{api_world.proposed.pk}").json()

    assert (body["status"], body["visibility"], body["strategists:state"]) == (
        "tentative",
        "private",
        "proposed",
    )


def test_pages_hold_at_most_25_and_link_to_the_next(api_for, api_world):
    EventFactory.create_batch(27, organization=api_world.organization)

    first = api_for("member").get("/api/v2/events", {"per_page": 100}).json()
    last = api_for("member").get("/api/v2/events", {"page": 2, "per_page": 100}).json()
    beyond = api_for("member").get("/api/v2/events", {"page": 3}).json()

    assert {key: first[key] for key in ("page", "per_page", "total_pages", "total_records")} == {
        "page": 1,
        "per_page": 25,
        "total_pages": 2,
        "total_records": 28,
    }
    assert len(first["_embedded"]["osdi:events"]) == len(first["_links"]["osdi:events"]) == 25
    assert first["_links"]["next"] == {"href": "http://testserver/api/v2/events?page=2&per_page=25"}
    assert "previous" not in first["_links"]
    assert (len(last["_embedded"]["osdi:events"]), "next" in last["_links"]) == (3, False)
    assert last["_links"]["previous"] == {
        "href": "http://testserver/api/v2/events?page=1&per_page=25"
    }
    assert beyond["_embedded"] == {"osdi:events": []}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"page": "two"}, "page"), ({"page": 0}, "page"), ({"per_page": -1}, "per_page")],
)
def test_bad_paging_is_400_naming_the_parameter(api_for, api_world, params, field):
    response = api_for("member").get("/api/v2/events", params)

    assert (response.status_code, response.json()["field"]) == (400, field)


def test_an_event_that_does_not_exist_is_a_json_404(api_for, api_world):
    response = api_for("member").get("/api/v2/events/999999")

    assert (response.status_code, response.json()) == (
        404,
        {"error": "Couldn't find event with id = 999999.", "field": None},
    )


NEW_EVENT = {
    "title": "Texting for turnout",
    "description": "Peer-to-peer texting, start to finish.",
    "start_date": "2031-05-03 10:00:00",
    "capacity": 25,
    "location": {
        "venue": "Hall",
        "address_lines": ["1 Main St", "Floor 2"],
        "locality": "detroit",
        "region": "mi",
        "postal_code": "48201",
        "country": "US",
    },
}


def test_a_host_creates_a_proposal_for_their_organization(api_for, api_world):
    response = api_for("host").post("/api/v2/events", NEW_EVENT)

    body = response.json()
    event = Event.objects.get(pk=body["identifiers"][0].split(":")[1])
    assert response.status_code == 201
    assert response["Location"] == body["_links"]["self"]["href"]
    assert (event.organization, event.proposed_by, event.state) == (
        api_world.organization,
        api_world.host,
        Event.State.PROPOSED,
    )
    assert (event.title, event.capacity, event.venue, event.address, event.city.name) == (
        "Texting for turnout",
        25,
        "Hall",
        "1 Main St, Floor 2, 48201",
        "Detroit",
    )
    # A time without an offset is the event's local time: Detroit is UTC-4 in May.
    assert body["start_date"] == "2031-05-03T14:00:00Z"
    assert (body["status"], body["strategists:languages"]) == ("tentative", ["en"])


def test_a_coordinator_names_the_organization(api_for, api_world):
    response = api_for("coordinator").post(
        "/api/v2/events", {**NEW_EVENT, "strategists:organization": api_world.organization.pk}
    )

    assert (response.status_code, response.json()["strategists:organization"]["name"]) == (
        201,
        "Local 1001",
    )


def test_a_host_cant_create_for_another_organization(api_for, api_world):
    other = api_world.elsewhere.organization

    response = api_for("host").post(
        "/api/v2/events", {**NEW_EVENT, "strategists:organization": other.pk}
    )

    assert (response.status_code, response.json()["field"]) == (403, "strategists:organization")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "x" * 10_000}, "title"),
        ({"title": 42.5, "capacity": "many"}, "capacity"),
        ({"start_date": "next tuesday"}, "start_date"),
        ({"start_date": "2031-02-30T10:00:00"}, "start_date"),
        ({"start_date": 20310503}, "start_date"),
        ({"start_date": "2020-05-03T10:00:00Z"}, "start_date"),
        ({"end_date": "2031-05-03T09:00:00"}, "end_date"),
        ({"capacity": 0}, "capacity"),
        ({"location": {"locality": "Atlantis", "region": "MI"}}, "location.locality"),
        ({"location": "Detroit"}, "location"),
        ({"strategists:format": "online"}, "strategists:online_url"),
        ({"strategists:languages": ["xx"]}, "strategists:languages"),
        ({"strategists:organization": "Local 1001"}, "strategists:organization"),
        ({"strategists:organization": 999999}, "strategists:organization"),
    ],
)
def test_malformed_events_are_400_naming_the_field(api_for, api_world, change, field):
    response = api_for("coordinator").post(
        "/api/v2/events",
        {**NEW_EVENT, "strategists:organization": api_world.organization.pk, **change},
    )

    assert (response.status_code, response.json()["field"]) == (400, field)
    assert response.json()["error"]
    assert Event.objects.filter(title="Texting for turnout").count() == 0


@pytest.mark.parametrize("missing", ["title", "start_date", "location"])
def test_required_event_fields(api_for, api_world, missing):
    body = {key: value for key, value in NEW_EVENT.items() if key != missing}

    response = api_for("host").post("/api/v2/events", body)

    assert response.status_code == 400
    assert response.json()["field"] == ("location.locality" if missing == "location" else missing)


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ('["a", "list"]', "application/json", 400),
        ("title=x", "application/x-www-form-urlencoded", 415),
    ],
)
def test_bodies_that_are_not_json_objects_are_refused(
    api_for, api_world, body, content_type, status
):
    response = api_for("host").post("/api/v2/events", body, content_type=content_type)

    assert response.status_code == status
    assert set(response.json()) == {"error", "field"}


def test_hosts_update_only_the_fields_they_send(api_for, api_world):
    event = api_world.published
    new_start = in_days(40)

    response = api_for("host").put(
        f"/api/v2/events/{event.pk}",
        {"title": "Renamed", "capacity": 50, "start_date": new_start.isoformat()},
    )

    event.refresh_from_db()
    assert response.status_code == 200
    assert (event.title, event.capacity, event.starts_at, event.venue) == (
        "Renamed",
        50,
        new_start,
        "Union hall",
    )
    assert event.ends_at == new_start + dt.timedelta(minutes=event.duration_minutes)
    assert response.json()["title"] == "Renamed"


def test_update_errors_name_the_field(api_for, api_world):
    response = api_for("host").put(f"/api/v2/events/{api_world.published.pk}", {"capacity": -3})

    assert (response.status_code, response.json()["field"]) == (400, "capacity")


def test_patch_works_like_put(api_for, api_world):
    response = api_for("coordinator").client.patch(
        f"/api/v2/events/{api_world.published.pk}",
        '{"title": "Patched"}',
        content_type="application/json",
        headers={"OSDI-API-Token": api_world.tokens["coordinator"]},
    )

    assert (response.status_code, response.json()["title"]) == (200, "Patched")
