"""Every surveys view, every role (attackers included), GET and POST."""

import pytest

from tests.factories import UserFactory
from tests.permissions import Row, case_id, cases, run_row
from tests.surveys.conftest import completed_training, survey_token

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
# Coordinators, hosts (other_host hosts another organization: an empty list) and trainers
# (the expert taught the training).
READERS = {
    "visitor": 302,
    **dict.fromkeys(SIGNED_IN, 403),
    "host": 200,
    "expert": 200,
    "coordinator": 200,
    "other_host": 200,
}
# One training's results: its hosts, its trainer, coordinators; not there for anyone else.
TRAINING = {
    "visitor": 302,
    **dict.fromkeys(SIGNED_IN, 404),
    "host": 200,
    "expert": 200,
    "coordinator": 200,
}


def setup(w):
    if not hasattr(w, "training"):
        w.attendee = UserFactory(name="Ada Attendee", email="ada@example.net")
        w.training = completed_training(
            w.organization, w.host, attendees=[w.attendee], trainers=[w.expert]
        )
    return w


def token(w):
    setup(w)
    return {"token": survey_token(w.attendee)}


def training(w):
    setup(w)
    return {"pk": w.training.pk}


MATRIX = [
    Row("surveys:results", READERS, kwargs=lambda w: setup(w) and {}),
    Row("surveys:results", NOT_ALLOWED, "POST"),
    Row("surveys:training_results", TRAINING, kwargs=training),
    Row("surveys:training_results", NOT_ALLOWED, "POST", kwargs=training),
    # The mailed link opens the survey for whoever holds it, signed in or not.
    Row("surveys:answer", ALL, kwargs=token),
    Row("surveys:answer", dict.fromkeys(ROLES, 302), "POST", kwargs=token, data={"overall": "4"}),
    Row("surveys:answer", dict.fromkeys(ROLES, 404), kwargs={"token": "not-a-token"}),
    Row(
        "surveys:answer",
        dict.fromkeys(ROLES, 404),
        "POST",
        kwargs={"token": "not-a-token"},
        data={"overall": "4"},
    ),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]


def test_every_row_covers_every_role():
    assert [str(row) for row in MATRIX if set(row.expected) != set(ROLES)] == []
