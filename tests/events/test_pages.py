import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from strategists.events import registration_services
from strategists.events.timing import local_to_utc
from tests.factories import EventFactory, UserFactory, city

pytestmark = pytest.mark.django_db


def titles(response):
    return [event.title for event in response.context["events"]]


def test_list_filters_by_region_language_format_and_skill_area(client):
    EventFactory(title="Detroit security", skill_areas=["digital-security"])
    EventFactory(
        title="Seattle email",
        city=city("Seattle", "WA"),
        timezone="America/Los_Angeles",
        skill_areas=["email-and-lists"],
    )
    EventFactory(
        title="Montréal en français",
        city=city("Montréal", "QC"),
        timezone="America/Toronto",
        languages=["fr"],
        skill_areas=["web-and-cms"],
    )
    EventFactory(title="Online", format="online", skill_areas=["web-and-cms"])
    EventFactory(title="Still proposed", state="proposed")
    url = reverse("events:list")

    assert sorted(titles(client.get(url))) == [
        "Detroit security",
        "Montréal en français",
        "Online",
        "Seattle email",
    ]
    assert titles(client.get(url, {"region": "pacific"})) == ["Seattle email"]
    assert titles(client.get(url, {"language": "fr"})) == ["Montréal en français"]
    assert titles(client.get(url, {"format": "online"})) == ["Online"]
    assert titles(client.get(url, {"skill_area": "digital-security"})) == ["Detroit security"]


def test_near_me_sorts_by_distance_from_a_zip_or_postal_code(client):
    EventFactory(title="Seattle", city=city("Seattle", "WA"))
    EventFactory(title="Detroit")
    EventFactory(title="Toronto", city=city("Toronto", "ON"))

    near_ann_arbor = client.get(reverse("events:list"), {"near": "48104"})
    near_vancouver = client.get(reverse("events:list"), {"near": "V6B 1A1"})

    assert titles(near_ann_arbor) == ["Detroit", "Toronto", "Seattle"]
    assert titles(near_vancouver) == ["Seattle", "Detroit", "Toronto"]
    assert near_ann_arbor.context["place"].label == "Ann Arbor, MI 48104"


def test_an_unknown_place_gets_a_clear_message(client):
    response = client.get(reverse("events:list"), {"near": "Narnia"})

    assert response.context["form"].errors["near"] == [
        "We couldn't place “Narnia”. Try a city, a US ZIP code or a Canadian postal code."
    ]


def test_list_rejects_a_malformed_month_without_error(client):
    response = client.get(reverse("events:list"), {"month": "2027-13"})
    assert response.status_code == 200
    assert response.context["form"].errors["month"] == ["Use a month like 2027-03."]


def test_event_page_shows_seats_left_and_local_time_but_no_attendee_names(client):
    event = EventFactory(
        capacity=10, starts_at=local_to_utc(dt.date(2027, 7, 1), dt.time(9, 30), "America/Detroit")
    )
    registration_services.registration_create(
        event=event, person=UserFactory(name="Secret Attendee")
    )

    page = client.get(reverse("events:detail", kwargs={"pk": event.pk})).content.decode()

    assert "9 of 10 seats left" in page
    assert "Thu, Jul 1 2027, 9:30 a.m. EDT" in page
    assert "Secret Attendee" not in page


def test_proposed_events_are_hidden_from_the_public(client):
    event = EventFactory(state="proposed")
    assert client.get(reverse("events:detail", kwargs={"pk": event.pk})).status_code == 302


def test_host_exports_attendees_as_csv(client_for, world):
    event = EventFactory(organization=world.organization)
    registration_services.registration_create(
        event=event, person=UserFactory(name="=HYPERLINK(evil)", email="a@example.net")
    )
    registration_services.walk_in_add(event=event, name="Walk In")

    response = client_for("host").get(reverse("events:attendees_csv", kwargs={"pk": event.pk}))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))

    assert [
        (r["name"], r["email"], r["status"], r["source"], bool(r["checked_in_at"])) for r in rows
    ] == [
        ("'=HYPERLINK(evil)", "a@example.net", "registered", "web", False),
        ("Walk In", "", "registered", "walk-in", True),
    ]


def test_check_in_by_htmx_returns_the_row_and_counts_once(client_for, world):
    event = EventFactory(organization=world.organization)
    registration = registration_services.registration_create(
        event=event, person=UserFactory(name="Tap Twice")
    ).registration
    client = client_for("host")
    url = reverse(
        "events:checkin_toggle", kwargs={"pk": event.pk, "registration_pk": registration.pk}
    )

    first = client.post(url, HTTP_HX_REQUEST="true")
    client.post(url, HTTP_HX_REQUEST="true")

    assert "Checked in" in first.content.decode()
    assert "<html" not in first.content.decode()
    assert event.registrations.filter(checked_in_at__isnull=False).count() == 1


def test_check_in_search_filters_by_name(client_for, world):
    event = EventFactory(organization=world.organization)
    for name in ("Ana Flores", "Bo Chen"):
        registration_services.registration_create(event=event, person=UserFactory(name=name))

    response = client_for("host").get(
        reverse("events:checkin", kwargs={"pk": event.pk}), {"q": "flor"}
    )

    assert [r.display_name for r in response.context["registrations"]] == ["Ana Flores"]


def test_one_click_cancel_from_the_email_link_frees_the_seat(client):
    event = EventFactory(capacity=1)
    first = registration_services.registration_create(
        event=event, person=UserFactory()
    ).registration
    second = registration_services.registration_create(
        event=event, person=UserFactory()
    ).registration

    client.post(
        reverse("events:registration_action", kwargs={"token": first.token, "action": "cancel"})
    )

    second.refresh_from_db()
    assert second.status == "offered"


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(client, django_assert_num_queries, count):
    events = [EventFactory() for _ in range(count)]
    with django_assert_num_queries(5):
        response = client.get(reverse("events:list"))

    assert titles(response) == [event.title for event in events]
    assert all(f">{event.title}</a>" in response.content.decode() for event in events)


@pytest.mark.parametrize("count", [1, 3])
def test_queue_query_count_does_not_grow(client_for, world, django_assert_num_queries, count):
    proposals = [EventFactory(state="proposed", proposed_by=world.host) for _ in range(count)]
    client = client_for("coordinator")
    with django_assert_num_queries(5):
        response = client.get(reverse("events:queue"))

    assert titles(response) == [event.title for event in proposals]
    assert all(event.title in response.content.decode() for event in proposals)


@pytest.mark.parametrize("count", [1, 3])
def test_attendee_and_checkin_query_counts_do_not_grow(
    client_for, world, django_assert_num_queries, count
):
    event = EventFactory(organization=world.organization)
    people = [UserFactory() for _ in range(count)]
    for person in people:
        registration_services.registration_create(event=event, person=person)
    client = client_for("host")
    # 7: the page's 5, the training's questions and the registrations' answers (one query).
    with django_assert_num_queries(7):
        attendees = client.get(reverse("events:attendees", kwargs={"pk": event.pk}))
    with django_assert_num_queries(15):
        checkin = client.get(reverse("events:checkin", kwargs={"pk": event.pk}))

    names = sorted(person.name for person in people)
    assert sorted(r.display_name for r in attendees.context["registrations"]) == names
    assert all(f"<td>{name}</td>" in attendees.content.decode() for name in names)
    assert sorted(r.display_name for r in checkin.context["registrations"]) == names
    assert all(f"<strong>{name}</strong>" in checkin.content.decode() for name in names)


@pytest.mark.parametrize("count", [1, 3])
def test_my_trainings_query_count_does_not_grow(
    client_for, world, django_assert_num_queries, count
):
    events = [EventFactory(organization=world.organization) for _ in range(count)]
    for event in events:
        registration_services.registration_create(event=event, person=world.host)
    client = client_for("host")
    with django_assert_num_queries(7):
        response = client.get(reverse("events:mine"))

    assert sorted(r.event.title for r in response.context["registrations"]) == sorted(
        e.title for e in events
    )
    assert all(event.title in response.content.decode() for event in events)


def test_past_events_are_not_upcoming(client):
    EventFactory(title="Past", starts_at=timezone.now() - dt.timedelta(days=3))
    assert titles(client.get(reverse("events:list"))) == []


def test_host_adds_a_guest_for_later_and_a_walk_in_now(client_for, world):
    event = EventFactory(organization=world.organization)
    client = client_for("host")
    url = reverse("events:walk_in", kwargs={"pk": event.pk})

    client.post(url, {"name": "Guest Later", "email": "guest@example.net"})
    client.post(url, {"name": "Walk In Now", "checked_in": "on"})

    assert sorted(
        (r.display_name, r.source, r.checked_in_at is not None) for r in event.registrations.all()
    ) == [("Guest Later", "host", False), ("Walk In Now", "walk-in", True)]
