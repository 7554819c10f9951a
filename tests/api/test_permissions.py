"""Who may do what in the API, for every role, through the OSDI-API-Token header (a visitor
sends none)."""

import pytest

from strategists.api.models import Tag, Tagging
from strategists.goals.models import ProgramYear
from tests.api.conftest import ApiClient
from tests.api.factories import EventFactory
from tests.permissions import Row, case_id, cases

ANYONE = {"visitor": 200, "member": 200, "host": 200, "expert": 200, "coordinator": 200}
TOKEN_HOLDERS = {"visitor": 401, "member": 200, "host": 200, "expert": 200, "coordinator": 200}
MANAGERS = {"visitor": 401, "member": 403, "host": 200, "expert": 403, "coordinator": 200}
COORDINATORS = {"visitor": 401, "member": 403, "host": 403, "expert": 403, "coordinator": 200}


def new_event(w):
    return {
        "title": "Texting for turnout",
        "start_date": "2031-05-03T10:00:00",
        "capacity": 25,
        "location": {"venue": "Hall", "locality": "Detroit", "region": "MI"},
        "strategists:organization": w.organization.pk,
    }


def person(email):
    return {
        "person": {
            "given_name": "Sam",
            "family_name": "Signup",
            "email_addresses": [{"address": email}],
        }
    }


def proposed_by_ex_host(w):
    event = EventFactory(
        organization=w.organization, proposed_by=w.ex_host, title="Ex-host's training"
    )
    event.registrations.create(person=w.other, status="registered")
    return event.pk


def attendance_kwargs(w):
    registration = w.published.registrations.create(person=w.other, status="registered")
    return {"event_id": w.published.pk, "attendance_id": registration.pk}


# The people an attacker would be, each with their own token: nobody of them manages the host's
# organization's trainings (the ex-host lost that role), and only the coordinator reads people.
ATTACKERS = {"applicant": 403, "declined": 403, "ex_host": 403, "other_host": 403, "curator": 403}
TOKEN_HOLDERS = {**TOKEN_HOLDERS, **dict.fromkeys(ATTACKERS, 200)}
MANAGERS = {**MANAGERS, **ATTACKERS}
COORDINATORS = {**COORDINATORS, **ATTACKERS}
HIDDEN = dict.fromkeys(ATTACKERS, 404)

MATRIX = [
    Row("api:entry", ANYONE),
    Row("api:schema", ANYONE),
    Row("api:events", TOKEN_HOLDERS),
    Row("api:events", {**MANAGERS, "host": 201, "coordinator": 201}, "POST", data=new_event),
    Row("api:event_detail", TOKEN_HOLDERS, kwargs=lambda w: {"event_id": w.published.pk}),
    Row(
        "api:event_detail",
        {**MANAGERS, "member": 404, "expert": 404, **HIDDEN},
        kwargs=lambda w: {"event_id": w.proposed.pk},
    ),
    Row(
        "api:event_detail",
        {**COORDINATORS, "member": 404, "host": 404, "expert": 404, **HIDDEN},
        kwargs=lambda w: {"event_id": w.elsewhere.pk},
    ),
    Row(
        "api:event_detail",
        MANAGERS,
        "PUT",
        kwargs=lambda w: {"event_id": w.published.pk},
        data={"title": "Renamed", "capacity": 40},
    ),
    Row("api:attendances", MANAGERS, kwargs=lambda w: {"event_id": w.published.pk}),
    # Its hosts learn whether the person was new (201); anyone else always gets 202 (no oracle).
    Row(
        "api:attendances",
        {
            **TOKEN_HOLDERS,
            "member": 202,
            "host": 201,
            "expert": 202,
            "coordinator": 201,
            **dict.fromkeys(ATTACKERS, 202),
        },
        "POST",
        kwargs=lambda w: {"event_id": w.published.pk},
        data=person("new@example.org"),
    ),
    # An ex-host keeps nothing of the trainings they proposed for the organization they left.
    Row(
        "api:attendances",
        {**MANAGERS, "ex_host": 403},
        kwargs=lambda w: {"event_id": proposed_by_ex_host(w)},
    ),
    # A proposal isn't open: its hosts learn registration is closed, others can't see it.
    Row(
        "api:attendances",
        {**MANAGERS, "member": 404, "host": 409, "expert": 404, "coordinator": 409, **HIDDEN},
        "POST",
        kwargs=lambda w: {"event_id": w.proposed.pk},
        data=person("new@example.org"),
    ),
    Row("api:attendance_detail", MANAGERS, kwargs=attendance_kwargs),
    Row(
        "api:attendance_detail", MANAGERS, "PUT", kwargs=attendance_kwargs, data={"attended": True}
    ),
    Row("api:people", COORDINATORS),
    Row("api:people", {**COORDINATORS, "coordinator": 201}, "POST", data=person("new@example.org")),
    Row(
        "api:person_detail",
        {**COORDINATORS, "member": 200},
        kwargs=lambda w: {"person_id": w.member.pk},
    ),
]


def tag_kwargs(w):
    return {"tag_id": Tag.objects.create(name="Volunteer").pk}


def tagging_kwargs(w):
    """A tag on someone registered to a training of the host's organization."""
    w.published.registrations.create(person=w.other, status="registered")
    tag = Tag.objects.create(name="Volunteer")
    return {"tag_id": tag.pk, "tagging_id": Tagging.objects.create(tag=tag, person=w.other).pk}


def tag_someone_registered(w):
    w.published.registrations.create(person=w.other, status="registered")
    return {"_links": {"osdi:person": {"href": f"http://testserver/api/v2/people/{w.other.pk}"}}}


def member_attendance_kwargs(w):
    registration = w.published.registrations.create(person=w.member, status="registered")
    return {"person_id": w.member.pk, "attendance_id": registration.pk}


def campaign_kwargs(w):
    year = ProgramYear.objects.first() or ProgramYear.objects.create(
        name="Year one", starts_on="2026-01-01", ends_on="2026-12-31"
    )
    return {"campaign_id": year.pk}


# Tags are for hosts (of any organization) and coordinators; a tagging names a person, so a host
# sees and makes only those of people registered to their organization's trainings.
TAGGERS = {
    **COORDINATORS,
    "host": 200,
    "other_host": 200,
}
NOT_FOUND = dict.fromkeys({**TOKEN_HOLDERS, "visitor": 0}, 404)
CAMPAIGN_READERS = TOKEN_HOLDERS

MATRIX += [
    Row(
        "api:person_detail",
        {**COORDINATORS, "member": 200},
        "PUT",
        kwargs=lambda w: {"person_id": w.member.pk},
        data={"given_name": "Mo", "phone_numbers": [{"number": "+1 313 555 0100"}]},
    ),
    Row(
        "api:person_attendances",
        {**COORDINATORS, "member": 200},
        kwargs=lambda w: {"person_id": w.member.pk},
    ),
    Row(
        "api:person_attendance_detail",
        {**COORDINATORS, "member": 200},
        kwargs=member_attendance_kwargs,
    ),
    Row("api:tags", TAGGERS),
    Row(
        "api:tags",
        {**TAGGERS, "host": 201, "other_host": 201, "coordinator": 201},
        "POST",
        data={"name": "Phone bank"},
    ),
    Row("api:tag_detail", TAGGERS, kwargs=tag_kwargs),
    Row("api:taggings", TAGGERS, kwargs=tag_kwargs),
    Row(
        "api:taggings",
        {**TAGGERS, "host": 201, "other_host": 403, "coordinator": 201},
        "POST",
        kwargs=tag_kwargs,
        data=tag_someone_registered,
    ),
    Row("api:tagging_detail", {**TAGGERS, "other_host": 404}, kwargs=tagging_kwargs),
    Row("api:tagging_detail", {**TAGGERS, "other_host": 404}, "DELETE", kwargs=tagging_kwargs),
    Row("api:event_campaigns", CAMPAIGN_READERS),
    # Read-only: the program years are set on /progress/ by coordinators.
    Row(
        "api:event_campaigns",
        {role: 405 if code == 200 else code for role, code in CAMPAIGN_READERS.items()},
        "POST",
        data={"title": "Another year"},
    ),
    Row("api:event_campaign_detail", CAMPAIGN_READERS, kwargs=campaign_kwargs),
    Row("api:event_campaign_events", CAMPAIGN_READERS, kwargs=campaign_kwargs),
    # Whatever else is asked under /api/ is a JSON 404, with or without a token.
    Row("api:not_found", NOT_FOUND, kwargs={"rest": "v2/petitions"}),
    Row("api:not_found", NOT_FOUND, "POST", kwargs={"rest": "v2/petitions"}),
]


def run_api_row(api_for, api_world, row: Row, role: str) -> int:
    client: ApiClient = api_for(role)
    url = row.url(api_world)
    if row.method == "GET":
        return client.get(url).status_code
    return getattr(client, row.method.lower())(url, row.payload(api_world)).status_code


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(api_for, api_world, row, role):
    assert run_api_row(api_for, api_world, row, role) == row.expected[role]
