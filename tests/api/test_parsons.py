"""The requests Parsons' ActionNetwork connector (parsons/action_network/action_network.py)
makes, replayed with its base URL pointed here: APIConnector joins each relative path to the
base URL with a trailing slash, sends these headers, pages with `page` and `per_page` (at most
25; `filter` is dropped when None) until a page comes back empty, and reads the first key of
`_embedded`."""

import urllib.parse

import pytest

from strategists.events.models import Registration
from tests.api.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE = "http://testserver/api/v2/"


class Parsons:
    """ActionNetwork(api_token) with `api_url` pointed at this server, over Django's client."""

    def __init__(self, client, token):
        self.client = client
        self.headers = {"Content-Type": "application/json", "OSDI-API-Token": token}

    def get_request(self, url, params=None):
        response = self.client.get(
            urllib.parse.urljoin(BASE, url), params or {}, headers=self.headers
        )
        assert response.status_code < 400, response.content  # validate_response
        return response.json()

    def _get_page(self, object_name, page, per_page=25):
        return self.get_request(object_name, {"page": page, "per_page": min(per_page, 25)})

    def _get_entry_list(self, object_name, per_page=25):
        page, entries = 1, []
        while True:
            response = self._get_page(object_name, page, per_page)
            page += 1
            listed = response["_embedded"][list(response["_embedded"])[0]]  # noqa: RUF015 (as Parsons does)
            if not listed:
                return entries
            entries.extend(listed)

    def get_events(self, per_page=25):
        return self._get_entry_list("events", per_page)

    def get_event(self, event_id):
        return self.get_request(f"events/{event_id}")

    def get_people(self, per_page=25):
        return self._get_entry_list("people", per_page)

    def get_person(self, person_id):
        return self.get_request(url=f"people/{person_id}")

    def get_event_attendances(self, event_id, per_page=25):
        return self._get_entry_list(f"events/{event_id}/attendances", per_page)

    def get_event_attendance(self, event_id, attendance_id):
        return self.get_request(f"events/{event_id}/attendances/{attendance_id}")


def an_id(resource):
    return resource["identifiers"][0].split(":")[1]


@pytest.fixture
def parsons(client, api_world):
    return Parsons(client, api_world.tokens["coordinator"])


EVENT_FIELDS = {
    "identifiers",
    "created_date",
    "modified_date",
    "title",
    "description",
    "browser_url",
    "start_date",
    "end_date",
    "status",
    "visibility",
    "capacity",
    "total_accepted",
    "location",
    "_links",
}
LOCATION_FIELDS = {
    "venue",
    "address_lines",
    "locality",
    "region",
    "postal_code",
    "country",
    "location",
}
PERSON_FIELDS = {
    "identifiers",
    "created_date",
    "modified_date",
    "given_name",
    "family_name",
    "email_addresses",
    "postal_addresses",
    "languages_spoken",
    "_links",
}
ATTENDANCE_FIELDS = {"identifiers", "created_date", "modified_date", "status", "attended", "_links"}


def test_get_events_pages_through_everything(parsons, api_world):
    EventFactory.create_batch(30, organization=api_world.organization)

    events = parsons.get_events(per_page=100)

    assert len(events) == 33
    assert len({an_id(event) for event in events}) == 33
    for event in events:
        assert set(event) >= EVENT_FIELDS
        assert set(event["location"]) >= LOCATION_FIELDS
        assert set(event["location"]["location"]) >= {"latitude", "longitude"}
        assert event["status"] in {"confirmed", "tentative", "cancelled"}
        assert event["visibility"] in {"public", "private"}


def test_get_event(parsons, api_world):
    event = parsons.get_event(api_world.published.pk)

    assert an_id(event) == str(api_world.published.pk)
    assert (event["title"], event["status"], event["capacity"]) == (
        "Published training",
        "confirmed",
        3,
    )


def test_get_people_and_get_person(parsons, api_world):
    UserFactory.create_batch(26)

    people = parsons.get_people()
    person = parsons.get_person(an_id(people[0]))

    assert len(people) == 31
    assert all(set(each) >= PERSON_FIELDS for each in people)
    assert person == people[0]
    assert set(person["email_addresses"][0]) >= {"address", "primary"}


def test_get_event_attendances(parsons, api_world):
    event = api_world.published
    for person in UserFactory.create_batch(27):
        Registration.objects.create(event=event, person=person, status="registered")

    attendances = parsons.get_event_attendances(event.pk)
    one = parsons.get_event_attendance(event.pk, an_id(attendances[0]))

    assert len(attendances) == 27
    assert all(set(attendance) >= ATTENDANCE_FIELDS for attendance in attendances)
    assert {attendance["status"] for attendance in attendances} == {"accepted"}
    assert one == attendances[0]


def test_parsons_requests_with_filter_none_and_per_page_over_25(parsons, api_world):
    page = parsons._get_page("events", 1, per_page=100)

    assert (page["per_page"], page["page"], page["total_records"]) == (25, 1, 3)
