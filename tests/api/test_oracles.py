"""The record_attendance_helper is no oracle: a token that may not see an event's attendees gets
the same answer whether or not the address had an account or was already registered, and never
anyone's name. (The attack: post a known address and an unknown one, compare the answers.)"""

import pytest

from strategists.api.services import api_token_create
from tests.api.conftest import ApiClient
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OUTSIDERS = ["member", "other_host", "ex_host"]


def attendance(email, given="Anyone", family="At All"):
    return {
        "person": {
            "given_name": given,
            "family_name": family,
            "email_addresses": [{"address": email}],
        }
    }


@pytest.fixture
def known(api_world):
    """Someone with an account, already registered for the published event."""
    person = UserFactory(email="organizer@example.org", name="Rosa Secretname")
    api_world.published.registrations.create(person=person, status="registered")
    return person


def token_client(client, api_world, role) -> ApiClient:
    return ApiClient(client, api_token_create(user=api_world.world.user(role))[1])


@pytest.mark.parametrize("role", OUTSIDERS)
def test_already_registered_or_not_the_answer_is_the_same(client, api_world, known, role):
    api = token_client(client, api_world, role)
    url = f"/api/v2/events/{api_world.published.pk}/attendances"

    registered = api.post(url, attendance("organizer@example.org"))
    unknown = api.post(url, attendance("nobody-yet@example.org"))

    event_href = f"http://testserver/api/v2/events/{api_world.published.pk}"
    expected = {
        "origin_system": "1000 Strategists",
        "strategists:event_id": api_world.published.pk,
        "message": "Thank you. The person is registered or on the waitlist, and hears from us by email.",
        "_links": {"osdi:event": {"href": event_href}},
    }
    assert (registered.status_code, registered.json()) == (202, expected)
    assert (unknown.status_code, unknown.json()) == (202, expected)
    assert "Secretname" not in registered.content.decode()


@pytest.mark.parametrize("role", OUTSIDERS)
def test_an_account_or_none_the_answer_is_the_same(client, api_world, role):
    UserFactory(email="has-account@example.org", name="Quiet Person")
    api = token_client(client, api_world, role)
    url = f"/api/v2/events/{api_world.published.pk}/attendances"

    with_account = api.post(url, attendance("has-account@example.org"))
    without = api.post(url, attendance("no-account@example.org"))

    assert (with_account.status_code, with_account.json()) == (without.status_code, without.json())
    assert "Quiet" not in with_account.content.decode()
    assert sorted(api_world.published.registrations.values_list("person__email", flat=True)) == [
        "has-account@example.org",
        "no-account@example.org",
    ]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_a_full_event_gives_the_same_answer_too(client, api_world, known, role):
    event = api_world.published
    event.capacity = 1
    event.save()
    api = token_client(client, api_world, role)
    url = f"/api/v2/events/{event.pk}/attendances"

    seated = api.post(url, attendance("organizer@example.org"))
    waitlisted = api.post(url, attendance("late@example.org"))

    assert (seated.status_code, seated.json()) == (waitlisted.status_code, waitlisted.json())
    assert event.registrations.get(person__email="late@example.org").status == "waitlisted"


def test_the_events_host_sees_what_hosts_see(api_for, api_world, known):
    url = f"/api/v2/events/{api_world.published.pk}/attendances"

    again = api_for("host").post(url, attendance("organizer@example.org"))
    new = api_for("host").post(
        url, attendance("first-time@example.org", given="Fay", family="First")
    )

    registration = api_world.published.registrations.get(person=known)
    assert (
        again.status_code,
        again.json()["identifiers"],
        again.json()["person"]["family_name"],
    ) == (
        200,
        [f"strategists:{registration.pk}", f"action_network:{registration.pk}"],
        "Secretname",
    )
    assert (new.status_code, new.json()["status"], new.json()["person"]["given_name"]) == (
        201,
        "accepted",
        "Fay",
    )


def test_one_address_is_registered_a_few_times_an_hour_not_mailed_without_end(
    client, api_world, settings, known
):
    settings.RATELIMITS = {**settings.RATELIMITS, "api_attendance": {"email": "2/h"}}
    api = token_client(client, api_world, "member")
    url = f"/api/v2/events/{api_world.published.pk}/attendances"

    answers = {
        email: [api.post(url, attendance(email)).status_code for _ in range(3)]
        for email in ["organizer@example.org", "nobody-yet@example.org"]
    }
    refused = api.post(url, attendance("NOBODY-YET@example.org"))
    host = token_client(client, api_world, "host").post(url, attendance("organizer@example.org"))

    minutes = -(-int(refused["Retry-After"]) // 60)
    assert answers == {
        "organizer@example.org": [202, 202, 429],
        "nobody-yet@example.org": [202, 202, 429],
    }
    assert refused.json() == {
        "field": None,
        "error": "Too many registrations for this address. Please wait "
        + ("a minute" if minutes == 1 else f"{minutes} minutes")
        + " and try again.",
    }
    assert host.status_code == 200  # the event's hosts aren't limited by address
