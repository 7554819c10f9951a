"""Uploads and materials for the materials' tests."""

from django.core.files.uploadedfile import SimpleUploadedFile

from strategists.events import registration_services
from strategists.materials import services
from strategists.materials.models import Material

PDF = b"%PDF-1.4\n% agenda\n"


def pdf(name="Agenda for the day.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def register(event, person):
    return registration_services.registration_create(event=event, person=person).registration


def add(by, *, event=None, area=None, visibility="attendees", title="Slides", **values):
    values.setdefault(
        "url", "" if "file" in values or "body" in values else "https://example.org/s"
    )
    return services.material_add(
        by=by, event=event, area=area, visibility=visibility, title=title, **values
    )


def file_material(by, event, *, visibility=Material.Visibility.ATTENDEES, **values):
    return add(
        by,
        event=event,
        visibility=visibility,
        file=pdf(),
        original_name="Agenda-for-the-day.pdf",
        **values,
    )
