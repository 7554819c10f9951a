import pytest

from tests.permissions import Row, case_id, cases, run_row

ALL = {"visitor": 200, "member": 200, "host": 200, "expert": 200, "coordinator": 200}
SIGNED_IN_ONLY = {"visitor": 302, "member": 200, "host": 200, "expert": 200, "coordinator": 200}
COORDINATORS = {"visitor": 302, "member": 403, "host": 403, "expert": 403, "coordinator": 200}
GUESTS_ONLY = {"visitor": 200, "member": 302, "host": 302, "expert": 302, "coordinator": 302}
PEOPLE = [
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


def everyone(visitor: int, signed_in: int) -> dict[str, int]:
    """Every role, attackers included: a visitor, and each kind of signed-in person."""
    return {"visitor": visitor, **dict.fromkeys(PEOPLE, signed_in)}


BAD_LINK = {"uidb64": "MQ", "token": "bad-token"}

MATRIX = [
    Row("home", ALL),
    Row(
        "set_language",
        {"visitor": 302, "member": 302, "coordinator": 302},
        "POST",
        data={"language": "es"},
    ),
    Row("accounts:signup", GUESTS_ONLY),
    Row("accounts:signup_done", ALL),
    Row(
        "accounts:verify",
        {"visitor": 400, "member": 400},
        kwargs={"uidb64": "OTk5OTk5", "token": "bad-token"},
    ),
    Row("accounts:login", ALL),
    Row("accounts:logout", {"visitor": 302, "member": 302}, "POST"),
    Row("accounts:password_reset", ALL),
    Row("accounts:password_reset_done", ALL),
    Row(
        "accounts:password_reset_confirm",
        {"visitor": 200},
        kwargs={"uidb64": "MQ", "token": "bad-token"},
    ),
    Row("accounts:password_reset_complete", ALL),
    Row(
        "accounts:password_reset", everyone(302, 302), "POST", data={"email": "nobody@example.net"}
    ),
    Row(
        "accounts:password_reset_confirm",
        everyone(200, 200),
        "POST",
        kwargs=BAD_LINK,
        data={"new_password1": "x-long-enough-9", "new_password2": "x-long-enough-9"},
    ),
    # A new confirmation link: a form for visitors, a button for the signed-in (who are confirmed
    # here, so nothing is sent and the page says so).
    Row("accounts:verify_resend", everyone(200, 200)),
    Row("accounts:verify_resend", everyone(200, 200), "POST"),
    Row("accounts:verify_resend", everyone(302, 200), "POST", data={"email": "member@example.net"}),
    Row("accounts:verify_resent", everyone(200, 200)),
    # A claim link that isn't valid shows "this link doesn't work" to anyone, and sets nothing.
    Row("accounts:claim", everyone(200, 200), kwargs=BAD_LINK),
    Row(
        "accounts:claim",
        everyone(200, 200),
        "POST",
        kwargs=BAD_LINK,
        data={"new_password1": "x-long-enough-9", "new_password2": "x-long-enough-9"},
    ),
    Row("accounts:data_export", everyone(302, 200)),
    Row("accounts:data_export", everyone(302, 200), "POST"),
    Row("accounts:account_delete", everyone(302, 200)),
    # Without the confirmation the form only explains what is missing.
    Row("accounts:account_delete", everyone(302, 200), "POST", data={"credentials": "keep"}),
    Row(
        "accounts:me",
        {**SIGNED_IN_ONLY, "member": 302, "host": 302, "expert": 302, "coordinator": 302},
    ),
    Row("accounts:profile_edit", SIGNED_IN_ONLY),
    Row("accounts:expert_edit", SIGNED_IN_ONLY),
    Row(
        "accounts:person",
        {"visitor": 302, "member": 200, "host": 403, "expert": 403, "coordinator": 200},
        kwargs=lambda w: {"pk": w.member.pk},
    ),
    Row("accounts:city_options", ALL),
    Row("accounts:organizations", COORDINATORS),
    Row("accounts:organization_new", COORDINATORS),
    Row("accounts:organization_edit", COORDINATORS, kwargs=lambda w: {"pk": w.organization.pk}),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]
