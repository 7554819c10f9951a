"""Every list costs the same number of queries at 1 and at 3 items."""

import datetime as dt

import pytest

from strategists.api.models import Tag, Tagging
from strategists.events.models import Event, Registration
from strategists.goals.models import ProgramYear
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

    # token, event, hosts the event?, count, page, the answers to the training's questions
    with django_assert_num_queries(6):
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


@pytest.mark.parametrize("count", [1, 3])
def test_tags_list(api_for, api_world, django_assert_num_queries, count):
    for number in range(count):
        Tag.objects.create(name=f"Tag {number}")
    api = api_for("coordinator")

    # token, may use tags (hosts?), count, page
    with django_assert_num_queries(4):
        response = api.get("/api/v2/tags")

    assert len(response.json()["_embedded"]["osdi:tags"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_taggings_list(api_for, api_world, django_assert_num_queries, count):
    tag = Tag.objects.create(name="Volunteer")
    for person in UserFactory.create_batch(count):
        Registration.objects.create(event=api_world.published, person=person, status="registered")
        Tagging.objects.create(tag=tag, person=person)
    api = api_for("host")

    # token, may use tags, tag, count, page
    with django_assert_num_queries(5):
        response = api.get(f"/api/v2/tags/{tag.pk}/taggings")

    assert len(response.json()["_embedded"]["osdi:taggings"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_person_attendances_list(api_for, api_world, django_assert_num_queries, count):
    for event in EventFactory.create_batch(count, organization=api_world.organization):
        Registration.objects.create(event=event, person=api_world.member, status="registered")
    api = api_for("member")

    # token, person, count, page, the answers to the trainings' questions
    with django_assert_num_queries(5):
        response = api.get(f"/api/v2/people/{api_world.member.pk}/attendances")

    assert len(response.json()["_embedded"]["osdi:attendances"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_event_campaigns_and_their_events(api_for, api_world, django_assert_num_queries, count):
    ProgramYear.objects.all().delete()
    Event.objects.all().delete()
    for number in range(count):
        ProgramYear.objects.create(
            name=f"Year {number}",
            starts_on=dt.date(2020 + 2 * number, 1, 1),
            ends_on=dt.date(2030 + number, 12, 31),
        )
    EventFactory.create_batch(count, organization=api_world.organization)
    year = ProgramYear.objects.order_by("starts_on").first()
    api = api_for("member")

    # token, count, page
    with django_assert_num_queries(3):
        campaigns = api.get("/api/v2/event_campaigns")
    # token, year, count, page, languages, skill areas
    with django_assert_num_queries(6):
        events = api.get(f"/api/v2/event_campaigns/{year.pk}/events")

    assert len(campaigns.json()["_embedded"]["action_network:event_campaigns"]) == count
    assert len(events.json()["_embedded"]["osdi:events"]) == count
