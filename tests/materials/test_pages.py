"""The training's materials, each area's library and the host kit: what each reader sees, in a
number of queries that doesn't grow with the items."""

import pytest
from django.urls import reverse

from strategists.accounts.models import SkillArea
from strategists.materials.models import Material
from tests.factories import EventFactory
from tests.materials.conftest import add, register

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [m.title for m in response.context["materials"]]


def test_the_library_gathers_shared_materials_of_the_area(client, world):
    area = SkillArea.objects.get(pk="digital-security")
    event = EventFactory(organization=world.organization)
    proposed = EventFactory(organization=world.organization, state="proposed")
    add(world.expert, area=area, visibility="public", title="Threat modeling guide")
    add(world.host, event=event, area=area, visibility="public", title="Slides from Detroit")
    add(world.host, event=event, area=area, visibility="attendees", title="Attendee notes")
    add(world.host, event=proposed, area=area, visibility="public", title="Not published yet")
    add(world.host, area=SkillArea.objects.get(pk="email-and-lists"), visibility="public")

    response = client.get(reverse("materials:library", kwargs={"area": area.pk}))

    assert titles(response) == ["Slides from Detroit", "Threat modeling guide"]
    assert f"From “{event.title}”" in response.content.decode()


def test_the_framework_links_each_areas_library(client, db):
    page = client.get(reverse("curriculum:framework")).content.decode()

    assert reverse("materials:library", kwargs={"area": "digital-security"}) in page


def test_a_training_page_shows_registrants_all_its_materials_and_others_the_shared(client, world):
    event = EventFactory(organization=world.organization)
    add(world.host, event=event, visibility="public", title="Reading list")
    add(world.host, event=event, visibility="attendees", title="Wifi password and slides")
    register(event, world.member)
    url = reverse("materials:event", kwargs={"pk": event.pk})
    detail = reverse("events:detail", kwargs={"pk": event.pk})

    client.force_login(world.member)
    registrant, registrant_detail = client.get(url), client.get(detail).content.decode()
    client.force_login(world.other)
    other, other_detail = client.get(url), client.get(detail).content.decode()

    assert titles(registrant) == ["Reading list", "Wifi password and slides"]
    assert titles(other) == ["Reading list"]
    assert "Wifi password and slides" in registrant_detail
    assert "Wifi password and slides" not in other_detail
    assert (registrant.context["form"], other.context["form"]) == (None, None)


def kit_item(section, title, language="en", position=0):
    return add(
        None,
        kit_section=section,
        title=title,
        body=f"{title} text",
        language=language,
        position=position,
        url="",
    )


def test_the_host_kit_is_in_the_readers_language_or_else_english(client, db):
    kit_item("timeline", "Six weeks out")
    kit_item("timeline", "Seis semanas antes", language="es")
    kit_item("room", "The room")

    english = client.get(reverse("materials:host_kit"))
    spanish = client.get(reverse("materials:host_kit"), headers={"accept-language": "es"})

    def sections(response):
        return [(s, [m.title for m in items]) for s, _, items in response.context["sections"]]

    assert sections(english) == [("timeline", ["Six weeks out"]), ("room", ["The room"])]
    assert sections(spanish) == [("timeline", ["Seis semanas antes"]), ("room", ["The room"])]


def test_a_coordinator_adds_to_the_host_kit(client_for, world):
    response = client_for("coordinator").post(
        reverse("materials:host_kit"),
        {
            "kit_section": "outreach",
            "title": "Text message invite",
            "body": "Hi {first name}!",
            "language": "en",
            "position": "3",
        },
    )

    item = Material.objects.get()
    assert response.status_code == 302
    assert (item.kit_section, item.kind, item.visibility, item.added_by) == (
        "outreach",
        "guide",
        "public",
        world.coordinator,
    )


@pytest.mark.parametrize("count", [1, 3])
def test_event_materials_query_count_does_not_grow(
    client_for, world, django_assert_num_queries, count
):
    event = EventFactory(organization=world.organization)
    for index in range(count):
        add(world.host, event=event, title=f"Item {index}")
    client = client_for("host")

    with django_assert_num_queries(8):
        response = client.get(reverse("materials:event", kwargs={"pk": event.pk}))

    assert len(titles(response)) == count
    assert response.content.decode().count("Remove<span") == count


@pytest.mark.parametrize("count", [1, 3])
def test_training_page_materials_query_count_does_not_grow(
    client_for, world, django_assert_num_queries, count
):
    event = EventFactory(organization=world.organization)
    for index in range(count):
        add(world.host, event=event, title=f"Item {index}", visibility="public")
    client = client_for("member")

    with django_assert_num_queries(17):
        response = client.get(reverse("events:detail", kwargs={"pk": event.pk}))

    assert all(f"Item {i}" in response.content.decode() for i in range(count))


@pytest.mark.parametrize("count", [1, 3])
def test_library_query_count_does_not_grow(client_for, world, django_assert_num_queries, count):
    area = SkillArea.objects.get(pk="digital-security")
    for index in range(count):
        event = EventFactory(organization=world.organization)
        add(world.host, event=event, area=area, visibility="public", title=f"Item {index}")
    client = client_for("host")

    with django_assert_num_queries(6):
        response = client.get(reverse("materials:library", kwargs={"area": area.pk}))

    assert len(titles(response)) == count
    assert response.content.decode().count("Remove<span") == count


@pytest.mark.parametrize("count", [1, 3])
def test_host_kit_query_count_does_not_grow(client_for, world, django_assert_num_queries, count):
    for index in range(count):
        kit_item("checklist", f"Item {index}", position=index)
    client = client_for("coordinator")

    with django_assert_num_queries(3):
        response = client.get(reverse("materials:host_kit"))

    assert [m.title for m in response.context["sections"][0][2]] == [
        f"Item {i}" for i in range(count)
    ]


def test_an_expert_shares_a_link_in_their_areas_library(client_for, world):
    response = client_for("expert").post(
        reverse("materials:library", kwargs={"area": "digital-security"}),
        {
            "title": "Surveillance Self-Defense",
            "kind": "link",
            "language": "en",
            "url": "ssd.eff.org",
        },
    )

    item = Material.objects.get()
    assert response.status_code == 302
    assert (item.area_id, item.visibility, item.url, item.event) == (
        "digital-security",
        "public",
        "https://ssd.eff.org",
        None,
    )
