"""An event's OSDI status is writable through the events services; nothing sent is dropped."""

import pytest

from strategists.common.models import AuditEntry
from strategists.events.models import Event
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

NEW_EVENT = {
    "title": "Texting for turnout",
    "start_date": "2031-05-03 10:00:00",
    "location": {"venue": "Hall", "locality": "Detroit", "region": "MI"},
}


def put(api, event, body):
    return api.put(f"/api/v2/events/{event.pk}", body)


def test_a_coordinator_confirms_a_proposal(api_for, api_world):
    event = api_world.proposed

    response = put(api_for("coordinator"), event, {"status": "confirmed"})

    event.refresh_from_db()
    assert (response.status_code, response.json()["status"], event.state) == (
        200,
        "confirmed",
        Event.State.APPROVED,
    )
    assert AuditEntry.objects.filter(action="event.approved", object_id=str(event.pk)).exists()


def test_a_host_may_not_confirm_and_is_told_why(api_for, api_world):
    event = api_world.proposed

    response = put(api_for("host"), event, {"status": "confirmed"})

    event.refresh_from_db()
    assert (response.status_code, response.json()) == (
        403,
        {"error": 'Only coordinators approve a training (status "confirmed").', "field": "status"},
    )
    assert event.state == Event.State.PROPOSED


@pytest.mark.parametrize("role", ["host", "coordinator"])
def test_hosts_and_coordinators_cancel_with_a_reason(api_for, api_world, role):
    event = api_world.published

    response = put(
        api_for(role), event, {"status": "cancelled", "strategists:reason": "The hall flooded."}
    )

    event.refresh_from_db()
    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    assert (event.state, event.coordinator_message) == (Event.State.CANCELLED, "The hall flooded.")


def test_cancelling_without_a_reason_names_the_reason_field(api_for, api_world):
    response = put(api_for("host"), api_world.published, {"status": "cancelled"})

    assert (response.status_code, response.json()["field"]) == (400, "strategists:reason")
    api_world.published.refresh_from_db()
    assert api_world.published.state == Event.State.APPROVED


@pytest.mark.parametrize(
    ("role", "status"), [("member", 404), ("other_host", 404), ("ex_host", 404), ("expert", 404)]
)
def test_others_cannot_change_the_status(api_for, api_world, role, status):
    response = put(api_for(role), api_world.proposed, {"status": "confirmed"})

    assert response.status_code == status
    api_world.proposed.refresh_from_db()
    assert api_world.proposed.state == Event.State.PROPOSED


def test_a_confirmed_event_cannot_become_tentative(api_for, api_world):
    response = put(api_for("coordinator"), api_world.published, {"status": "tentative"})

    assert (response.status_code, response.json()["field"]) == (400, "status")


def test_sending_back_the_status_it_has_changes_nothing(api_for, api_world):
    response = put(api_for("host"), api_world.published, {"status": "confirmed", "title": "New"})

    assert (response.status_code, response.json()["status"], response.json()["title"]) == (
        200,
        "confirmed",
        "New",
    )


def test_a_cancelled_event_cannot_be_confirmed(api_for, api_world):
    event = api_world.proposed
    event.state = Event.State.CANCELLED
    event.save()

    response = put(api_for("coordinator"), event, {"status": "confirmed"})

    assert (response.status_code, response.json()) == (
        400,
        {"error": "Only a proposed training can be approved.", "field": "status"},
    )


def test_a_reason_without_cancelling_is_refused(api_for, api_world):
    response = put(api_for("host"), api_world.published, {"strategists:reason": "Because."})

    assert (response.status_code, response.json()["field"]) == (400, "strategists:reason")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"total_accepted": 3}, "total_accepted"),
        ({"identifiers": ["x:1"]}, "identifiers"),
        ({"modified_date": "2030-01-01"}, "modified_date"),
        ({"location": {"location": {"latitude": 1}}}, "location.location"),
        ({"colour": "red"}, "colour"),
        ({"location": {"planet": "Mars"}}, "location.planet"),
    ],
)
def test_read_only_and_unknown_fields_are_400_naming_them(api_for, api_world, body, field):
    before = api_world.published.updated_at

    response = put(api_for("host"), api_world.published, {"title": "Renamed", **body})

    api_world.published.refresh_from_db()
    assert (response.status_code, response.json()["field"]) == (400, field)
    assert (api_world.published.title, api_world.published.updated_at) == (
        "Published training",
        before,
    )


def test_a_coordinator_creates_a_confirmed_event(api_for, api_world):
    response = api_for("coordinator").post(
        "/api/v2/events",
        {**NEW_EVENT, "status": "confirmed", "strategists:organization": api_world.organization.pk},
    )

    assert (response.status_code, response.json()["status"], response.json()["capacity"]) == (
        201,
        "confirmed",
        30,
    )


def test_a_host_cannot_create_a_confirmed_event(api_for, api_world):
    response = api_for("host").post("/api/v2/events", {**NEW_EVENT, "status": "confirmed"})

    assert (response.status_code, response.json()["field"]) == (403, "status")
    assert not Event.objects.filter(title=NEW_EVENT["title"]).exists()


def test_a_coordinator_without_an_organization_gets_the_programs_own(api_for, api_world, settings):
    program = OrganizationFactory(name="The Program", slug="the-program")
    settings.PROGRAM_ORGANIZATION_SLUG = "the-program"

    response = api_for("coordinator").post("/api/v2/events", NEW_EVENT)

    assert (response.status_code, response.json()["strategists:organization"]["name"]) == (
        201,
        "The Program",
    )
    assert Event.objects.get(title=NEW_EVENT["title"]).organization == program


def test_without_a_program_organization_the_coordinator_is_told_how_to_name_one(
    api_for, api_world, settings
):
    settings.PROGRAM_ORGANIZATION_SLUG = "nobody-has-this"

    response = api_for("coordinator").post("/api/v2/events", NEW_EVENT)

    assert response.status_code == 400
    assert response.json()["field"] == "strategists:organization"
    assert "strategists:organization" in response.json()["error"]
    assert "nobody-has-this" in response.json()["error"]
