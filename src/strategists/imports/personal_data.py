"""The imports a person uploaded, for their export; on deletion, any file of theirs still waiting
for confirmation is dropped (it holds other people's data, and nobody will confirm it now)."""

from django.utils import timezone

from strategists.common.personal_data import isoformat, register
from strategists.imports.models import ImportJob


def _export(person) -> dict:
    return {
        "imports_uploaded": [
            {
                "file": job.file_name,
                "format": job.kind,
                "state": job.state,
                "uploaded": isoformat(job.created_at),
                "rows": job.row_count,
                "rows_changed": job.changed_rows,
            }
            for job in ImportJob.objects.filter(created_by=person)
            .defer("content", "preview")
            .order_by("created_at", "pk")
        ]
    }


def _erase(person, *, keep_credentials: bool) -> None:
    ImportJob.objects.filter(created_by=person, state=ImportJob.State.PREVIEW).update(
        state=ImportJob.State.DISCARDED,
        content="",
        preview={},
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


register("imports", exporter=_export, eraser=_erase, order=50)
