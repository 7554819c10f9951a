"""The demo's import history: one completed Action Network import, made once however often the
demo runs, that renames nobody."""

import pytest

from strategists.accounts.models import User
from strategists.imports import demo
from strategists.imports.models import ImportJob
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_shows_one_completed_import_and_is_safe_to_run_twice(
    django_capture_on_commit_callbacks,
):
    UserFactory(email="coordinator@example.org", is_coordinator=True)
    member = UserFactory(email="member@example.org", name="Mona Member")

    # The demo runs outside any transaction: a confirmed import runs once it is committed.
    with django_capture_on_commit_callbacks(execute=True):
        demo.build(log=lambda message: None, seed=1000)
    demo.build(log=lambda message: None, seed=1000)

    job = ImportJob.objects.get()
    assert (job.state, job.row_count, job.changed_rows, job.content) == ("done", 13, 12, "")
    assert User.objects.filter(email__endswith="@members.example.org").count() == 12
    member.refresh_from_db()
    assert member.name == "Mona Member"
