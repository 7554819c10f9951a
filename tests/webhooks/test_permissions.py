"""Every webhooks view, every role (attackers included), GET and POST: coordinators only."""

import pytest

from strategists.webhooks import outbox
from strategists.webhooks.models import Endpoint
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
COORDINATORS = {"visitor": 302, **dict.fromkeys(SIGNED_IN, 403), "coordinator": 200}
COORDINATORS_POST = {**COORDINATORS, "coordinator": 302}
# Pages that only read, or only act: the other method is refused for everyone, signed in or not.
WRONG_METHOD = dict.fromkeys(ROLES, 405)


def setup(w):
    if not hasattr(w, "endpoint"):
        w.endpoint = Endpoint.objects.create(
            url="http://127.0.0.1:9/hook",
            secret="whsec_matrix_secret_long_enough",
            event_types=["registration.created"],
            owner=w.coordinator,
        )
        w.delivery = outbox.ping_queue(endpoint=w.endpoint)
    return w


def endpoint(w):
    return {"pk": setup(w).endpoint.pk}


def delivery(w):
    setup(w)
    return {"pk": w.endpoint.pk, "delivery_pk": w.delivery.pk}


FORM = {
    "url": "http://127.0.0.1:9/other",
    "description": "CRM",
    "event_types": ["registration.created", "credential.revoked"],
    "secret": "",
}

MATRIX = [
    Row("webhooks:list", COORDINATORS),
    Row("webhooks:list", WRONG_METHOD, "POST"),
    Row("webhooks:create", COORDINATORS),
    Row("webhooks:create", COORDINATORS_POST, "POST", data=FORM),
    Row("webhooks:detail", COORDINATORS, kwargs=endpoint),
    Row("webhooks:detail", WRONG_METHOD, "POST", kwargs=endpoint),
    Row("webhooks:edit", COORDINATORS, kwargs=endpoint),
    Row("webhooks:edit", COORDINATORS_POST, "POST", kwargs=endpoint, data=FORM),
    Row("webhooks:pause", WRONG_METHOD, kwargs=endpoint),
    Row("webhooks:pause", COORDINATORS_POST, "POST", kwargs=endpoint),
    Row("webhooks:resume", WRONG_METHOD, kwargs=endpoint),
    Row("webhooks:resume", COORDINATORS_POST, "POST", kwargs=endpoint),
    Row("webhooks:ping", WRONG_METHOD, kwargs=endpoint),
    Row("webhooks:ping", COORDINATORS_POST, "POST", kwargs=endpoint),
    Row("webhooks:delivery", COORDINATORS, kwargs=delivery),
    Row("webhooks:delivery", WRONG_METHOD, "POST", kwargs=delivery),
    Row("webhooks:redeliver", WRONG_METHOD, kwargs=delivery),
    Row("webhooks:redeliver", COORDINATORS_POST, "POST", kwargs=delivery),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]


def test_every_row_covers_every_role():
    assert [str(row) for row in MATRIX if set(row.expected) != set(ROLES)] == []


def test_another_endpoints_delivery_is_not_found(client, world):
    setup(world)
    other = Endpoint.objects.create(
        url="http://127.0.0.1:9/b", secret="whsec_x" * 4, event_types=["ping"]
    )
    client.force_login(world.coordinator)
    url = f"/webhooks/{other.pk}/deliveries/{world.delivery.pk}/"
    assert client.get(url).status_code == 404
