import pytest

from strategists.goals.services import program_year_ensure, target_set
from tests.permissions import Row, case_id, cases, run_row

# The attacker roles (pending or declined applicant, ex-host, other host, directory curator) hold
# no power over goals: they see what any member sees.
ATTACKERS = ["applicant", "declined", "ex_host", "other_host", "curator"]
ALL = dict.fromkeys(["visitor", "member", "host", "expert", "coordinator", *ATTACKERS], 200)
COORDINATORS = {
    "visitor": 302,
    "member": 403,
    "host": 403,
    "expert": 403,
    "coordinator": 200,
    **dict.fromkeys(ATTACKERS, 403),
}
COORDINATORS_POST = {**COORDINATORS, "coordinator": 302}
POST_ONLY = dict.fromkeys(ALL, 405)


def target(world):
    if not hasattr(world, "target"):
        world.target = target_set(
            year=program_year_ensure(),
            by=None,
            organization_type="labor-media",
            role="journalist",
            target=5,
        )
    return world.target


MATRIX = [
    Row("goals:progress", ALL),
    Row("goals:progress_csv", ALL, kwargs={"table": "pipeline"}),
    Row("goals:progress_csv", ALL, kwargs={"table": "certified"}),
    Row("goals:progress_csv", ALL, kwargs={"table": "trainings"}),
    Row("goals:progress_svg", ALL, kwargs={"chart": "certified"}),
    Row("goals:progress_svg", ALL, kwargs={"chart": "pipeline"}),
    Row("goals:dashboard", COORDINATORS),
    Row("goals:dashboard_csv", COORDINATORS, kwargs={"table": "hosts"}),
    Row("goals:dashboard_csv", COORDINATORS, kwargs={"table": "targets"}),
    Row("goals:targets", COORDINATORS),
    Row(
        "goals:targets",
        COORDINATORS_POST,
        "POST",
        data={"organization_type": "labor-media", "role": "journalist", "target": "5"},
    ),
    Row("goals:target_delete", POST_ONLY, kwargs=lambda w: {"pk": target(w).pk}),
    Row("goals:target_delete", COORDINATORS_POST, "POST", kwargs=lambda w: {"pk": target(w).pk}),
    Row("goals:year_edit", COORDINATORS),
    Row(
        "goals:year_edit",
        COORDINATORS_POST,
        "POST",
        data={"name": "2027", "starts_on": "2027-01-01", "ends_on": "2027-12-31", "target": "1000"},
    ),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]


def test_dashboard_link_shows_for_coordinators_only(client_for, world):
    assert b'href="/dashboard/"' in client_for("coordinator").get("/progress/").content
    assert b'href="/dashboard/"' not in client_for("member").get("/progress/").content
