"""Every write through the API is on the audit log, once, naming the token's person.

Tokens are the API's own writes (api/services.py). Events, attendances and people are written by
the services of events and accounts, which log each change themselves; the API adds no entry of
its own (it would be a second entry for one change). These tests check what a coordinator reads
afterwards: one entry per change, by the person whose token made it, and none for refusals."""

import io

import pytest
from django.core.management import call_command

from strategists.accounts.models import User
from strategists.api.models import ApiToken
from strategists.api.services import api_token_create
from strategists.common.models import AuditEntry
from strategists.events.models import Event, Registration
from tests.api.test_attendances import signup
from tests.api.test_events import NEW_EVENT

pytestmark = pytest.mark.django_db


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def test_the_token_command_records_the_new_token_and_how_many_it_revoked(world):
    api_token_create(user=world.host)
    call_command("api_token", "--email", "host@example.net", stdout=io.StringIO())

    newest = ApiToken.objects.filter(user=world.host).order_by("-pk").first()
    recorded = entries("api_token.created")
    assert [(e.actor, e.object_type, e.object_id) for e in recorded] == [
        (None, "api.apitoken", str(token.pk))
        for token in ApiToken.objects.filter(user=world.host).order_by("pk")
    ]
    assert recorded[-1].object_id == str(newest.pk)
    assert [e.data for e in recorded] == [
        {"person": world.host.pk, "older_tokens_revoked": 0},
        {"person": world.host.pk, "older_tokens_revoked": 1},
    ]


def test_keeping_old_tokens_records_none_revoked(world):
    api_token_create(user=world.member)
    token, _ = api_token_create(user=world.member, keep_old=True)

    assert entries("api_token.created")[-1].data == {
        "person": world.member.pk,
        "older_tokens_revoked": 0,
    }
    assert entries("api_token.created")[-1].object_label == f"Mona Member: {token.prefix}…"


def about(obj) -> list[AuditEntry]:
    """The entries about one object, oldest first."""
    return list(
        AuditEntry.objects.filter(
            object_type=f"{obj._meta.app_label}.{obj._meta.model_name}", object_id=str(obj.pk)
        ).order_by("pk")
    )


def test_person_signup_helper_records_a_new_person_once(api_for, api_world):
    api = api_for("coordinator")
    body = {
        "person": {
            "given_name": "Pat",
            "family_name": "Public",
            "email_addresses": [{"address": "pat@example.org"}],
        }
    }

    api.post("/api/v2/people", body)
    api.post("/api/v2/people", body)  # matched: nothing changes, nothing is recorded

    [entry] = about(User.objects.get(email="pat@example.org"))
    assert (entry.actor, entry.object_label, len(entry.ip_hash)) == (
        api_world.coordinator,
        "Pat Public",
        32,
    )


def test_a_refused_person_signup_records_nothing(api_for, api_world):
    before = AuditEntry.objects.count()

    response = api_for("host").post(
        "/api/v2/people", {"person": {"email_addresses": [{"address": "x@example.org"}]}}
    )

    assert (response.status_code, AuditEntry.objects.count()) == (403, before)


def test_record_attendance_helper_records_the_registration_by_the_token_holder(api_for, api_world):
    event = api_world.published

    api_for("member").post(f"/api/v2/events/{event.pk}/attendances", signup("sam@example.org"))
    api_for("member").post(f"/api/v2/events/{event.pk}/attendances", signup("sam@example.org"))

    registration = Registration.objects.get(event=event, person__email="sam@example.org")
    [entry] = about(registration)
    assert entry.actor == api_world.member
    # Created once (and its postal code kept, a change of its own); the second sign-up changes
    # nothing of an existing person.
    assert [(entry.action, entry.actor) for entry in about(registration.person)] == [
        ("person.created", api_world.member),
        ("person.updated", api_world.member),
    ]


def test_checking_in_and_cancelling_through_the_api_are_recorded(api_for, api_world):
    event = api_world.published
    api = api_for("host")
    attendance = api.post(
        f"/api/v2/events/{event.pk}/attendances", signup("sam@example.org")
    ).json()
    registration = Registration.objects.get(pk=attendance["identifiers"][0].split(":")[1])
    url = f"/api/v2/events/{event.pk}/attendances/{registration.pk}"

    api.put(url, {"attended": True})
    api.put(url, {"attended": True})  # already checked in: no change, no entry
    api.put(url, {"status": "declined"})

    assert [entry.actor for entry in about(registration)] == [
        api_world.host
    ] * 3  # registered, in, cancelled


def test_event_creation_is_recorded_by_the_host(api_for, api_world):
    response = api_for("host").post("/api/v2/events", NEW_EVENT)

    [entry] = about(Event.objects.get(pk=response.json()["identifiers"][0].split(":")[1]))
    assert (entry.actor, entry.object_label) == (api_world.host, "Texting for turnout")


def test_an_invalid_event_records_nothing(api_for, api_world):
    before = AuditEntry.objects.count()

    response = api_for("host").post("/api/v2/events", {**NEW_EVENT, "capacity": 0})

    assert (response.status_code, AuditEntry.objects.count()) == (400, before)


def test_event_update_records_what_changed(api_for, api_world):
    event = api_world.published

    api_for("host").put(f"/api/v2/events/{event.pk}", {"title": "Renamed"})

    [entry] = about(event)
    assert (entry.actor, entry.data["before"]["title"], entry.data["after"]["title"]) == (
        api_world.host,
        "Published training",
        "Renamed",
    )


def test_a_refused_event_update_records_nothing(api_for, api_world):
    before = AuditEntry.objects.count()

    response = api_for("member").put(
        f"/api/v2/events/{api_world.published.pk}", {"title": "Mine now"}
    )

    assert (response.status_code, AuditEntry.objects.count()) == (403, before)
