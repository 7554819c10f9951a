"""Every write on a training's registrations: sign-up, the waitlist and its offers, check-in, walk-ins, reminders and follow-ups (split from services.py, which keeps the training itself)."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.accounts.services import person_create_unclaimed
from strategists.common.audit import audit_log
from strategists.events import signals
from strategists.events.models import Event, Registration
from strategists.events.service_common import _check_open, _mail_person
from strategists.events.signals import training_completed

OFFER_HOURS = 24
SEAT_HOLDING = (Registration.Status.REGISTERED, Registration.Status.OFFERED)


class RegistrationClosed(ValidationError):
    pass


@dataclass(frozen=True)
class RegistrationResult:
    """What a registration service did, as it knew it under the event's lock: callers answer
    with it instead of re-deriving it (timestamps, a second count)."""

    registration: Registration
    # True when this call registered the person (a new registration, or a cancelled one taken
    # up again); False when they already held a registration or a place on the waitlist.
    created: bool
    status: str
    # The place in line when waitlisted, counted under the lock; None otherwise.
    waitlist_position: int | None


@dataclass(frozen=True)
class PersonMatch:
    """The person with an address, and whether this call created them."""

    person: User
    created: bool


def _attendance_changed(event: Event, by: User | None) -> None:
    """Someone checked in after the training was completed (a correction, or a coordinator's
    change to a closed training): they get the same credit as everyone who was there."""
    if event.state == Event.State.COMPLETED:
        training_completed.send(sender=Event, event=event, by=by)


def _active_registrations(event: Event):
    return event.registrations.filter(person__isnull=False, status__in=SEAT_HOLDING).select_related(
        "person"
    )


def seats_taken(event: Event) -> int:
    return event.registrations.filter(status__in=SEAT_HOLDING).count()


def _lock(event: Event) -> Event:
    # Lock the event row so that counting seats and taking one happen as one step: concurrent
    # sign-ups queue here (PostgreSQL row lock; SQLite's immediate transaction locks the file).
    # The city comes along so the confirmation mail rendered under the lock needs no extra query.
    return (
        Event.objects.select_related("city__subdivision")
        .select_for_update(of=("self",))
        .get(pk=event.pk)
    )


@transaction.atomic
def registration_create(
    *, event: Event, person: User, source: str = Registration.Source.WEB
) -> RegistrationResult:
    """Register, or join the waitlist when the event is full. Registering twice changes nothing."""
    return _register(event, person, source)


@transaction.atomic
def registration_create_by_email(
    *, event: Event, email: str, name: str = "", source: str = Registration.Source.API
) -> RegistrationResult:
    """Match or create the person by email and register them, in one transaction (one commit:
    the new person and their registration land together). `result.registration.person` is the person."""
    match = _person_match_or_create(email=email, name=name)
    # A person created in this very transaction can't be registered anywhere yet.
    return _register(event, match.person, source, new_person=match.created)


def _register(
    event: Event, person: User, source: str, *, new_person: bool = False
) -> RegistrationResult:
    event = _lock(event)
    if event.state != Event.State.APPROVED:
        raise RegistrationClosed(_("Registration is closed for this training."))
    if event.starts_at and event.ends_at and event.ends_at < timezone.now():
        raise RegistrationClosed(_("This training is over."))
    registration = (
        None if new_person else Registration.objects.filter(event=event, person=person).first()
    )
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        return RegistrationResult(
            registration=registration,
            created=False,
            status=registration.status,
            waitlist_position=waitlist_position(registration),
        )
    registration = registration or Registration(event=event, person=person)
    registration.source = source
    # They register themselves: the name a host once typed for them gives way to their own.
    registration.guest_name = ""
    registration.cancelled_at = None
    registration.checked_in_at = None
    position = None
    if seats_taken(event) < event.capacity:
        registration.status = Registration.Status.REGISTERED
        registration.waitlisted_at = None
        registration.save()
        audit_log(
            "registration.created",
            registration,
            data={
                "event": event.pk,
                "person": person.pk,
                "status": registration.status,
                "source": source,
            },
        )
        _mail_person(
            person,
            "events/mail/registered",
            {"event": event, "registration": registration},
            "registered",
        )
    else:
        registration.status = Registration.Status.WAITLISTED
        registration.waitlisted_at = timezone.now()
        registration.save()
        audit_log(
            "registration.created",
            registration,
            data={
                "event": event.pk,
                "person": person.pk,
                "status": registration.status,
                "source": source,
            },
        )
        position = waitlist_position(registration)
        _mail_person(
            person,
            "events/mail/waitlisted",
            {"event": event, "registration": registration, "position": position},
            "waitlisted",
        )
    signals.registration_created.send(sender=Registration, registration=registration)
    return RegistrationResult(
        registration=registration,
        created=True,
        status=registration.status,
        waitlist_position=position,
    )


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=Registration.Status.WAITLISTED,
        waitlisted_at__lt=registration.waitlisted_at,
    ).count()
    return ahead + 1


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration:
    event = _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    before = registration.status
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.offer_expires_at = None
    registration.save()
    audit_log(
        "registration.cancelled",
        registration,
        before={"status": before},
        after={"status": registration.status},
    )
    signals.registration_cancelled.send(sender=Registration, registration=registration)
    _offer_free_seats(event)
    return registration


def _offer_free_seats(event: Event) -> list[Registration]:
    """Offer each free seat to the next person on the waitlist, for a limited time."""
    if event.state != Event.State.APPROVED:
        return []
    offered = []
    free = event.capacity - seats_taken(event)
    if free <= 0:
        return offered
    waiting = (
        event.registrations.filter(status=Registration.Status.WAITLISTED)
        .order_by("waitlisted_at", "pk")
        .select_related("person")[:free]
    )
    now = timezone.now()
    expires = now + dt.timedelta(hours=OFFER_HOURS)
    if event.starts_at:
        expires = max(
            min(expires, event.starts_at - dt.timedelta(hours=2)), now + dt.timedelta(hours=2)
        )
    for registration in waiting:
        registration.status = Registration.Status.OFFERED
        registration.offer_expires_at = expires
        registration.save()
        audit_log(
            "registration.offered",
            registration,
            before={"status": Registration.Status.WAITLISTED},
            after={"status": registration.status},
            data={"expires": expires.isoformat()},
        )
        _mail_person(
            registration.person,
            "events/mail/offer",
            {"event": event, "registration": registration},
            "waitlist-offer",
        )
        offered.append(registration)
    return offered


@transaction.atomic
def offer_accept(*, registration: Registration) -> Registration:
    _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.REGISTERED:
        return registration
    if registration.status != Registration.Status.OFFERED or (
        registration.offer_expires_at and registration.offer_expires_at < timezone.now()
    ):
        raise ValidationError(
            _("This offer has lapsed. We're sorry: the seat went to the next person.")
        )
    registration.status = Registration.Status.REGISTERED
    registration.offer_expires_at = None
    registration.save()
    audit_log(
        "registration.offer_accepted",
        registration,
        before={"status": Registration.Status.OFFERED},
        after={"status": registration.status},
    )
    _mail_person(
        registration.person,
        "events/mail/registered",
        {"event": registration.event, "registration": registration},
        "registered",
    )
    return registration


@transaction.atomic
def offers_expire(*, now: dt.datetime | None = None) -> int:
    """Lapsed offers go back to nobody: the seat is offered to the next person in line."""
    now = now or timezone.now()
    lapsed = list(
        Registration.objects.filter(
            status=Registration.Status.OFFERED, offer_expires_at__lt=now
        ).select_related("person", "event")
    )
    for registration in lapsed:
        event = _lock(registration.event)
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.save()
        audit_log(
            "registration.offer_lapsed",
            registration,
            actor=None,
            before={"status": Registration.Status.OFFERED},
            after={"status": registration.status},
        )
        _mail_person(
            registration.person,
            "events/mail/offer_lapsed",
            {"event": event, "registration": registration},
            "offer-lapsed",
        )
        signals.registration_cancelled.send(sender=Registration, registration=registration)
        _offer_free_seats(event)
    return len(lapsed)


@transaction.atomic
def registration_confirm(*, registration: Registration) -> Registration:
    if registration.confirmed_at is None:
        registration.confirmed_at = timezone.now()
        registration.save(update_fields=["confirmed_at", "updated_at"])
        audit_log("registration.confirmed", registration)
    return registration


@transaction.atomic
def check_in(
    *, registration: Registration, by: User | None = None, reason: str = ""
) -> Registration:
    """Idempotent: a double tap or a retried request keeps the first check-in time."""
    event = _lock(registration.event)
    reason = _check_open(event, by, reason)
    updated = Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
        checked_in_at=timezone.now()
    )
    registration.refresh_from_db()
    if updated and registration.status != Registration.Status.REGISTERED:
        # Someone on the waitlist who showed up and got a seat at the door.
        registration.status = Registration.Status.REGISTERED
        registration.save(update_fields=["status", "updated_at"])
    if updated:
        audit_log(
            "registration.checked_in",
            registration,
            actor=by,
            data={"event": event.pk, **({"reason": reason} if reason else {})},
        )
        signals.registration_checked_in.send(sender=Registration, registration=registration)
        _attendance_changed(event, by)
    return registration


@transaction.atomic
def check_in_undo(
    *, registration: Registration, by: User | None = None, reason: str = ""
) -> Registration:
    event = _lock(registration.event)
    reason = _check_open(event, by, reason)
    updated = Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=False).update(
        checked_in_at=None
    )
    registration.refresh_from_db()
    if updated:
        audit_log(
            "registration.check_in_undone",
            registration,
            actor=by,
            data={"event": event.pk, **({"reason": reason} if reason else {})},
        )
    return registration


@transaction.atomic
def walk_in_add(
    *,
    event: Event,
    name: str,
    email: str = "",
    checked_in: bool = True,
    source: str = Registration.Source.WALK_IN,
    by: User | None = None,
    reason: str = "",
) -> Registration:
    """A host adds a walk-in or a guest. With an email, they become (or match) a person."""
    event = _lock(event)
    if not event.is_published:
        raise ValidationError(_("People can only be added to an approved training."))
    reason = _check_open(event, by, reason)
    match = _person_match_or_create(email=email, name=name) if email else None
    person = match.person if match is not None else None
    registration = None
    if person is not None:
        registration = Registration.objects.filter(event=event, person=person).first()
    if registration is None:
        # An address that already had an account: the hosts see the name they typed, not the
        # account's, until its owner confirms (Registration.shows_person).
        masked = match is None or not match.created
        registration = Registration(event=event, person=person, guest_name=name if masked else "")
    if not registration.holds_seat and seats_taken(event) >= event.capacity:
        raise ValidationError(
            _("This training is full. Raise its capacity first if the room has space.")
        )
    before = registration.status or None
    registration.status = Registration.Status.REGISTERED
    registration.source = source
    registration.cancelled_at = None
    if checked_in and registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
    registration.save()
    audit_log(
        "registration.walk_in",
        registration,
        actor=by,
        before={"status": before},
        after={"status": registration.status, "checked_in": registration.checked_in_at is not None},
        data={"event": event.pk, "source": source, **({"reason": reason} if reason else {})},
    )
    if registration.checked_in_at is not None:
        signals.registration_checked_in.send(sender=Registration, registration=registration)
        _attendance_changed(event, by)
    return registration


@transaction.atomic
def person_match_or_create(*, email: str, name: str = "", **extra) -> PersonMatch:
    """Find a person by email (any case), or create one who can claim the account later."""
    return _person_match_or_create(email=email, name=name, **extra)


def _person_match_or_create(*, email: str, name: str = "", **extra) -> PersonMatch:
    email = email.strip().lower()
    # Addresses are stored lower-cased (see UserManager), so the unique index answers this.
    person = User.objects.filter(email=email).first()
    if person is not None:
        return PersonMatch(person=person, created=False)
    try:
        with transaction.atomic():
            # No password yet: they are mailed a link to claim the account.
            return PersonMatch(
                person=person_create_unclaimed(email=email, name=name, **extra), created=True
            )
    except IntegrityError:
        # Two sign-ups with the same new address at once: the other one created the person.
        return PersonMatch(person=User.objects.get(email=email), created=False)


def reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """The day-before reminder, at 10:00 event-local, with confirm and can't-come links."""
    now = now or timezone.now()
    count = 0
    due = Registration.objects.filter(
        event__state=Event.State.APPROVED,
        event__reminder_due_at__lte=now,
        event__starts_at__gt=now,
        status=Registration.Status.REGISTERED,
        reminder_sent_at__isnull=True,
        person__isnull=False,
    ).select_related("event", "person")
    for registration in due:
        with transaction.atomic():
            if Registration.objects.filter(
                pk=registration.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now):
                audit_log("registration.reminded", registration, actor=None)
                _mail_person(
                    registration.person,
                    "events/mail/reminder",
                    {"event": registration.event, "registration": registration},
                    "reminder",
                )
                count += 1
    return count


def follow_ups_send_due(*, now: dt.datetime | None = None) -> int:
    """A thank-you and next steps the day after the event, to those who came."""
    now = now or timezone.now()
    count = 0
    events = Event.objects.filter(
        state__in=Event.PUBLISHED_STATES,
        ends_at__lte=now - dt.timedelta(hours=12),
        follow_up_sent_at__isnull=True,
    )
    for event in events:
        with transaction.atomic():
            if not Event.objects.filter(pk=event.pk, follow_up_sent_at__isnull=True).update(
                follow_up_sent_at=now
            ):
                continue
            audit_log("event.followed_up", event, actor=None)
            for registration in event.registrations.filter(
                checked_in_at__isnull=False, person__isnull=False
            ).select_related("person"):
                _mail_person(
                    registration.person,
                    "events/mail/follow_up",
                    {"event": event, "registration": registration},
                    "follow-up",
                )
                count += 1
    return count
