"""Every write on trainings leaves one typed audit entry, in its own transaction."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from strategists.common.models import AuditEntry
from strategists.events import registration_services, services
from strategists.events.models import Registration
from tests.factories import EventFactory, UserFactory, city

pytestmark = pytest.mark.django_db


def entries(action: str) -> list[tuple]:
    return list(
        AuditEntry.objects.filter(action=action)
        .order_by("pk")
        .values_list("object_type", "object_id", "actor_id", "data")
    )


def test_proposing_approving_and_updating_a_training_are_logged(world):
    event = services.event_propose(
        proposer=world.host,
        organization=world.organization,
        title="Lists 101",
        city=city(),
        capacity=10,
        starts_at=timezone.now() + dt.timedelta(days=20),
        languages=["en"],
        skill_areas=["email-and-lists"],
    )
    with pytest.raises(ValidationError):
        services.event_cancel(event=EventFactory(state="cancelled"), by=world.host, reason="Again")
    services.event_approve(event=event, by=world.coordinator)
    services.event_update(event=event, by=world.host, capacity=12)

    target = ("events.event", str(event.pk))
    assert entries("event.proposed") == [
        (
            *target,
            world.host.pk,
            {"organization": world.organization.pk, "skill_areas": ["email-and-lists"]},
        )
    ]
    assert entries("event.approved") == [
        (
            *target,
            world.coordinator.pk,
            {"before": {"state": "proposed"}, "after": {"state": "approved"}},
        )
    ]
    assert entries("event.updated") == [
        (*target, world.host.pk, {"before": {"capacity": 10}, "after": {"capacity": 12}})
    ]
    assert entries("event.cancelled") == []  # the refused cancel rolled back with its entry


def test_sending_back_declining_and_cancelling_are_logged(world):
    sent_back = EventFactory(state="proposed", organization=world.organization)
    declined = EventFactory(state="proposed", organization=world.organization)
    cancelled = EventFactory(organization=world.organization)
    services.event_request_changes(event=sent_back, by=world.coordinator, message="Add a venue.")
    services.event_decline(event=declined, by=world.coordinator, message="Out of scope.")
    services.event_cancel(event=cancelled, by=world.host, reason="Snowstorm.")

    assert entries("event.changes_requested") == [
        (
            "events.event",
            str(sent_back.pk),
            world.coordinator.pk,
            {
                "message": "Add a venue.",
                "before": {"state": "proposed"},
                "after": {"state": "changes-requested"},
            },
        )
    ]
    assert entries("event.declined") == [
        (
            "events.event",
            str(declined.pk),
            world.coordinator.pk,
            {
                "message": "Out of scope.",
                "before": {"state": "proposed"},
                "after": {"state": "declined"},
            },
        )
    ]
    assert entries("event.cancelled") == [
        (
            "events.event",
            str(cancelled.pk),
            world.host.pk,
            {
                "reason": "Snowstorm.",
                "before": {"state": "approved"},
                "after": {"state": "cancelled"},
            },
        )
    ]


def test_completing_a_training_is_logged_with_the_areas(world):
    event = EventFactory(
        organization=world.organization, starts_at=timezone.now() - dt.timedelta(hours=7)
    )
    services.event_complete(event=event, by=world.host, taught_areas=["email-and-lists"])

    assert entries("event.completed") == [
        (
            "events.event",
            str(event.pk),
            world.host.pk,
            {
                "before": {"state": "approved", "taught_areas": []},
                "after": {"state": "completed", "taught_areas": ["email-and-lists"]},
            },
        )
    ]


def test_registrations_waitlist_offers_and_cancellations_are_logged(world):
    event = EventFactory(capacity=1)
    first = registration_services.registration_create(event=event, person=world.member).registration
    second = registration_services.registration_create(event=event, person=world.other).registration
    registration_services.registration_cancel(registration=first)
    registration_services.offer_accept(registration=Registration.objects.get(pk=second.pk))
    registration_services.registration_confirm(registration=Registration.objects.get(pk=second.pk))
    registration_services.registration_confirm(
        registration=Registration.objects.get(pk=second.pk)
    )  # nothing changes

    assert [(pk, data["status"]) for _, pk, _, data in entries("registration.created")] == [
        (str(first.pk), "registered"),
        (str(second.pk), "waitlisted"),
    ]
    assert [pk for _, pk, _, _ in entries("registration.cancelled")] == [str(first.pk)]
    assert [pk for _, pk, _, _ in entries("registration.offered")] == [str(second.pk)]
    assert [pk for _, pk, _, _ in entries("registration.offer_accepted")] == [str(second.pk)]
    assert [pk for _, pk, _, _ in entries("registration.confirmed")] == [str(second.pk)]


def test_a_lapsed_offer_is_logged(world):
    event = EventFactory(capacity=1)
    first = registration_services.registration_create(event=event, person=world.member).registration
    second = registration_services.registration_create(event=event, person=world.other).registration
    registration_services.registration_cancel(registration=first)
    registration_services.offers_expire(now=timezone.now() + dt.timedelta(days=2))

    assert entries("registration.offer_lapsed") == [
        (
            "events.registration",
            str(second.pk),
            None,
            {"before": {"status": "offered"}, "after": {"status": "cancelled"}},
        )
    ]


def test_registering_by_email_logs_the_new_person_and_the_registration(world):
    registration = registration_services.registration_create_by_email(
        event=EventFactory(), email="New@Example.net", name="Nia New"
    ).registration

    assert entries("person.created") == [
        ("accounts.user", str(registration.person.pk), None, {"claimed": False})
    ]
    assert [data["source"] for *_, data in entries("registration.created")] == ["api"]


def test_check_in_undo_and_walk_ins_are_logged(world):
    event = EventFactory(organization=world.organization)
    registration = registration_services.registration_create(
        event=event, person=world.member
    ).registration
    registration_services.check_in(registration=registration, by=world.host)
    registration_services.check_in(
        registration=registration, by=world.host
    )  # a double tap changes nothing
    registration_services.check_in_undo(registration=registration, by=world.host)
    walk_in = registration_services.walk_in_add(event=event, name="Wally Walkin", by=world.host)

    target = ("events.registration", str(registration.pk), world.host.pk, {"event": event.pk})
    assert (entries("registration.checked_in"), entries("registration.check_in_undone")) == (
        [target],
        [target],
    )
    assert entries("registration.walk_in") == [
        (
            "events.registration",
            str(walk_in.pk),
            world.host.pk,
            {
                "event": event.pk,
                "source": "walk-in",
                "before": {"status": None},
                "after": {"status": "registered", "checked_in": True},
            },
        )
    ]


def test_reminders_and_follow_ups_are_logged(world):
    event = EventFactory(starts_at=timezone.now() + dt.timedelta(days=3))
    registration = registration_services.registration_create(
        event=event, person=UserFactory()
    ).registration
    registration_services.reminders_send_due(now=event.starts_at - dt.timedelta(minutes=30))
    finished = EventFactory(starts_at=timezone.now() - dt.timedelta(days=2))
    registration_services.follow_ups_send_due()

    assert [pk for _, pk, _, _ in entries("registration.reminded")] == [str(registration.pk)]
    assert [pk for _, pk, _, _ in entries("event.followed_up")] == [str(finished.pk)]
