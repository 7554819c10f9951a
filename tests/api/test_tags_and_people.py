"""Tags, taggings, a person's changes through the API, and JSON for every error under /api/."""

import pytest

from strategists.api.models import Tag, Tagging
from strategists.common.models import AuditEntry
from strategists.events.models import Registration

pytestmark = pytest.mark.django_db


def person_link(person):
    return {"_links": {"osdi:person": {"href": f"http://testserver/api/v2/people/{person.pk}"}}}


def test_a_host_tags_only_people_registered_to_their_trainings(api_for, api_world):
    tag = Tag.objects.create(name="Volunteer")
    registered, stranger = api_world.other, api_world.expert
    Registration.objects.create(event=api_world.published, person=registered, status="registered")
    api = api_for("host")

    allowed = api.post(f"/api/v2/tags/{tag.pk}/taggings", person_link(registered))
    again = api.post(f"/api/v2/tags/{tag.pk}/taggings", person_link(registered))
    refused = api.post(f"/api/v2/tags/{tag.pk}/taggings", person_link(stranger))
    listed = api.get(f"/api/v2/tags/{tag.pk}/taggings").json()

    assert (allowed.status_code, again.status_code, refused.status_code) == (201, 200, 403)
    assert refused.json()["field"] == "_links.osdi:person.href"
    assert list(tag.taggings.values_list("person", flat=True)) == [registered.pk]
    assert listed["total_records"] == 1
    assert AuditEntry.objects.filter(action="tagging.created").count() == 1


def test_another_host_does_not_see_the_taggings_of_people_not_theirs(api_for, api_world):
    tag = Tag.objects.create(name="Volunteer")
    Registration.objects.create(
        event=api_world.published, person=api_world.other, status="registered"
    )
    Tagging.objects.create(tag=tag, person=api_world.other)

    response = api_for("other_host").get(f"/api/v2/tags/{tag.pk}/taggings")

    assert (response.status_code, response.json()["total_records"]) == (200, 0)


def test_tag_names_are_one_tag_in_any_case(api_for, api_world):
    api = api_for("coordinator")

    first = api.post("/api/v2/tags", {"name": "Phone bank"})
    second = api.post("/api/v2/tags", {"name": "phone  BANK"})

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["identifiers"] == second.json()["identifiers"]


def test_deleting_a_tagging_is_audited(api_for, api_world):
    tag = Tag.objects.create(name="Volunteer")
    tagging = Tagging.objects.create(tag=tag, person=api_world.member)

    response = api_for("coordinator").client.delete(
        f"/api/v2/tags/{tag.pk}/taggings/{tagging.pk}",
        headers={"OSDI-API-Token": api_world.tokens["coordinator"]},
    )

    assert response.status_code == 200
    assert not Tagging.objects.exists()
    assert AuditEntry.objects.filter(action="tagging.deleted").count() == 1


def test_a_person_changes_their_phone_and_address_but_the_api_never_gives_text_consent(
    api_for, api_world
):
    api = api_for("member")
    url = f"/api/v2/people/{api_world.member.pk}"

    changed = api.put(
        url,
        {
            "phone_numbers": [{"number": "(313) 555-0100", "status": "unsubscribed"}],
            "postal_addresses": [
                {
                    "address_lines": ["1 Main St"],
                    "postal_code": "48201",
                    "locality": "Detroit",
                    "region": "MI",
                }
            ],
        },
    )
    consent = api.put(url, {"phone_numbers": [{"number": "3135550100", "status": "subscribed"}]})

    api_world.member.refresh_from_db()
    assert changed.status_code == 200
    assert changed.json()["phone_numbers"][0]["status"] == "unsubscribed"
    assert (api_world.member.phone_number, api_world.member.street_address) == (
        "3135550100",
        "1 Main St",
    )
    assert (consent.status_code, consent.json()["field"]) == (400, "phone_numbers.0.status")
    assert api_world.member.sms_consent_at is None
    assert AuditEntry.objects.filter(action="person.updated", actor=api_world.member).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"custom_fields": {"shirt": "L"}}, "custom_fields"),
        ({"identifiers": ["x:1"]}, "identifiers"),
        ({"nickname": "Mo"}, "nickname"),
        ({"postal_addresses": [{"planet": "Mars"}]}, "postal_addresses.0.planet"),
        ({"languages_spoken": ["xx"]}, "languages_spoken"),
    ],
)
def test_what_a_person_update_cannot_keep_is_a_400_naming_it(api_for, api_world, body, field):
    response = api_for("coordinator").put(f"/api/v2/people/{api_world.member.pk}", body)

    assert (response.status_code, response.json()["field"]) == (400, field)


def test_referrer_data_takes_only_action_networks_keys(api_for, api_world):
    response = api_for("host").post(
        f"/api/v2/events/{api_world.published.pk}/attendances",
        {
            "person": {"email_addresses": [{"address": "sam@example.org"}]},
            "referrer_data": {"source": "flyer", "campaign": "x"},
        },
    )

    assert (response.status_code, response.json()["field"]) == (400, "referrer_data")


@pytest.mark.parametrize("method", ["get", "post", "put"])
def test_unknown_paths_under_the_api_are_json_404(api_for, api_world, method):
    response = getattr(api_for("member"), method)("/api/v2/petitions/12")

    assert (response.status_code, response.json()) == (
        404,
        {
            "error": "Nothing at /api/v2/petitions/12: the API's resources are listed at /api/v2/.",
            "field": None,
        },
    )


def test_a_method_not_allowed_is_json_405(api_for, api_world):
    response = api_for("member").put("/api/v2/event_campaigns", {})

    assert (response.status_code, response.json()["error"]) == (405, 'Method "PUT" not allowed.')


def test_an_unexpected_failure_is_json_500(api_for, api_world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("strategists.api.tags.tag_data", broken)
    Tag.objects.create(name="Volunteer")
    api = api_for("coordinator")
    api.client.raise_request_exception = False

    response = api.get("/api/v2/tags")

    assert (response.status_code, response.json()["field"]) == (500, None)
    assert "Something went wrong" in response.json()["error"]
