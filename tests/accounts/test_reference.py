import pytest

from strategists.accounts.constants import OrganizationType, Role
from strategists.accounts.models import City, Region, SkillArea
from strategists.accounts.selectors import city_from_label, city_search

pytestmark = pytest.mark.django_db


def test_regions_are_nine_census_divisions_and_two_canadian():
    assert list(Region.objects.values_list("id", flat=True)) == [
        "new-england",
        "mid-atlantic",
        "east-north-central",
        "west-north-central",
        "south-atlantic",
        "east-south-central",
        "west-south-central",
        "mountain",
        "pacific",
        "canada-west",
        "canada-east",
    ]


def test_every_city_belongs_to_the_region_of_its_state_or_province():
    mismatched = City.objects.exclude(region=models_region_of_subdivision())
    assert mismatched.count() == 0
    assert City.objects.filter(subdivision__country="CA").count() > 300
    assert City.objects.filter(subdivision__country="US").count() > 3000


def models_region_of_subdivision():
    from django.db.models import F

    return F("subdivision__region")


def test_skill_area_ids_are_the_stable_ten():
    assert list(SkillArea.objects.values_list("id", flat=True)) == [
        "digital-strategy",
        "email-and-lists",
        "social-media",
        "communications-and-media",
        "web-and-cms",
        "data-and-crm",
        "analytics-and-testing",
        "online-to-offline",
        "digital-security",
        "tools-vendors-budgets",
    ]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Detroit, MI", ("Detroit", "MI", "east-north-central", "America/Detroit")),
        ("montreal", ("Montréal", "QC", "canada-east", "America/Toronto")),
        ("Vancouver, BC", ("Vancouver", "BC", "canada-west", "America/Vancouver")),
        ("Portland, ME", ("Portland", "ME", "new-england", "America/New_York")),
        ("'Ewa Beach, HI", ("‘Ewa Beach", "HI", "pacific", "Pacific/Honolulu")),
        ("‘EWA BEACH", ("‘Ewa Beach", "HI", "pacific", "Pacific/Honolulu")),
    ],
)
def test_city_labels_resolve_with_region_and_time_zone(label, expected):
    city = city_from_label(label)
    assert (city.name, city.subdivision_id, city.region_id, city.timezone) == expected


def test_city_search_folds_accents_case_and_apostrophes_like_the_ask_engine():
    assert sorted(c.name for c in city_search("MONTRÉ")) == ["Montréal", "Montréal-Nord"]
    assert [c.name for c in city_search("hawai’i k")] == ["Hawai‘i Kai"]


def test_constituencies_and_roles_cover_the_program():
    assert len(OrganizationType.choices) == 15
    assert len(Role.choices) == 13
