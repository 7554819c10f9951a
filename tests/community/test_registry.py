import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from strategists.common.models import AuditEntry
from strategists.community import selectors, services
from strategists.community.models import RegistryListing
from strategists.curriculum import services as curriculum_services
from strategists.curriculum.models import Credential
from tests.community.conftest import certify, listed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [person.name for person in response.context["people"]]


def test_only_people_who_opted_in_are_listed(client, world):
    listed(world.member)
    certify(world.other)  # certified, never opted in
    RegistryListing.objects.create(
        user=world.host, listed=True, listed_at=timezone.now()
    )  # opted in, not certified
    RegistryListing.objects.create(user=world.expert, listed=False)
    certify(world.expert)

    response = client.get("/strategists/")

    assert names(response) == ["Mona Member"]
    assert "Otto Other" not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?area=web-and-cms",
        "?area=digital-security",
        "?region=east-north-central",
        "?language=en",
        "?area=bogus",
        "?region=east-north-central&language=en&area=web-and-cms",
        "?language=<script>",
    ],
)
def test_people_who_did_not_opt_in_never_appear_in_a_search(client, world, query):
    world.other.languages.set(["en"])
    world.member.languages.set(["en"])
    certify(world.other)
    listed(world.member)

    response = client.get(f"/strategists/{query}")

    assert "Otto Other" not in names(response)
    assert "Otto Other" not in response.content.decode()


def test_the_search_filters_by_area_region_and_language(client, world):
    world.member.languages.set(["en", "es"])
    world.other.languages.set(["en"])
    listed(world.member, areas=[("web-and-cms", 3)])
    listed(world.other, areas=[("digital-security", 2)])
    region = world.member.city.region_id

    assert names(client.get("/strategists/?area=web-and-cms")) == ["Mona Member"]
    assert names(client.get("/strategists/?area=digital-security")) == ["Otto Other"]
    assert names(client.get("/strategists/?language=es")) == ["Mona Member"]
    assert names(client.get(f"/strategists/?region={region}&language=en")) == [
        "Mona Member",
        "Otto Other",
    ]
    assert names(client.get("/strategists/?region=pacific")) == []


def test_a_profile_of_someone_not_listed_is_not_found(client, world):
    certify(world.other)
    RegistryListing.objects.create(
        user=world.member, listed=True, listed_at=timezone.now()
    )  # not certified

    assert client.get(f"/strategists/{world.other.pk}/").status_code == 404
    assert client.get(f"/strategists/{world.member.pk}/").status_code == 404
    assert client.get("/strategists/999999/").status_code == 404


def test_a_profile_shows_the_persons_credentials(client, world):
    listed(world.member, ask="texting tools")
    valid = list(
        Credential.objects.filter(person=world.member).order_by(
            "kind", "competency__area__position"
        )
    )

    response = client.get(f"/strategists/{world.member.pk}/")

    body = response.content.decode()
    assert [c.pk for c in response.context["person"].registry_credentials] == [c.pk for c in valid]
    assert all(f"/credentials/{c.pk}/" in body for c in valid)
    assert "texting tools" in body


def test_withdrawing_consent_removes_the_person_at_once(client, world):
    listed(world.member)
    assert names(client.get("/strategists/")) == ["Mona Member"]
    client.force_login(world.member)

    response = client.post("/strategists/me/", {"ask_me_about": "lists"})

    assert response.status_code == 302
    assert names(client.get("/strategists/")) == []
    assert client.get(f"/strategists/{world.member.pk}/").status_code == 404
    entry = AuditEntry.objects.get(action="registry.unlisted")
    assert (entry.actor, entry.data["after"]) == (
        world.member,
        {"listed": False, "ask_me_about": "lists"},
    )


def test_a_reversed_certification_removes_the_person_at_once(client, world):
    listed(world.member)
    certification = world.member.certification

    curriculum_services.certification_reverse(
        certification=certification, by=world.coordinator, reason="Plagiarism"
    )

    assert names(client.get("/strategists/")) == []
    assert client.get(f"/strategists/{world.member.pk}/").status_code == 404


def test_a_revoked_certificate_credential_removes_the_person_at_once(client, world):
    listed(world.member)
    Credential.objects.filter(person=world.member, kind="certificate").update(
        revoked_at=timezone.now()
    )

    assert names(client.get("/strategists/")) == []
    assert client.get(f"/strategists/{world.member.pk}/").status_code == 404


def test_a_certified_person_opts_in_from_the_settings_page(client, world):
    certify(world.member)
    client.force_login(world.member)

    response = client.post("/strategists/me/", {"listed": "on", "ask_me_about": " union websites "})

    assert response.status_code == 302
    listing = RegistryListing.objects.get(user=world.member)
    assert (listing.listed, listing.ask_me_about, listing.listed_at is not None) == (
        True,
        "union websites",
        True,
    )
    assert names(client.get("/strategists/")) == ["Mona Member"]
    assert (
        AuditEntry.objects.filter(action="registry.listed", object_id=str(listing.pk)).count() == 1
    )


def test_someone_not_certified_cannot_opt_in(client, world):
    client.force_login(world.member)

    response = client.post("/strategists/me/", {"listed": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "listed": ["Only certified strategists can be listed in the registry."]
    }
    assert RegistryListing.objects.count() == 0
    with pytest.raises(ValidationError):
        services.listing_update(user=world.member, listed=True)


@pytest.mark.parametrize(
    "data",
    [
        {"listed": "on", "ask_me_about": "x" * 301},
        {"listed": "on", "ask_me_about": "<script>alert(1)</script>" * 50},
        {"listed": "on", "ask_me_about": "a" * 1_000_000},
    ],
)
def test_bad_listing_input_is_refused(client, world, data):
    certify(world.member)
    client.force_login(world.member)

    response = client.post("/strategists/me/", data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["ask_me_about"]
    assert RegistryListing.objects.count() == 0


def test_ask_me_about_is_escaped(client, world):
    listed(world.member, ask="<script>alert(1)</script>")

    body = client.get("/strategists/").content.decode()

    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def _people(count):
    for n in range(count):
        person = UserFactory(name=f"Listed {n}")
        person.languages.set(["en", "fr"])
        listed(person)


@pytest.mark.parametrize("count", [1, 3])
def test_the_registry_list_takes_a_fixed_number_of_queries(client, count, db):
    _people(count)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/strategists/")

    assert len(response.context["people"]) == count
    # session-less visitor: the people, their languages, their credentials, the three search choices
    assert len(queries) == 6


@pytest.mark.parametrize("count", [1, 3])
def test_the_registry_search_takes_a_fixed_number_of_queries(client, count, db):
    _people(count)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/strategists/?area=web-and-cms&language=fr")

    assert len(response.context["people"]) == count
    # the two filters looked up (form validation), the three choice lists, people, languages, credentials
    assert len(queries) == 8


def test_is_currently_certified_follows_the_certification(world):
    assert selectors.is_currently_certified(world.member) is False
    certify(world.member)
    assert selectors.is_currently_certified(world.member) is True
