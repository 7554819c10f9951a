import pytest

from tests.permissions import Row, case_id, cases, run_row

ALL = {"visitor": 200, "member": 200, "host": 200, "expert": 200, "coordinator": 200}
SIGNED_IN_ONLY = {"visitor": 302, "member": 200, "host": 200, "expert": 200, "coordinator": 200}
COORDINATORS = {"visitor": 302, "member": 403, "host": 403, "expert": 403, "coordinator": 200}
GUESTS_ONLY = {"visitor": 200, "member": 302, "host": 302, "expert": 302, "coordinator": 302}

MATRIX = [
    Row("home", ALL),
    Row("set_language", {"visitor": 302, "member": 302, "coordinator": 302}, "POST", data={"language": "es"}),
    Row("accounts:signup", GUESTS_ONLY),
    Row("accounts:signup_done", ALL),
    Row("accounts:verify", {"visitor": 400, "member": 400}, kwargs={"uidb64": "OTk5OTk5", "token": "bad-token"}),
    Row("accounts:login", ALL),
    Row("accounts:logout", {"visitor": 302, "member": 302}, "POST"),
    Row("accounts:password_reset", ALL),
    Row("accounts:password_reset_done", ALL),
    Row("accounts:password_reset_confirm", {"visitor": 200}, kwargs={"uidb64": "MQ", "token": "bad-token"}),
    Row("accounts:password_reset_complete", ALL),
    Row("accounts:me", {**SIGNED_IN_ONLY, "member": 302, "host": 302, "expert": 302, "coordinator": 302}),
    Row("accounts:profile_edit", SIGNED_IN_ONLY),
    Row("accounts:expert_edit", SIGNED_IN_ONLY),
    Row("accounts:person", {"visitor": 302, "member": 200, "host": 403, "expert": 403, "coordinator": 200},
        kwargs=lambda w: {"pk": w.member.pk}),
    Row("accounts:city_options", ALL),
    Row("accounts:organizations", COORDINATORS),
    Row("accounts:organization_new", COORDINATORS),
    Row("accounts:organization_edit", COORDINATORS, kwargs=lambda w: {"pk": w.organization.pk}),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]
