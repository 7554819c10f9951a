import pytest

from strategists.accounts.models import User
from strategists.api.models import Tag
from tests.factories import UserFactory, city

pytestmark = pytest.mark.django_db


def test_coordinators_list_people_with_osdi_fields(api_for, api_world):
    body = api_for("coordinator").get("/api/v2/people").json()

    people = body["_embedded"]["osdi:people"]
    host = next(
        person
        for person in people
        if person["identifiers"][0] == f"strategists:{api_world.host.pk}"
    )
    assert body["total_records"] == User.objects.count()
    assert (host["given_name"], host["family_name"]) == ("Hana", "Host")
    assert host["email_addresses"] == [
        {"primary": True, "address": "host@example.net", "strategists:verified": True}
    ]
    detroit = city()
    assert host["postal_addresses"] == [
        {
            "primary": True,
            "address_lines": [],
            "postal_code": None,
            "locality": "Detroit",
            "region": "MI",
            "country": "US",
            "location": {
                "latitude": detroit.latitude,
                "longitude": detroit.longitude,
                "accuracy": "Approximate",
            },
        }
    ]
    assert host["_links"]["self"] == {
        "href": f"http://testserver/api/v2/people/{api_world.host.pk}"
    }


def test_people_read_their_own_record(api_for, api_world):
    body = api_for("member").get(f"/api/v2/people/{api_world.member.pk}").json()

    assert body["email_addresses"][0]["address"] == "member@example.net"


def test_others_records_are_refused_whether_or_not_they_exist(api_for, api_world):
    assert api_for("host").get(f"/api/v2/people/{api_world.member.pk}").status_code == 403
    assert api_for("host").get("/api/v2/people/999999").status_code == 403
    assert api_for("coordinator").get("/api/v2/people/999999").status_code == 404


def test_person_signup_helper_creates_then_matches(api_for, api_world):
    api = api_for("coordinator")
    body = {
        "person": {
            "given_name": "Pat",
            "family_name": "Q. Public",
            "email_addresses": [
                {"address": "other@x.org"},
                {"address": "Pat@Example.org", "primary": True},
            ],
        },
        "add_tags": ["Volunteer"],
    }
    volunteer = Tag.objects.create(name="volunteer")

    created = api.post("/api/v2/people", body)
    matched = api.post(
        "/api/v2/people", {"person": {"email_addresses": [{"address": "pat@example.ORG"}]}}
    )

    assert (created.status_code, matched.status_code) == (201, 200)
    assert created.json()["identifiers"] == matched.json()["identifiers"]
    assert (created.json()["given_name"], created.json()["family_name"]) == ("Pat", "Q. Public")
    assert User.objects.get(email="pat@example.org").name == "Pat Q. Public"
    assert not User.objects.filter(email="other@x.org").exists()
    assert list(volunteer.taggings.values_list("person__email", flat=True)) == ["pat@example.org"]


def test_person_signup_helper_names_the_bad_field(api_for, api_world):
    response = api_for("coordinator").post(
        "/api/v2/people", {"person": {"email_addresses": [{"address": 7}]}}
    )

    assert (response.status_code, response.json()["field"]) == (
        400,
        "person.email_addresses.0.address",
    )


def test_people_without_a_city_have_no_postal_address(api_for, api_world):
    person = UserFactory(city=None, name="Cher")

    body = api_for("coordinator").get(f"/api/v2/people/{person.pk}").json()

    assert (body["given_name"], body["family_name"], body["postal_addresses"]) == ("Cher", "", [])
