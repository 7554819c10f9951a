import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from strategists.events.models import Event
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db
NEXT_YEAR = timezone.localdate().year + 1


def proposal(**overrides):
    data = {
        "organization": None,
        "title": "Digital security for locals",
        "description": "Bring a laptop.",
        "date": f"{NEXT_YEAR}-03-13",
        "start_time": "10:00",
        "duration_minutes": "360",
        "city": "Detroit, MI",
        "venue": "UAW Local 600 hall",
        "format": "in-person",
        "languages": ["en", "es"],
        "capacity": "25",
        "skill_areas": ["digital-security"],
        "wifi": "on",
    }
    data.update(overrides)
    return data


def test_host_proposes_a_dated_training_coordinators_are_told(
    client_for, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("host").post(
            reverse("events:propose"), proposal(organization=world.organization.pk)
        )

    event = Event.objects.get()
    assert response.status_code == 302
    assert (
        event.state,
        event.timezone,
        event.starts_at.astimezone(event.zone).strftime("%Y-%m-%d %H:%M %Z"),
        event.capacity,
        event.wifi,
    ) == ("proposed", "America/Detroit", f"{NEXT_YEAR}-03-13 10:00 EST", 25, True)
    assert [m.to for m in mail.outbox] == [[world.coordinator.email]]


def test_host_may_propose_a_window_for_the_planner(client_for, world):
    client_for("host").post(
        reverse("events:propose"),
        proposal(
            organization=world.organization.pk,
            date="",
            start_time="",
            window_start=f"{NEXT_YEAR}-04-01",
            window_end=f"{NEXT_YEAR}-04-30",
        ),
    )

    event = Event.objects.get()
    assert (event.starts_at, event.window_start, event.window_end) == (
        None,
        dt.date(NEXT_YEAR, 4, 1),
        dt.date(NEXT_YEAR, 4, 30),
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date": "", "start_time": ""}, "date", "Set a date and time, or a window of dates."),
        ({"start_time": ""}, "start_time", "Give both the date and the start time."),
        ({"date": "2020-01-01"}, "date", "This date is in the past."),
        (
            {"date": f"{NEXT_YEAR}-03-14", "start_time": "02:30"},
            "start_time",
            "This time doesn't exist on that day: the clocks change. Pick another time.",
        ),
        (
            {
                "date": "",
                "start_time": "",
                "window_start": f"{NEXT_YEAR}-05-01",
                "window_end": f"{NEXT_YEAR}-04-01",
            },
            "window_end",
            "The latest date is before the earliest date.",
        ),
        ({"capacity": "0"}, "capacity", "Ensure this value is greater than or equal to 1."),
        (
            {"city": "Gotham"},
            "city",
            "We don't know the city “Gotham”. Type a US or Canadian city, like “Detroit, MI”.",
        ),
        ({"format": "online"}, "online_url", "An online or hybrid training needs its link."),
        (
            {"title": "x" * 201},
            "title",
            "Ensure this value has at most 200 characters (it has 201).",
        ),
    ],
)
def test_proposal_refuses_bad_input_with_a_field_message(
    client_for, world, overrides, field, message
):
    response = client_for("host").post(
        reverse("events:propose"), proposal(organization=world.organization.pk, **overrides)
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Event.objects.count() == 0


def test_a_host_cannot_propose_for_another_organization(client_for, world):
    other = EventFactory().organization
    response = client_for("host").post(reverse("events:propose"), proposal(organization=other.pk))

    assert response.context["form"].errors["organization"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


@pytest.mark.parametrize(
    ("decision", "message", "state", "subject"),
    [
        ("approve", "", "approved", "Approved: Training"),
        ("changes", "Please add an address.", "changes-requested", "Changes requested: Training"),
        ("decline", "We already have one there that week.", "declined", "Not approved: Training"),
    ],
)
def test_coordinator_works_the_queue_and_the_host_is_told(
    client_for, world, decision, message, state, subject, django_capture_on_commit_callbacks
):
    event = EventFactory(
        title="Training", state="proposed", organization=world.organization, proposed_by=world.host
    )

    with django_capture_on_commit_callbacks(execute=True):
        client_for("coordinator").post(
            reverse("events:review", kwargs={"pk": event.pk}),
            {"decision": decision, "message": message},
        )

    event.refresh_from_db()
    assert (event.state, event.coordinator_message) == (state, message)
    assert [(m.to, m.subject) for m in mail.outbox] == [([world.host.email], subject)]


def test_asking_for_changes_needs_a_message(client_for, world):
    event = EventFactory(state="proposed", organization=world.organization)

    client_for("coordinator").post(
        reverse("events:review", kwargs={"pk": event.pk}), {"decision": "changes"}
    )

    event.refresh_from_db()
    assert event.state == "proposed"


def test_a_windowed_proposal_cannot_be_approved_before_it_has_a_date(client_for, world):
    event = EventFactory(
        state="proposed",
        starts_at=None,
        ends_at=None,
        window_start=dt.date(NEXT_YEAR, 4, 1),
        window_end=dt.date(NEXT_YEAR, 4, 30),
        organization=world.organization,
    )

    client_for("coordinator").post(
        reverse("events:review", kwargs={"pk": event.pk}), {"decision": "approve"}
    )

    event.refresh_from_db()
    assert event.state == "proposed"


def test_changing_the_date_of_a_published_event_tells_registrants(
    world, django_capture_on_commit_callbacks
):
    from strategists.events import registration_services, services

    event = EventFactory(organization=world.organization)
    person = UserFactory()
    registration_services.registration_create(event=event, person=person)

    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(
            event=event, by=world.host, starts_at=event.starts_at + dt.timedelta(days=1)
        )

    assert [(m.to, m.subject) for m in mail.outbox] == [([person.email], f"Changed: {event.title}")]


def test_cancelling_tells_everyone_registered(
    client_for, world, django_capture_on_commit_callbacks
):
    from strategists.events import registration_services

    event = EventFactory(organization=world.organization)
    person = UserFactory()
    registration_services.registration_create(event=event, person=person)

    with django_capture_on_commit_callbacks(execute=True):
        client_for("host").post(
            reverse("events:cancel", kwargs={"pk": event.pk}), {"reason": "Snowstorm."}
        )

    event.refresh_from_db()
    assert event.state == "cancelled"
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([person.email], f"Cancelled: {event.title}")
    ]
    assert "Snowstorm." in mail.outbox[0].body


def test_host_completes_the_training_marking_areas_taught(client_for, world):
    event = EventFactory(
        organization=world.organization, starts_at=timezone.now() - dt.timedelta(hours=7)
    )

    client_for("host").post(
        reverse("events:complete", kwargs={"pk": event.pk}),
        {"taught_areas": ["digital-security", "email-and-lists"]},
    )

    event.refresh_from_db()
    assert (
        event.state,
        sorted(event.taught_areas.values_list("id", flat=True)),
        event.completed_by,
    ) == ("completed", ["digital-security", "email-and-lists"], world.host)


def test_a_future_training_cannot_be_completed(client_for, world):
    event = EventFactory(organization=world.organization)

    client_for("host").post(
        reverse("events:complete", kwargs={"pk": event.pk}), {"taught_areas": ["web-and-cms"]}
    )

    event.refresh_from_db()
    assert event.state == "approved"
