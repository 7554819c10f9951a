"""Who may open and post to every training page, for every role an attacker would use. Hosting
is the organization's current hosts: the ex-host (removed from the organization) and the host of
another organization get 403 on a published training's people, 404 on an unpublished one."""

import pytest

from strategists.events.question_services import question_add_common
from strategists.events.registration_services import registration_create
from strategists.events.signup_services import signup_request
from strategists.events.tokens import calendar_feed_rotate
from tests.conftest import ATTACKER_ROLES, ROLES
from tests.factories import EventFactory
from tests.permissions import Row, case_id, cases, run_row

SIGNED_IN_ROLES = [role for role in [*ROLES, *ATTACKER_ROLES] if role != "visitor"]


def expect(default: int, *, visitor: int = 302, **roles: int) -> dict[str, int]:
    """Every role gets `default`, the visitor `visitor`, except the roles named."""
    return {"visitor": visitor, **dict.fromkeys(SIGNED_IN_ROLES, default), **roles}


ALL = expect(200, visitor=200)
MEMBERS = expect(200)
HOSTS = expect(403, host=200, coordinator=200)
HOSTS_POST = expect(403, host=302, coordinator=302)
COORDINATORS = expect(403, coordinator=200)
# An unpublished training is hidden from everyone but its current hosts and coordinators.
UNPUBLISHED = expect(404, host=200, coordinator=200)


def event(world):
    """The host's published training (one per test), proposed by the host who later left."""
    if not hasattr(world, "event"):
        world.event = EventFactory(organization=world.organization, proposed_by=world.ex_host)
    return world.event


def proposed(world):
    if not hasattr(world, "proposed"):
        world.proposed = EventFactory(
            organization=world.organization, proposed_by=world.ex_host, state="proposed"
        )
    return world.proposed


def registration(world):
    if not hasattr(world, "registration"):
        world.registration = registration_create(
            event=event(world), person=world.other
        ).registration
    return world.registration


def pending_token(world):
    """A sign-up waiting for its mailed link, made by someone not signed in."""
    return signup_request(event=event(world), email="new@example.org", name="New Person")


def question(world):
    return {
        "pk": event(world).pk,
        "question_pk": question_add_common(event=event(world), by=world.host, common="access").pk,
    }


SIGNUP = {"name": "Vi Sitor", "email": "vi@example.org"}


def feed_token(world):
    return calendar_feed_rotate(person=world.other)[1]


def published(world):
    return {"pk": event(world).pk}


def unpublished(world):
    return {"pk": proposed(world).pk}


MATRIX = [
    Row("events:list", ALL),
    Row("events:detail", ALL, kwargs=published),
    Row("events:detail", UNPUBLISHED, kwargs=unpublished),
    Row("events:propose", expect(403, host=200, coordinator=200, other_host=200)),
    Row(
        "events:propose",
        expect(403, host=200, coordinator=200, other_host=200),
        "POST",
        data={"title": ""},
    ),
    Row("events:mine", MEMBERS),
    Row("events:queue", COORDINATORS),
    Row("events:program_ics", ALL),
    Row("events:ics", ALL, kwargs=published),
    Row("events:ics", UNPUBLISHED, kwargs=unpublished),
    Row("events:mine", expect(200), "POST"),
    Row("events:feed_ics", ALL, kwargs=lambda w: {"token": feed_token(w)}),
    Row("events:registration", ALL, kwargs=lambda w: {"token": registration(w).token}),
    Row(
        "events:registration_action",
        expect(302),
        "POST",
        kwargs=lambda w: {"token": registration(w).token, "action": "confirm"},
    ),
    Row("events:edit", HOSTS, kwargs=published),
    Row("events:edit", UNPUBLISHED, kwargs=unpublished),
    Row("events:edit", HOSTS, "POST", kwargs=published, data={"title": ""}),
    Row(
        "events:review",
        expect(404, host=403, coordinator=302),
        "POST",
        kwargs=unpublished,
        data={"decision": "approve"},
    ),
    Row("events:cancel", HOSTS, kwargs=published),
    Row(
        "events:cancel", HOSTS_POST, "POST", kwargs=published, data={"reason": "The hall flooded."}
    ),
    Row(
        "events:cancel",
        expect(404, host=302, coordinator=302),
        "POST",
        kwargs=unpublished,
        data={"reason": "The hall flooded."},
    ),
    Row(
        "events:my_registration_link",
        expect(404, other=302),
        "POST",
        kwargs=lambda w: {"pk": registration(w).event_id},
    ),
    # Signed out, an empty form is a 400 naming the fields; signed in, one click.
    Row("events:register", expect(302, visitor=400), "POST", kwargs=published),
    Row("events:register", expect(302), "POST", kwargs=published, data=SIGNUP),
    Row("events:signup_confirm", ALL, kwargs=lambda w: {"token": pending_token(w)}),
    Row("events:signup_confirm", expect(302), "POST", kwargs=lambda w: {"token": pending_token(w)}),
    Row("events:signup_confirm", expect(404, visitor=404), kwargs={"token": "not-a-token"}),
    Row("events:registration_answers", ALL, kwargs=lambda w: {"token": registration(w).token}),
    Row(
        "events:registration_answers",
        expect(302),
        "POST",
        kwargs=lambda w: {"token": registration(w).token},
    ),
    Row("events:questions", HOSTS, kwargs=published),
    Row("events:questions", UNPUBLISHED, kwargs=unpublished),
    Row("events:questions", HOSTS_POST, "POST", kwargs=published, data={"common": "childcare"}),
    Row(
        "events:questions",
        expect(404, host=302, coordinator=302),
        "POST",
        kwargs=unpublished,
        data={"common": "childcare"},
    ),
    Row("events:question_delete", HOSTS_POST, "POST", kwargs=question),
    Row("events:sources", HOSTS, kwargs=published),
    Row("events:sources", UNPUBLISHED, kwargs=unpublished),
    Row(
        "events:sources",
        HOSTS_POST,
        "POST",
        kwargs=published,
        data={"kind": "organization", "label": "Local 2002"},
    ),
    Row("events:register", expect(404, host=302, coordinator=302), "POST", kwargs=unpublished),
    Row("events:attendees", HOSTS, kwargs=published),
    Row("events:attendees", UNPUBLISHED, kwargs=unpublished),
    Row("events:attendees_csv", HOSTS, kwargs=published),
    Row("events:attendees_csv", UNPUBLISHED, kwargs=unpublished),
    Row("events:checkin", HOSTS, kwargs=published),
    Row("events:checkin", UNPUBLISHED, kwargs=unpublished),
    Row(
        "events:checkin_toggle",
        HOSTS_POST,
        "POST",
        kwargs=lambda w: {"pk": event(w).pk, "registration_pk": registration(w).pk},
    ),
    Row("events:walk_in", HOSTS_POST, "POST", kwargs=published, data={"name": "Walk In"}),
    Row(
        "events:walk_in",
        expect(404, host=302, coordinator=302),
        "POST",
        kwargs=unpublished,
        data={"name": "Walk In"},
    ),
    Row(
        "events:complete",
        HOSTS_POST,
        "POST",
        kwargs=published,
        data={"taught_areas": ["email-and-lists"]},
    ),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]
