"""Files attached to a training: stored under names we make, served only to those who may see
them (a training's own files: its registrants, attendees, hosts, trainers, coordinators)."""

import pytest
from django.urls import reverse

from strategists.common.models import AuditEntry
from strategists.events.models import TrainerAssignment
from strategists.materials.models import Material
from tests.factories import EventFactory, UserFactory
from tests.materials.conftest import PDF, file_material, pdf, register

pytestmark = pytest.mark.django_db


def download(client, material):
    return client.get(reverse("materials:file", kwargs={"pk": material.pk}))


def test_a_host_uploads_and_a_registrant_downloads_it(client, world, media):
    event = EventFactory(organization=world.organization)
    client.force_login(world.host)

    response = client.post(
        reverse("materials:event", kwargs={"pk": event.pk}),
        {
            "title": "Agenda",
            "kind": "file",
            "visibility": "attendees",
            "language": "en",
            "file": pdf("../../etc/Agenda <day>.PDF"),
        },
    )
    material = Material.objects.get()
    register(event, world.member)
    client.force_login(world.member)
    fetched = download(client, material)

    assert (response.status_code, material.event, material.added_by) == (302, event, world.host)
    assert material.file.name.startswith("materials/")
    assert material.file.name.endswith(".pdf") and "Agenda" not in material.file.name
    assert (media / material.file.name).read_bytes() == PDF
    assert fetched.status_code == 200
    assert fetched["Content-Disposition"] == 'attachment; filename="Agenda-day.pdf"'
    assert b"".join(fetched.streaming_content) == PDF
    entry = AuditEntry.objects.get(action="material.added")
    assert (entry.actor, entry.data["event"], entry.data["file"]) == (world.host, event.pk, True)


def test_a_non_registrant_cannot_fetch_a_trainings_private_file(client, world):
    event = EventFactory(organization=world.organization)
    material = file_material(world.host, event)
    cancelled = UserFactory()
    from strategists.events import registration_services

    registration_services.registration_cancel(registration=register(event, cancelled))

    client.force_login(world.member)
    stranger = download(client, material)
    client.force_login(cancelled)
    gone = download(client, material)
    client.logout()
    visitor = download(client, material)

    assert (stranger.status_code, gone.status_code) == (404, 404)
    assert (visitor.status_code, visitor["Location"]) == (
        302,
        f"/accounts/login/?next=/materials/{material.pk}/file/",
    )


def test_trainers_and_waitlisted_registrants_see_private_files(client, world):
    event = EventFactory(organization=world.organization, capacity=1)
    material = file_material(world.host, event)
    register(event, UserFactory())
    waiting = UserFactory()
    register(event, waiting)
    TrainerAssignment.objects.create(event=event, trainer=world.expert, status="accepted")

    client.force_login(waiting)
    as_waiting = download(client, material).status_code
    client.force_login(world.expert)
    as_trainer = download(client, material).status_code

    assert (as_waiting, as_trainer) == (200, 200)


def test_a_shared_file_is_for_everyone_but_not_before_the_training_is_published(client, world):
    event = EventFactory(organization=world.organization)
    shared = file_material(world.host, event, visibility=Material.Visibility.PUBLIC)
    proposed = EventFactory(organization=world.organization, state="proposed")
    early = file_material(world.host, proposed, visibility=Material.Visibility.PUBLIC)

    public = download(client, shared).status_code
    client.force_login(world.member)
    unpublished = download(client, early).status_code
    client.force_login(world.host)
    own = download(client, early).status_code

    assert (public, unpublished, own) == (200, 404, 200)


def test_removing_a_material_deletes_its_file_after_commit(
    client, world, media, django_capture_on_commit_callbacks
):
    event = EventFactory(organization=world.organization)
    material = file_material(world.host, event)
    stored = media / material.file.name
    client.force_login(world.host)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("materials:remove", kwargs={"pk": material.pk}))

    assert (response.status_code, response["Location"]) == (
        302,
        f"/trainings/{event.pk}/materials/",
    )
    assert (Material.objects.count(), stored.exists()) == (0, False)
    entry = AuditEntry.objects.get(action="material.removed")
    assert (entry.actor, entry.data["title"]) == (world.host, "Slides")


def test_a_persons_export_lists_what_they_added_and_deletion_keeps_the_material(world):
    from strategists.common import personal_data

    event = EventFactory(organization=world.organization)
    material = file_material(world.host, event)

    exported = personal_data.export(world.host)["materials"]
    personal_data.erase(world.host, keep_credentials=True)

    assert [(m["title"], m["training"], m["file"]) for m in exported] == [
        ("Slides", event.pk, "Agenda-for-the-day.pdf")
    ]
    material.refresh_from_db()
    assert (material.added_by, material.title) == (None, "Slides")
