"""Helpers for the import tests: Action Network and Mobilize files built from rows, an importer
that uploads and confirms as the pages do, and trainings to import into."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from strategists.events.models import Registration
from strategists.imports import formats, services
from tests.factories import EventFactory


def csv_bytes(header, rows, *, delimiter=",", bom=False, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode(encoding)


def an_people(rows, **kwargs) -> bytes:
    """An Action Network people export: rows are dicts of the columns that matter."""
    return csv_bytes(
        formats.AN_COLUMNS, [[row.get(c, "") for c in formats.AN_COLUMNS] for row in rows], **kwargs
    )


def mobilize(rows, **kwargs) -> bytes:
    return csv_bytes(
        formats.MOBILIZE_COLUMNS,
        [[row.get(c, "") for c in formats.MOBILIZE_COLUMNS] for row in rows],
        **kwargs,
    )


def upload_file(data: bytes, name="export.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Upload and confirm, as the pages do; the confirmed import runs after commit (right away
    when small, by the task otherwise: the test task backend runs it at once)."""

    def importer(by, data, *, kind=formats.AN_PEOPLE, event=None, send_claim=False):
        job = services.import_upload(
            by=by, kind=kind, file_name="export.csv", data=data, event=event, send_claim=send_claim
        )
        if job.state == job.State.PREVIEW:
            with django_capture_on_commit_callbacks(execute=True):
                services.import_confirm(job=job, by=by)
        job.refresh_from_db()
        return job

    return importer


@pytest.fixture
def past_training(world):
    """A training of the host's organization that took place yesterday."""
    start = timezone.now().replace(microsecond=0) - timezone.timedelta(days=1)
    return EventFactory(
        organization=world.organization,
        title="Lists that work",
        starts_at=start,
        ends_at=start + timezone.timedelta(hours=6),
        capacity=5,
    )


@pytest.fixture
def training(world):
    return EventFactory(organization=world.organization, title="Texting at scale", capacity=3)


def registrations(event):
    return sorted(
        (r.person.email, r.status, r.checked_in_at is not None)
        for r in Registration.objects.filter(event=event).select_related("person")
    )
