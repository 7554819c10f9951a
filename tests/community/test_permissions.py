import pytest

from tests.community.conftest import certify, listed
from tests.conftest import ATTACKER_ROLES, ROLES
from tests.permissions import Row, case_id, cases, run_row

EVERYONE = dict.fromkeys(ROLES + ATTACKER_ROLES, 200)
SIGNED_IN = {**EVERYONE, "visitor": 302}
SIGNED_IN_POST = dict.fromkeys(ROLES + ATTACKER_ROLES, 302)  # visitors to sign-in, others back to the page
NOT_FOUND = dict.fromkeys(ROLES + ATTACKER_ROLES, 404)


def listed_person(world):
    listed(world.other)
    return {"pk": world.other.pk}


def unlisted_person(world):
    certify(world.other)
    return {"pk": world.other.pk}


MATRIX = [
    Row("community:registry", EVERYONE),
    Row("community:registry_profile", EVERYONE, kwargs=listed_person),
    Row("community:registry_profile", NOT_FOUND, kwargs=unlisted_person),
    Row("community:listing_settings", SIGNED_IN),
    # Opting out is open to everyone signed in; it redirects back to the settings page.
    Row("community:listing_settings", SIGNED_IN_POST, "POST", data={"ask_me_about": ""}),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]
