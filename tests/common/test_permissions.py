"""Permission matrix of the pages common owns: /healthz and the language links, for everyone."""

import pytest

from strategists.common.health import heartbeat_beat
from tests.conftest import ATTACKER_ROLES, ROLES
from tests.permissions import Row, case_id, cases, run_row


def with_a_live_worker(world):
    heartbeat_beat(name="worker-1:7")
    return {}


EVERYONE = [*ROLES, *ATTACKER_ROLES]

MATRIX = [
    Row("healthz", dict.fromkeys(EVERYONE, 200), kwargs=with_a_live_worker),
    Row("healthz", dict.fromkeys(EVERYONE, 405), "POST", kwargs=with_a_live_worker),
    # The footer's language links: anyone, GET only (a cookie and a redirect).
    Row("language_switch", dict.fromkeys(EVERYONE, 302), kwargs={"code": "es"}),
    Row("language_switch", dict.fromkeys(EVERYONE, 405), "POST", kwargs={"code": "es"}),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]
