"""Every messaging view, every role (attackers included), GET and POST; and who may write to
which segment, computed again on the server from the segment's key and parameters."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from strategists.messaging.models import Message
from strategists.messaging.tokens import unsubscribe_token
from tests.conftest import ATTACKER_ROLES
from tests.conftest import ROLES as BASE_ROLES
from tests.factories import EventFactory
from tests.permissions import Row, case_id, cases, run_row

ROLES = [*BASE_ROLES, *ATTACKER_ROLES]
SIGNED_IN = [role for role in ROLES if role != "visitor"]
EVERYONE = dict.fromkeys(ROLES, 200)
NOBODY = dict.fromkeys(ROLES, 405)
MEMBERS = {"visitor": 302, **dict.fromkeys(SIGNED_IN, 200)}
MEMBERS_POST = dict.fromkeys(ROLES, 302)
# Hosts of an organization (other_host too: they host another one) and coordinators.
SENDERS = {
    "visitor": 302,
    **dict.fromkeys(SIGNED_IN, 403),
    "host": 200,
    "other_host": 200,
    "coordinator": 200,
}
# The message was sent by the host: they and coordinators read it.
MESSAGE = {"visitor": 302, **dict.fromkeys(SIGNED_IN, 403), "host": 200, "coordinator": 200}


def message(w):
    if not hasattr(w, "message"):
        w.message = Message.objects.create(
            sender=w.host,
            sender_label=str(w.host),
            kind=Message.Kind.HOST,
            segment_key="training",
            segment_params={},
            segment_label="Everyone",
            subject="Hello",
            body="Hi.",
        )
    return {"pk": w.message.pk}


def token(w):
    return {"token": unsubscribe_token(w.member.pk, "hosts")}


MATRIX = [
    Row("messaging:list", SENDERS),
    Row("messaging:list", NOBODY, "POST"),
    Row("messaging:compose", SENDERS),
    # Without a segment there is nothing to send to: 400 for those who may write at all.
    Row(
        "messaging:compose",
        {**SENDERS, "host": 400, "other_host": 400, "coordinator": 400},
        "POST",
        data={"subject": "Hi", "body": "Hello"},
    ),
    Row("messaging:detail", MESSAGE, kwargs=message),
    Row("messaging:detail", NOBODY, "POST", kwargs=message),
    Row("messaging:progress", MESSAGE, kwargs=message),
    Row("messaging:progress", NOBODY, "POST", kwargs=message),
    Row("messaging:preferences", MEMBERS),
    Row("messaging:preferences", MEMBERS_POST, "POST", data={"wanted": ["hosts"]}),
    Row("messaging:phone", NOBODY),
    Row(
        "messaging:phone",
        MEMBERS_POST,
        "POST",
        data={"phone_number": "313 555 0100", "consent": "on"},
    ),
    # The signed link works for anyone who has it, signed in or not.
    Row("messaging:unsubscribe", EVERYONE, kwargs=token),
    Row("messaging:unsubscribe", EVERYONE, "POST", kwargs=token),
    Row("messaging:unsubscribe", dict.fromkeys(ROLES, 404), kwargs={"token": "forged"}),
    Row("messaging:unsubscribe", dict.fromkeys(ROLES, 404), "POST", kwargs={"token": "forged"}),
    Row("messaging:sms_inbound", NOBODY),
    # Without the provider's signature, whoever asks.
    Row(
        "messaging:sms_inbound",
        dict.fromkeys(ROLES, 403),
        "POST",
        data={"From": "+13135550100", "Body": "STOP"},
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]


def test_every_row_covers_every_role():
    assert [str(row) for row in MATRIX if set(row.expected) != set(ROLES)] == []


# Segments: the same composer, each segment checked against the sender ---------------------

TRAINING = {**SENDERS, "other_host": 403}
TRAINING_POST = {**{k: (302 if v == 200 else v) for k, v in TRAINING.items()}}
DASHBOARD = {"visitor": 302, **dict.fromkeys(SIGNED_IN, 403), "coordinator": 200}
DASHBOARD_POST = {**DASHBOARD, "coordinator": 302}


def _compose(**params) -> str:
    return reverse("messaging:compose") + "?" + urlencode(params)


def _training_url(w) -> str:
    event = EventFactory(organization=w.organization)
    from strategists.events.models import Registration

    Registration.objects.create(event=event, person=w.member, status="registered")
    return _compose(segment="training", event=event.pk, group="all")


SEGMENT_CASES = [
    ("training", "GET", TRAINING),
    ("training", "POST", TRAINING_POST),
    ("dashboard", "GET", DASHBOARD),
    ("dashboard", "POST", DASHBOARD_POST),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("segment", "method", "expected"), SEGMENT_CASES, ids=lambda v: str(v)[:12]
)
def test_who_may_write_to_which_segment(client_for, world, role, segment, method, expected):
    from strategists.goals.services import program_year_ensure

    program_year_ensure()
    url = (
        _training_url(world)
        if segment == "training"
        else _compose(segment="dashboard", table="experts")
    )
    client = client_for(role)
    data = {"subject": "Hi", "body": "Hello"}
    response = client.get(url) if method == "GET" else client.post(url, data)
    assert response.status_code == expected[role]


@pytest.mark.django_db
def test_segment_parameters_that_name_nothing_are_refused(client_for, world):
    client = client_for("coordinator")
    for params in (
        {"segment": "everyone"},
        {"segment": "training", "event": "x"},
        {"segment": "training", "event": str(10**30)},
        {"segment": "training", "event": "-1"},
        {"segment": "training", "event": "1", "group": "friends"},
        {"segment": "dashboard", "table": "ids", "region": "mars"},
        {"segment": "dashboard", "table": "hosts", "region": "mars"},
    ):
        assert client.get(_compose(**params)).status_code == 400
    assert client.get(_compose(segment="training", event=999999)).status_code == 404
