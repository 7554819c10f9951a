"""The demo's host kit: the same sections in every language, each item with real text."""

import pytest

from strategists.materials.demo import kit_items


def outline(language):
    return [item["kit_section"] for item in kit_items(language)]


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_host_kit_has_the_same_items_in_every_language(language):
    assert outline(language) == outline("en")


def test_the_host_kit_covers_every_section_with_real_text():
    items = kit_items("en")

    assert sorted({item["kit_section"] for item in items}) == [
        "accessibility",
        "checklist",
        "outreach",
        "room",
        "timeline",
    ]
    assert min(len(item["body"]) for item in items) > 200
    assert [item["position"] for item in items] == list(range(len(items)))


@pytest.mark.django_db
def test_the_demo_builds_the_kit_the_libraries_and_training_materials_once(world):
    from strategists.accounts.models import SkillArea
    from strategists.materials import demo, selectors
    from strategists.materials.models import Material
    from tests.factories import EventFactory

    EventFactory(organization=world.organization, state="completed")

    demo.build(log=lambda message: None)
    demo.build(log=lambda message: None)

    assert Material.objects.exclude(kit_section="").count() == 3 * len(kit_items("en"))
    library = selectors.area_library(SkillArea.objects.get(pk="digital-security"))
    assert sorted(m.title for m in library if m.event is None) == [
        "Security Planner",
        "Surveillance Self-Defense (EFF)",
        "Two-factor check-up for officers",
    ]
    assert Material.objects.filter(event__isnull=False).count() == 3
