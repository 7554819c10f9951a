import pytest

from tests.factories import EventFactory
from tests.permissions import Row, case_id, cases, run_row

ALL = {"visitor": 200, "member": 200, "host": 200, "expert": 200, "coordinator": 200}
MEMBERS = {"visitor": 302, "member": 200, "host": 200, "expert": 200, "coordinator": 200}
HOSTS = {"visitor": 302, "member": 403, "host": 200, "expert": 403, "coordinator": 200}
COORDINATORS = {"visitor": 302, "member": 403, "host": 403, "expert": 403, "coordinator": 200}
EVERYONE_SIGNED_IN = dict.fromkeys(
    ["member", "host", "expert", "coordinator", "other", "applicant", "declined", "ex_host", "other_host", "curator"], 200)


def event(world):
    """The host's published training (one per test)."""
    if not hasattr(world, "event"):
        world.event = EventFactory(organization=world.organization, proposed_by=world.host)
    return world.event


def proposed(world):
    if not hasattr(world, "proposed"):
        world.proposed = EventFactory(organization=world.organization, proposed_by=world.host, state="proposed")
    return world.proposed


def registration(world):
    from strategists.events.services import registration_create

    if not hasattr(world, "registration"):
        world.registration = registration_create(event=event(world), person=world.other)
    return world.registration


def feed_token(world):
    from strategists.events.tokens import calendar_feed_rotate

    return calendar_feed_rotate(person=world.other)[1]


MATRIX = [
    Row("events:list", ALL),
    Row("events:detail", ALL, kwargs=lambda w: {"pk": event(w).pk}),
    Row("events:detail", {**HOSTS, "visitor": 302}, kwargs=lambda w: {"pk": proposed(w).pk}),
    Row("events:propose", {**MEMBERS, "member": 403, "expert": 403}),
    Row("events:mine", MEMBERS),
    Row("events:queue", COORDINATORS),
    Row("events:program_ics", ALL),
    Row("events:ics", ALL, kwargs=lambda w: {"pk": event(w).pk}),
    Row("events:mine", {**EVERYONE_SIGNED_IN, "visitor": 302}, "POST"),
    Row("events:feed_ics", ALL, kwargs=lambda w: {"token": feed_token(w)}),
    Row("events:registration", ALL, kwargs=lambda w: {"token": registration(w).token}),
    Row("events:registration_action", {"visitor": 302}, "POST",
        kwargs=lambda w: {"token": registration(w).token, "action": "confirm"}),
    Row("events:edit", HOSTS, kwargs=lambda w: {"pk": event(w).pk}),
    Row("events:review", {**COORDINATORS, "coordinator": 302}, "POST", kwargs=lambda w: {"pk": proposed(w).pk},
        data={"decision": "approve"}),
    Row("events:cancel", HOSTS, kwargs=lambda w: {"pk": event(w).pk}),
    Row("events:my_registration_link", {**dict.fromkeys(EVERYONE_SIGNED_IN, 404), "visitor": 302, "other": 302},
        "POST", kwargs=lambda w: {"pk": registration(w).event_id}),
    Row("events:register", {**MEMBERS, "member": 302, "host": 302, "expert": 302, "coordinator": 302}, "POST",
        kwargs=lambda w: {"pk": event(w).pk}),
    Row("events:attendees", HOSTS, kwargs=lambda w: {"pk": event(w).pk}),
    Row("events:attendees_csv", HOSTS, kwargs=lambda w: {"pk": event(w).pk}),
    Row("events:checkin", HOSTS, kwargs=lambda w: {"pk": event(w).pk}),
    Row("events:checkin_toggle", {**HOSTS, "host": 302, "coordinator": 302}, "POST",
        kwargs=lambda w: {"pk": event(w).pk, "registration_pk": registration(w).pk}),
    Row("events:walk_in", {**HOSTS, "host": 302, "coordinator": 302}, "POST", kwargs=lambda w: {"pk": event(w).pk},
        data={"name": "Walk In"}),
    Row("events:complete", {**HOSTS, "host": 302, "coordinator": 302}, "POST", kwargs=lambda w: {"pk": event(w).pk},
        data={"taught_areas": ["web-and-cms"]}),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]


def test_other_hosts_cannot_see_attendees(client, world):
    from tests.factories import OrganizationFactory, UserFactory

    other_org = OrganizationFactory()
    other_host = UserFactory()
    other_org.hosts.add(other_host)
    client.force_login(other_host)

    assert client.get(f"/trainings/{event(world).pk}/attendees/").status_code == 403
    assert client.get(f"/trainings/{event(world).pk}/attendees.csv").status_code == 403
