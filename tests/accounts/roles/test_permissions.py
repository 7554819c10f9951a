"""Permission matrix of the role pages, with the people an attacker would be."""

import pytest

from strategists.accounts import role_services
from strategists.accounts.models import HostRequest
from tests.permissions import Row, case_id, cases, run_row

EVERYONE = [
    "member",
    "host",
    "expert",
    "coordinator",
    "applicant",
    "declined",
    "ex_host",
    "other_host",
    "curator",
]
COORDINATORS = {"visitor": 302, **dict.fromkeys(EVERYONE, 403), "coordinator": 200}


def signed_in(status, **exceptions):
    return {"visitor": 302, **dict.fromkeys(EVERYONE, status), **exceptions}


def application(world):
    return world.applicant.expert_applications.get().pk


def curator_grant(world):
    return role_services.role_grant(user=world.other, role="curator", by=world.coordinator).pk


def host_request(world):
    return HostRequest.objects.create(user=world.other, organization=world.organization).pk


VOLUNTEER = {
    "skill_areas": ["web-and-cms"],
    "home_city": "Chicago, IL",
    "languages": ["en"],
    "availability": "weekends",
    "max_trainings_per_year": "3",
    "experience": "Ran our local's site.",
    "references": "Ana, ana@example.net",
}

MATRIX = [
    Row("accounts:expert_edit", signed_in(200)),
    Row("accounts:expert_edit", signed_in(302, applicant=200), "POST", data=VOLUNTEER),
    Row("accounts:roles", COORDINATORS),
    Row("accounts:role_grant", COORDINATORS),
    Row(
        "accounts:role_grant",
        {**COORDINATORS, "coordinator": 302},
        "POST",
        data=lambda w: {
            "email": w.other.email,
            "role": "curator",
            "reason": "Keeps the directory.",
        },
    ),
    Row(
        "accounts:role_change",
        COORDINATORS,
        kwargs=lambda w: {"pk": curator_grant(w), "action": "revoke"},
    ),
    Row(
        "accounts:role_change",
        {**COORDINATORS, "coordinator": 302},
        "POST",
        kwargs=lambda w: {"pk": curator_grant(w), "action": "revoke"},
        data={"reason": "Stepped down."},
    ),
    Row("accounts:expert_application", COORDINATORS, kwargs=lambda w: {"pk": application(w)}),
    Row(
        "accounts:expert_application",
        {**COORDINATORS, "coordinator": 302},
        "POST",
        kwargs=lambda w: {"pk": application(w)},
        data={"decision": "approve"},
    ),
    Row("accounts:host_requests", {**COORDINATORS, "host": 200, "other_host": 200}),
    Row("accounts:host_request_new", signed_in(200)),
    Row(
        "accounts:host_request_new",
        signed_in(302, host=400),
        "POST",
        data={"organization": "Local 1001"},
    ),
    Row(
        "accounts:host_request_decide",
        {**COORDINATORS, "coordinator": 302, "host": 302, "other_host": 404},
        "POST",
        kwargs=lambda w: {"pk": host_request(w)},
        data={"decision": "approve"},
    ),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]
