import pytest

from tests.planner.program import build_program


@pytest.fixture
def program(db):
    return build_program()
