import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from strategists.events import registration_services, services
from strategists.events.models import Registration
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what services queue after commit (mail), as a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def statuses(event):
    return list(event.registrations.order_by("pk").values_list("status", flat=True))


def test_registrations_fill_the_event_then_the_waitlist(commit):
    event = EventFactory(capacity=2)
    people = UserFactory.create_batch(4)

    with commit():
        for person in people:
            registration_services.registration_create(event=event, person=person)

    assert statuses(event) == ["registered", "registered", "waitlisted", "waitlisted"]
    assert [
        registration_services.waitlist_position(r) for r in event.registrations.order_by("pk")
    ] == [
        None,
        None,
        1,
        2,
    ]
    assert [m.subject for m in mail.outbox] == [f"You are registered: {event.title}"] * 2 + [
        f"On the waitlist: {event.title}"
    ] * 2


def test_registering_twice_changes_nothing():
    event = EventFactory(capacity=5)
    person = UserFactory()

    first = registration_services.registration_create(event=event, person=person).registration
    second = registration_services.registration_create(event=event, person=person).registration

    assert (first.pk, event.registrations.count()) == (second.pk, 1)


def test_a_freed_seat_is_offered_to_the_next_person_who_accepts(commit):
    event = EventFactory(capacity=1)
    first, second, third = UserFactory.create_batch(3)
    registrations = [
        registration_services.registration_create(event=event, person=p).registration
        for p in (first, second, third)
    ]

    with commit():
        registration_services.registration_cancel(registration=registrations[0])
    offered = Registration.objects.get(pk=registrations[1].pk)
    registration_services.offer_accept(registration=offered)

    assert statuses(event) == ["cancelled", "registered", "waitlisted"]
    assert mail.outbox[-1].to == [second.email]
    assert mail.outbox[-1].subject == f"A seat is free for you: {event.title}"


def test_a_lapsed_offer_goes_to_the_next_person(commit):
    event = EventFactory(capacity=1)
    people = UserFactory.create_batch(3)
    registrations = [
        registration_services.registration_create(event=event, person=p).registration
        for p in people
    ]
    registration_services.registration_cancel(registration=registrations[0])

    with commit():
        lapsed = registration_services.offers_expire(now=timezone.now() + dt.timedelta(hours=25))

    assert lapsed == 1
    assert statuses(event) == ["cancelled", "cancelled", "offered"]
    with pytest.raises(ValidationError):
        registration_services.offer_accept(
            registration=Registration.objects.get(pk=registrations[1].pk)
        )
    assert [m.to for m in mail.outbox[-2:]] == [[people[1].email], [people[2].email]]


def test_registration_is_closed_for_unapproved_or_past_events():
    person = UserFactory()
    proposed = EventFactory(state="proposed")
    past = EventFactory(starts_at=timezone.now() - dt.timedelta(days=2))

    for event in (proposed, past):
        with pytest.raises(registration_services.RegistrationClosed):
            registration_services.registration_create(event=event, person=person)


def test_check_in_is_idempotent():
    event = EventFactory()
    registration = registration_services.registration_create(
        event=event, person=UserFactory()
    ).registration

    first = registration_services.check_in(registration=registration).checked_in_at
    second = registration_services.check_in(registration=registration).checked_in_at

    assert first is not None and first == second
    assert event.registrations.filter(checked_in_at__isnull=False).count() == 1


def test_walk_in_matches_a_person_by_email_or_adds_a_guest():
    event = EventFactory(capacity=3)
    known = UserFactory(email="known@example.net")

    matched = registration_services.walk_in_add(
        event=event, name="Known", email="KNOWN@example.net"
    )
    guest = registration_services.walk_in_add(event=event, name="Guest Without Email")

    assert (matched.person, matched.status, matched.checked_in_at is not None) == (
        known,
        "registered",
        True,
    )
    assert (guest.person, guest.guest_name, guest.display_name) == (
        None,
        "Guest Without Email",
        "Guest Without Email",
    )


def test_walk_in_refused_when_full():
    event = EventFactory(capacity=1)
    registration_services.registration_create(event=event, person=UserFactory())

    with pytest.raises(ValidationError) as error:
        registration_services.walk_in_add(event=event, name="One too many")

    assert error.value.messages == [
        "This training is full. Raise its capacity first if the room has space."
    ]


def test_raising_capacity_offers_the_new_seats():
    event = EventFactory(capacity=1)
    people = UserFactory.create_batch(3)
    for person in people:
        registration_services.registration_create(event=event, person=person)

    services.event_update(event=event, by=people[0], capacity=2)

    assert statuses(event) == ["registered", "offered", "waitlisted"]


def test_database_refuses_a_second_registration_for_the_same_person():
    event = EventFactory()
    person = UserFactory()
    Registration.objects.create(event=event, person=person, status="registered")

    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, person=person, status="registered")


def test_registering_answers_what_happened():
    event = EventFactory(capacity=1)
    seated, waiting = UserFactory.create_batch(2)

    results = [
        registration_services.registration_create(event=event, person=seated),
        registration_services.registration_create(event=event, person=waiting),
        registration_services.registration_create(event=event, person=waiting),
    ]

    assert [(r.registration.person, r.created, r.status, r.waitlist_position) for r in results] == [
        (seated, True, "registered", None),
        (waiting, True, "waitlisted", 1),
        (waiting, False, "waitlisted", 1),
    ]
    assert not hasattr(results[1].registration, "waitlist_position")


def test_registering_again_after_cancelling_counts_as_new():
    event = EventFactory(capacity=2)
    person = UserFactory()
    first = registration_services.registration_create(event=event, person=person).registration
    registration_services.registration_cancel(registration=first)

    again = registration_services.registration_create(event=event, person=person)

    assert (again.registration.pk, again.created, again.status) == (first.pk, True, "registered")


def test_registering_by_email_answers_whether_the_person_is_new():
    event = EventFactory(capacity=5)
    known = UserFactory(email="known@example.net")

    new = registration_services.registration_create_by_email(
        event=event, email="Fresh@Example.net", name="Fresh Face"
    )
    matched = registration_services.registration_create_by_email(
        event=event, email="KNOWN@example.net"
    )

    assert (
        new.registration.person.email,
        new.created,
        matched.registration.person,
        matched.created,
    ) == ("fresh@example.net", True, known, True)
