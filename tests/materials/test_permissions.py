"""Every materials view, every role (attackers included), GET and POST."""

import pytest

from strategists.events.models import TrainerAssignment
from strategists.materials.models import Material
from tests.factories import EventFactory
from tests.materials.conftest import file_material, register
from tests.permissions import Row, case_id, cases, run_row

SIGNED_IN = [
    "member",
    "host",
    "expert",
    "coordinator",
    "other",
    "applicant",
    "declined",
    "ex_host",
    "other_host",
    "curator",
]
ROLES = ["visitor", *SIGNED_IN]
ALL = dict.fromkeys(ROLES, 200)
NOT_ALLOWED = dict.fromkeys(ROLES, 405)
# A training's runners add to it: its hosts, its trainer (the expert), coordinators.
RUNNERS_POST = {"visitor": 302, **dict.fromkeys(SIGNED_IN, 403)} | dict.fromkeys(
    ["host", "expert", "coordinator"], 302
)
# A library: any current host, experts approved in the area, coordinators.
LIBRARY_POST = RUNNERS_POST | {"other_host": 302}
KIT_POST = {"visitor": 302, **dict.fromkeys(SIGNED_IN, 403), "coordinator": 302}
# A training's own file: its registrant (the member), hosts, trainer and coordinators; not
# there for anyone else (404), sign in first for visitors.
PRIVATE = {"visitor": 302, **dict.fromkeys(SIGNED_IN, 404)} | dict.fromkeys(
    ["member", "host", "expert", "coordinator"], 200
)
# Removing: those who may see it but not remove it are refused (403), the others find nothing.
REMOVE = PRIVATE | {"member": 403, "expert": 403, "host": 302, "coordinator": 302}
LINK = {"title": "Slides", "kind": "slides", "language": "en", "url": "https://example.org/s"}


def setup(w):
    if not hasattr(w, "event"):
        w.event = EventFactory(organization=w.organization)
        TrainerAssignment.objects.create(event=w.event, trainer=w.expert, status="accepted")
        register(w.event, w.member)
        w.private = file_material(w.host, w.event)
        w.public = file_material(w.host, w.event, visibility=Material.Visibility.PUBLIC)
    return w


def event(w):
    return {"pk": setup(w).event.pk}


def private(w):
    return {"pk": setup(w).private.pk}


def public(w):
    return {"pk": setup(w).public.pk}


AREA = {"area": "digital-security"}

MATRIX = [
    Row("materials:event", ALL, kwargs=event),
    Row(
        "materials:event", RUNNERS_POST, "POST", kwargs=event, data={**LINK, "visibility": "public"}
    ),
    Row("materials:library", ALL, kwargs=AREA),
    Row("materials:library", LIBRARY_POST, "POST", kwargs=AREA, data=LINK),
    Row("materials:host_kit", ALL),
    Row(
        "materials:host_kit",
        KIT_POST,
        "POST",
        data={
            "kit_section": "room",
            "title": "Projector",
            "body": "Bring an HDMI adapter.",
            "language": "en",
            "position": "0",
        },
    ),
    Row("materials:file", PRIVATE, kwargs=private),
    Row("materials:file", ALL, kwargs=public),
    Row("materials:file", NOT_ALLOWED, "POST", kwargs=private),
    Row("materials:remove", REMOVE, "POST", kwargs=private),
    Row("materials:remove", NOT_ALLOWED, kwargs=private),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]


def test_every_row_covers_every_role():
    assert [str(row) for row in MATRIX if set(row.expected) != set(ROLES)] == []
