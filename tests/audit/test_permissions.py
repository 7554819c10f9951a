import pytest

from tests.conftest import ATTACKER_ROLES, ROLES
from tests.permissions import Row, case_id, cases, run_row

# The log names people, what they did and where from: coordinators only, whoever else asks.
COORDINATORS_ONLY = dict.fromkeys(ROLES + ATTACKER_ROLES, 403) | {
    "visitor": 302,
    "coordinator": 200,
}
FILTERED = {"person": "coordinator@example.net", "action": "role."}

MATRIX = [
    Row("audit:log", COORDINATORS_ONLY),
    Row("audit:export", COORDINATORS_ONLY),
    # Reading only: a write method is refused for everyone (405) before anything else.
    Row("audit:log", dict.fromkeys(ROLES + ATTACKER_ROLES, 405), "POST", data=FILTERED),
    Row("audit:export", dict.fromkeys(ROLES + ATTACKER_ROLES, 405), "POST", data=FILTERED),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]
