"""A person's imports in their data export; deleting the account drops a file still waiting."""

import pytest

from strategists.accounts.services import account_delete, personal_data_export
from strategists.imports import formats, services
from tests.imports.conftest import an_people

pytestmark = pytest.mark.django_db


def test_a_coordinators_imports_are_in_their_export_and_a_waiting_file_goes_with_the_account(world):
    job = services.import_upload(
        by=world.coordinator,
        kind=formats.AN_PEOPLE,
        file_name="people.csv",
        data=an_people([{"email": "a@example.net"}]),
    )

    exported = personal_data_export(user=world.coordinator)
    account_delete(user=world.coordinator, keep_credentials=False)

    job.refresh_from_db()
    assert exported["imports"] == {
        "imports_uploaded": [
            {
                "file": "people.csv",
                "format": "an-people",
                "state": "preview",
                "uploaded": job.created_at.isoformat(),
                "rows": 1,
                "rows_changed": 0,
            }
        ]
    }
    assert (job.state, job.content, job.preview) == ("discarded", "", {})
