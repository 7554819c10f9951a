"""Every list costs the same number of queries at 1 and at 3 items."""

import pytest

from strategists.events.models import Event, Registration
from tests.api.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("role", ["member", "host", "coordinator"])
def test_events_list(api_for, api_world, django_assert_num_queries, count, role):
    Event.objects.all().delete()
    EventFactory.create_batch(
        count, organization=api_world.organization, skill_areas=["email-and-lists"]
    )
    api = api_for(role)

    # token, count, page, languages, skill areas
    with django_assert_num_queries(5):
        response = api.get("/api/v2/events")

    assert len(response.json()["_embedded"]["osdi:events"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_attendances_list(api_for, api_world, django_assert_num_queries, count):
    for person in UserFactory.create_batch(count):
        Registration.objects.create(event=api_world.published, person=person, status="waitlisted")
    Registration.objects.create(
        event=api_world.published, guest_name="Walk In", status="registered"
    )
    api = api_for("host")

    # token, event, hosts the event?, count, page
    with django_assert_num_queries(5):
        response = api.get(f"/api/v2/events/{api_world.published.pk}/attendances")

    assert len(response.json()["_embedded"]["osdi:attendances"]) == count + 1


@pytest.mark.parametrize("count", [1, 3])
def test_people_list(api_for, api_world, django_assert_num_queries, count):
    UserFactory.create_batch(count)
    api = api_for("coordinator")

    # token, count, page, languages
    with django_assert_num_queries(4):
        response = api.get("/api/v2/people")

    assert (
        len(response.json()["_embedded"]["osdi:people"]) == count + 5
    )  # and the five people of `world`
