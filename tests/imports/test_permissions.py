"""Every import and export view, every role (attackers included), GET and POST."""

from dataclasses import dataclass

import pytest

from strategists.imports import formats, services
from tests.factories import EventFactory
from tests.imports.conftest import an_people, mobilize, upload_file
from tests.permissions import Row, case_id, cases, run_row

SIGNED_IN = [
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
ROLES = ["visitor", *SIGNED_IN]
NOT_ALLOWED = dict.fromkeys(ROLES, 405)
# Coordinators, and hosts of any organization now (ex_host no more).
IMPORTERS = {
    "visitor": 302,
    **dict.fromkeys(SIGNED_IN, 403),
    "host": 200,
    "other_host": 200,
    "coordinator": 200,
}
# The host's upload into their training goes through; other_host may not pick that training.
UPLOAD_POST = {**IMPORTERS, "host": 302, "coordinator": 302, "other_host": 400}
# The coordinator's import: only coordinators see it, only its author acts on it.
COORDINATORS_JOB = {"visitor": 302, **dict.fromkeys(SIGNED_IN, 403), "coordinator": 200}
COORDINATORS_JOB_POST = {**COORDINATORS_JOB, "coordinator": 302}
HOSTS_JOB = {**COORDINATORS_JOB, "host": 200}
HOSTS_JOB_POST = {"visitor": 302, **dict.fromkeys(SIGNED_IN, 403), "host": 302}
# One training's export: its organization's host and coordinators.
TRAINING_EXPORT = {**IMPORTERS, "other_host": 403}


def setup(w):
    if not hasattr(w, "job"):
        w.training = EventFactory(organization=w.organization, title="Texting at scale")
        w.job = services.import_upload(
            by=w.coordinator,
            kind=formats.AN_PEOPLE,
            file_name="people.csv",
            data=an_people([{"email": "new@example.net"}]),
        )
        w.host_job = services.import_upload(
            by=w.host,
            kind=formats.MOBILIZE,
            file_name="attendees.csv",
            data=mobilize([{"Event ID": w.training.pk, "Email": "new@example.net"}]),
        )
    return w


def job(w):
    return {"pk": setup(w).job.pk}


def host_job(w):
    return {"pk": setup(w).host_job.pk}


def upload_data(w):
    setup(w)
    return {
        "kind": formats.MOBILIZE,
        "event": w.training.pk,
        "file": upload_file(mobilize([{"Event ID": w.training.pk, "Email": "x@example.net"}])),
    }


@dataclass
class QueryRow(Row):
    """A row whose URL carries a query string built from the world."""

    query: object = None

    def url(self, world) -> str:
        return f"{super().url(world)}?{self.query(world)}"


def training_query(w):
    return f"training={setup(w).training.pk}"


MATRIX = [
    Row("imports:history", IMPORTERS),
    Row("imports:history", NOT_ALLOWED, "POST"),
    Row("imports:upload", IMPORTERS),
    Row("imports:upload", UPLOAD_POST, "POST", data=upload_data),
    Row("imports:detail", COORDINATORS_JOB, kwargs=job),
    Row("imports:detail", HOSTS_JOB, kwargs=host_job),
    Row("imports:detail", NOT_ALLOWED, "POST", kwargs=job),
    Row("imports:progress", COORDINATORS_JOB, kwargs=job),
    Row("imports:progress", HOSTS_JOB, kwargs=host_job),
    Row("imports:progress", NOT_ALLOWED, "POST", kwargs=job),
    Row("imports:confirm", NOT_ALLOWED, kwargs=job),
    Row("imports:confirm", COORDINATORS_JOB_POST, "POST", kwargs=job),
    Row("imports:confirm", HOSTS_JOB_POST, "POST", kwargs=host_job),
    Row("imports:discard", NOT_ALLOWED, kwargs=job),
    Row("imports:discard", COORDINATORS_JOB_POST, "POST", kwargs=job),
    Row("imports:discard", HOSTS_JOB_POST, "POST", kwargs=host_job),
    *[
        row
        for name in ("export_people", "export_registrations", "export_attendance")
        for row in (
            Row(f"imports:{name}", IMPORTERS),
            QueryRow(f"imports:{name}", TRAINING_EXPORT, query=training_query),
            Row(f"imports:{name}", NOT_ALLOWED, "POST"),
        )
    ],
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]


def test_every_row_covers_every_role():
    assert [str(row) for row in MATRIX if set(row.expected) != set(ROLES)] == []
