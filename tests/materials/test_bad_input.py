"""Every materials form refuses bad input with an error naming the field, and stores nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from strategists.materials.models import Material
from tests.factories import EventFactory
from tests.materials.conftest import PDF, pdf

pytestmark = pytest.mark.django_db

TYPE = "Upload a PDF, an image, a text or CSV file, or an office document (not “{}”)."
BAD_URL = "Enter a valid URL."


def material(**overrides):
    return {"title": "Slides", "kind": "slides", "language": "en", **overrides}


CASES = [
    ({"url": "javascript:alert(1)"}, "url", BAD_URL),
    ({"url": "data:text/html,<script>alert(1)</script>"}, "url", BAD_URL),
    ({"url": "ftp://example.org/slides.pdf"}, "url", BAD_URL),
    ({"url": "https://example.org/" + "a" * 490}, "url", "Ensure this value has at most 500 characters (it has 510)."),
    ({}, "url", "Add a link or a file."),
    ({"url": "https://example.org/s", "file": "pdf"}, "url", "Add a link or a file, not both."),
    ({"file": ("run.exe", b"MZ\x90\x00")}, "file", TYPE.format(".exe")),
    ({"file": ("slides.html", b"<script>")}, "file", TYPE.format(".html")),
    ({"file": ("slides.svg", b"<svg onload=alert(1)>")}, "file", TYPE.format(".svg")),
    ({"file": ("fake.pdf", b"MZ not a pdf")}, "file", "The file's content doesn't match its name (.pdf)."),
    ({"file": ("big.pdf", PDF + b"0" * (5 * 1024 * 1024))}, "file", "The file is larger than 5 MB. Share a link instead."),
    ({"title": "", "url": "https://example.org/s"}, "title", "This field is required."),
    ({"title": "Sli\x00des", "url": "https://example.org/s"}, "title", "Null characters are not allowed."),
    ({"kind": "guide", "url": "https://example.org/s"}, "kind", "Select a valid choice. guide is not one of the available choices."),
    ({"language": "xx", "url": "https://example.org/s"}, "language", "Select a valid choice. xx is not one of the available choices."),
]  # fmt: skip


def posted(overrides):
    data = material(**overrides)
    file = data.pop("file", None)
    if file == "pdf":
        data["file"] = pdf()
    elif file:
        data["file"] = SimpleUploadedFile(file[0], file[1])
    return data


@pytest.mark.parametrize(("overrides", "field", "message"), CASES)
def test_adding_to_a_training_with_bad_input_names_the_field(
    client_for, world, overrides, field, message
):
    event = EventFactory(organization=world.organization)
    data = {"visibility": "attendees", **posted(overrides)}

    response = client_for("host").post(reverse("materials:event", kwargs={"pk": event.pk}), data)

    assert (response.status_code, response.context["form"].errors[field]) == (200, [message])
    assert Material.objects.count() == 0


@pytest.mark.parametrize(("overrides", "field", "message"), CASES)
def test_adding_to_a_library_with_bad_input_names_the_field(
    client_for, world, overrides, field, message
):
    response = client_for("coordinator").post(
        reverse("materials:library", kwargs={"area": "digital-security"}), posted(overrides)
    )

    assert (response.status_code, response.context["form"].errors[field]) == (200, [message])
    assert Material.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kit_section": "attic"}, "kit_section", "Select a valid choice. attic is not one of the available choices."),
        ({"body": ""}, "body", "This field is required."),
        ({"body": "x" * 20001}, "body", "Ensure this value has at most 20000 characters (it has 20001)."),
        ({"position": "-1"}, "position", "Ensure this value is greater than or equal to 0."),
        ({"position": "many"}, "position", "Enter a whole number."),
        ({"title": "Kit\x00"}, "title", "Null characters are not allowed."),
    ],
)  # fmt: skip
def test_adding_to_the_host_kit_with_bad_input_names_the_field(
    client_for, world, overrides, field, message
):
    data = {
        "kit_section": "room",
        "title": "Room",
        "body": "Chairs.",
        "language": "en",
        "position": "0",
        **overrides,
    }

    response = client_for("coordinator").post(reverse("materials:host_kit"), data)

    assert (response.status_code, response.context["form"].errors[field]) == (200, [message])
    assert Material.objects.count() == 0


def test_a_library_link_for_an_area_that_does_not_exist_is_a_404(client, db):
    assert client.get("/skills/no-such-area/library/").status_code == 404


def test_the_upload_forms_are_rate_limited(client_for, world, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "upload": {"user": "2/h"}}
    client = client_for("host")
    url = reverse("materials:library", kwargs={"area": "digital-security"})

    statuses = [client.post(url, material(url="javascript:x")).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
