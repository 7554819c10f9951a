"""The Action Network contract, driven by the real Parsons connector (parsons.ActionNetwork, pinned
in the dev extra) with its API URL pointed at the live test server: every events, attendances,
people, tags and event-campaigns method, each answer checked field by field.

Parsons' create_attendance puts its payload in the query string (`params=`), so the server never
sees the person: it gets a 400 naming `person` (the same body sent as JSON works, below)."""

import datetime as dt

import parsons
import pytest
from parsons.utilities.api_connector import APIConnector
from requests.exceptions import HTTPError

from strategists.events.models import Event, Registration
from strategists.goals.models import ProgramYear
from tests.api.factories import EventFactory, in_days

# Live server: transactional, with the migrations' reference data (cities...) put back first.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def connector(live_server, token):
    action_network = parsons.ActionNetwork(api_token=token)
    action_network.api_url = f"{live_server.url}/api/v2"
    action_network.api = APIConnector(action_network.api_url, headers=action_network.headers)
    return action_network


@pytest.fixture
def an(live_server, api_world):
    return connector(live_server, api_world.tokens["coordinator"])


@pytest.fixture
def an_host(live_server, api_world):
    return connector(live_server, api_world.tokens["host"])


def an_id(resource) -> str:
    return next(i.split(":")[1] for i in resource["identifiers"] if i.startswith("action_network:"))


def test_create_get_update_confirm_and_cancel_an_event(an, an_host, api_world, live_server):
    created = an_host.create_event(
        "Texting for turnout",
        start_date=dt.datetime(2031, 5, 3, 10, 0),
        location={
            "venue": "Union hall",
            "address_lines": ["1 Main St"],
            "locality": "Detroit",
            "region": "MI",
            "postal_code": "48201",
            "country": "US",
        },
    )

    event = Event.objects.get(title="Texting for turnout")
    assert created["event_id"] == str(event.pk) == an_id(created)
    assert (created["title"], created["status"], created["capacity"]) == (
        "Texting for turnout",
        "tentative",
        30,
    )
    # Without an offset, the time is Detroit's: UTC-4 in May.
    assert created["start_date"] == "2031-05-03T14:00:00Z"
    assert {key: created["location"][key] for key in ("venue", "locality", "region")} == {
        "venue": "Union hall",
        "locality": "Detroit",
        "region": "MI",
    }
    assert (created["location"]["address_lines"], created["location"]["country"]) == (
        ["1 Main St, 48201"],
        "US",
    )
    assert created["strategists:organization"]["name"] == api_world.organization.name
    fetched = an_host.get_event(event.pk)
    assert fetched == {key: value for key, value in created.items() if key != "event_id"}

    # update_event sends form fields under a JSON content type; they are read as such.
    renamed = an_host.update_event(event.pk, {"title": "Texting 101", "capacity": "40"})
    assert (renamed["title"], renamed["capacity"], renamed["status"]) == (
        "Texting 101",
        40,
        "tentative",
    )
    confirmed = an.update_event(event.pk, {"status": "confirmed"})
    assert confirmed["status"] == "confirmed"
    with pytest.raises(HTTPError, match="Only coordinators approve"):
        an_host.update_event(api_world.proposed.pk, {"status": "confirmed"})
    cancelled = an_host.update_event(
        event.pk, {"status": "cancelled", "strategists:reason": "The hall flooded."}
    )
    assert cancelled["status"] == "cancelled"
    event.refresh_from_db()
    assert (event.state, event.coordinator_message) == (
        Event.State.CANCELLED,
        "The hall flooded.",
    )
    with pytest.raises(HTTPError, match="colour"):
        an_host.update_event(event.pk, {"colour": "red"})


def test_get_events_pages_and_filters(an, api_world):
    EventFactory.create_batch(27, organization=api_world.organization)

    everything = an.get_events()
    one = an.get_events(filter="title eq 'Published training'")
    limited = an.get_events(limit=5)

    assert everything.num_rows == 30
    assert len({an_id(row) for row in everything}) == 30
    assert [row["title"] for row in one] == ["Published training"]
    assert limited.num_rows == 5
    with pytest.raises(HTTPError, match="Filtering on city is not supported"):
        an.get_events(filter="city eq 'Detroit'")


def test_upsert_get_update_people_and_filter_by_email(an, api_world, live_server):
    an.add_tag("Volunteer")

    created = an.upsert_person(
        email_address="pat@example.org",
        given_name="Pat",
        family_name="Public",
        tags=["volunteer"],
        languages_spoken=["en", "es"],
        postal_addresses=[
            {
                "address_lines": ["1 Main St"],
                "locality": "Detroit",
                "region": "MI",
                "postal_code": "48201",
                "country": "US",
            }
        ],
        mobile_number="313-555-0100",
    )

    person_id = an_id(created)
    assert (created["given_name"], created["family_name"]) == ("Pat", "Public")
    assert created["email_addresses"][0]["address"] == "pat@example.org"
    assert created["phone_numbers"] == [
        {"primary": True, "number": "3135550100", "number_type": "Mobile", "status": "unsubscribed"}
    ]
    address = created["postal_addresses"][0]
    assert (address["address_lines"], address["postal_code"], address["locality"]) == (
        ["1 Main St"],
        "48201",
        "Detroit",
    )
    assert sorted(created["languages_spoken"]) == ["en", "es"]

    found = an.get_people(filter="email_address eq 'PAT@example.org'")
    assert found.num_rows == 1
    assert an_id(found[0]) == person_id
    assert an.get_people().num_rows == 6  # the five people of `world`, and Pat

    again = an.upsert_person(email_address="pat@example.org", mobile_number="3135550199")
    assert (an_id(again), again["phone_numbers"][0]["number"]) == (person_id, "3135550199")

    updated = an.update_person(person_id, given_name="Patricia", languages_spoken=["fr"])
    assert (updated["given_name"], updated["family_name"], updated["languages_spoken"]) == (
        "Patricia",
        "Public",
        ["fr"],
    )
    fetched = an.get_person(person_id)
    assert fetched == updated
    assert fetched["modified_date"] >= fetched["created_date"]
    with pytest.raises(HTTPError, match="can't be changed through the API"):
        an.update_person(person_id, email_addresses=[{"address": "other@example.org"}])
    # Consent to texts is the person's own: add_person's default "subscribed" is refused.
    with pytest.raises(HTTPError, match="phone_numbers"):
        an.add_person(email_address="sam@example.org", mobile_number="3135550111")


def test_attendances_of_events_and_people(an, api_world, live_server):
    event = api_world.published
    person = api_world.member
    link = {"_links": {"osdi:person": {"href": f"{live_server.url}/api/v2/people/{person.pk}"}}}

    with pytest.raises(HTTPError, match="person"):
        an.create_attendance(event.pk, link)  # Parsons sends it as query parameters
    attendance = an.api.post_request(
        f"events/{event.pk}/attendances",
        json={**link, "referrer_data": {"source": "newsletter", "utm_medium": "email"}},
    )

    assert (attendance["status"], attendance["attended"]) == ("accepted", False)
    assert attendance["_links"]["osdi:person"]["href"].endswith(f"/api/v2/people/{person.pk}")
    assert attendance["referrer_data"] == {"source": "newsletter", "utm_medium": "email"}
    assert attendance["action_date"] == attendance["created_date"]
    listed = an.get_event_attendances(event.pk)
    assert [an_id(row) for row in listed] == [an_id(attendance)]
    one = an.get_event_attendance(event.pk, an_id(attendance))
    assert one == listed[0]
    checked_in = an.update_attendance(event.pk, an_id(attendance), {"attended": "true"})
    assert checked_in["attended"] is True
    mine = an.get_person_attendances(person.pk)
    assert [an_id(row) for row in mine] == [an_id(attendance)]
    assert an.get_person_attendance(person.pk, an_id(attendance))["attended"] is True
    filtered = an.get_event_attendances(event.pk, filter=f"email_address eq '{person.email}'")
    assert filtered.num_rows == 1
    assert Registration.objects.get(event=event, person=person).referrer_data == {
        "source": "newsletter",
        "utm_medium": "email",
    }


def test_tags_and_taggings(an, an_host, api_world, live_server):
    someone = api_world.other
    Registration.objects.create(event=api_world.published, person=someone, status="registered")

    tag = an.add_tag("Phone bank")
    tag_id = an_id(tag)

    assert (tag["name"], an.get_tag(tag_id)) == ("Phone bank", tag)
    assert [row["name"] for row in an.get_tags()] == ["Phone bank"]
    tagging = an_host.create_tagging(
        tag_id,
        {"_links": {"osdi:person": {"href": f"{live_server.url}/api/v2/people/{someone.pk}"}}},
    )
    assert tagging["_links"]["osdi:person"]["href"].endswith(f"/people/{someone.pk}")
    assert tagging["_links"]["osdi:tag"]["href"].endswith(f"/tags/{tag_id}")
    assert [an_id(row) for row in an.get_taggings(tag_id)] == [an_id(tagging)]
    assert an.get_tagging(tag_id, an_id(tagging)) == tagging
    with pytest.raises(HTTPError, match="You may tag only people registered"):
        an_host.create_tagging(
            tag_id,
            {"_links": {"osdi:person": {"href": f"{live_server.url}/api/v2/people/1"}}},
        )
    assert an.delete_tagging(tag_id, an_id(tagging)) == {
        "notice": "This tagging was successfully deleted."
    }
    assert an.get_taggings(tag_id).num_rows == 0


def test_event_campaigns_are_the_program_years(an, api_world):
    today = dt.date.today()
    ProgramYear.objects.all().delete()
    year = ProgramYear.objects.create(
        name="Year one",
        starts_on=today - dt.timedelta(days=100),
        ends_on=today + dt.timedelta(days=265),
    )
    EventFactory(organization=api_world.organization, starts_at=in_days(400), title="Next year")

    campaigns = an.get_event_campaigns()
    campaign = an.get_event_campaign(year.pk)
    events = an.get_event_campaign_events(year.pk)

    assert [row["title"] for row in campaigns] == ["Year one"]
    assert campaign == campaigns[0]
    assert campaign["strategists:starts_on"] == year.starts_on.isoformat()
    # A coordinator sees proposals too; next year's training is in next year's campaign.
    assert sorted(row["title"] for row in events) == [
        "Proposed training",
        "Published training",
        "Someone else's proposal",
    ]


def test_unknown_paths_are_json_404(an):
    with pytest.raises(HTTPError, match="Nothing at /api/v2/petitions"):
        an.get_petitions()


def test_a_plain_members_token_reads_events_but_not_people(live_server, api_world):
    member = connector(live_server, api_world.tokens["member"])

    assert member.get_events().num_rows == 1
    with pytest.raises(HTTPError, match="Only coordinators can list people"):
        member.get_people()
