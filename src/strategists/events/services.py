"""Every write on trainings: proposals, the coordinator's queue, registrations, the waitlist,
check-in, completion. Mail is queued in the same transaction and sent after commit."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.accounts.services import person_create_unclaimed
from strategists.common.mail import mail_person
from strategists.events.models import Event, Registration
from strategists.events.timing import reminder_due

OFFER_HOURS = 24
SEAT_HOLDING = (Registration.Status.REGISTERED, Registration.Status.OFFERED)
EVENT_FIELDS = {
    "title", "description", "starts_at", "ends_at", "window_start", "window_end", "local_start_time",
    "duration_minutes", "timezone", "city", "venue", "address", "format", "online_url", "capacity",
    "step_free", "asl", "interpretation", "childcare", "accessibility_notes", "venue_confirmed",
    "wifi", "projector", "trainers_asked", "local_outreach",
}
M2M_FIELDS = {"languages", "skill_areas", "co_sponsors"}
NOTIFY_ON_CHANGE = {"starts_at", "ends_at", "venue", "address", "city", "format", "online_url"}


class RegistrationClosed(ValidationError):
    pass


def _mail_person(person: User, template: str, context: dict, kind: str) -> None:
    mail_person(person, template=template, context=context, kind=kind)


def _mail_hosts(event: Event, template: str, context: dict, kind: str) -> None:
    recipients = {event.proposed_by, *event.organization.hosts.all()} - {None}
    for person in recipients:
        _mail_person(person, template, {"event": event, **context}, kind)


def _schedule(event: Event) -> None:
    if event.starts_at:
        if not event.ends_at:
            event.ends_at = event.starts_at + dt.timedelta(minutes=event.duration_minutes)
        event.reminder_due_at = reminder_due(event.starts_at, event.timezone)
    else:
        event.reminder_due_at = None


def _set_m2m(event: Event, values: dict) -> None:
    for name in M2M_FIELDS & values.keys():
        getattr(event, name).set(values[name])


@transaction.atomic
def event_propose(*, proposer: User, organization, **values) -> Event:
    fields = {k: v for k, v in values.items() if k in EVENT_FIELDS}
    if not fields.get("timezone"):
        fields["timezone"] = fields["city"].timezone
    event = Event(organization=organization, proposed_by=proposer, state=Event.State.PROPOSED, **fields)
    _schedule(event)
    event.full_clean(exclude=["languages", "skill_areas", "co_sponsors"])
    event.save()
    _set_m2m(event, values)
    for coordinator in User.objects.filter(is_coordinator=True, is_active=True):
        _mail_person(coordinator, "events/mail/proposed", {"event": event}, "event-proposed")
    return event


@transaction.atomic
def event_update(*, event: Event, by: User, **values) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    changed = {name for name, value in values.items()
               if name in EVENT_FIELDS and getattr(event, name) != value}
    for name in changed:
        setattr(event, name, values[name])
    if {"starts_at", "duration_minutes"} & changed and "ends_at" not in changed:
        event.ends_at = None
    _schedule(event)
    event.full_clean(exclude=["languages", "skill_areas", "co_sponsors"])
    if event.state == Event.State.CHANGES_REQUESTED:
        event.state = Event.State.PROPOSED
    event.save()
    _set_m2m(event, values)
    if "capacity" in changed:
        _offer_free_seats(event)
    if event.is_published and changed & NOTIFY_ON_CHANGE:
        for registration in _active_registrations(event):
            _mail_person(registration.person, "events/mail/changed",
                         {"event": event, "registration": registration}, "event-changed")
    return event


@transaction.atomic
def event_approve(*, event: Event, by: User) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.state not in {Event.State.PROPOSED, Event.State.CHANGES_REQUESTED}:
        raise ValidationError(_("Only a proposed training can be approved."))
    if event.starts_at is None:
        raise ValidationError(_("Set a date before approving: the year planner picks one within the window."))
    event.state = Event.State.APPROVED
    event.coordinator_message = ""
    event.save()
    _mail_hosts(event, "events/mail/approved", {}, "event-approved")
    return event


def _send_back(event: Event, *, state: str, message: str, template: str, kind: str, refusal: str) -> Event:
    """Close a review without publishing: the host is told why."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.state not in {Event.State.PROPOSED, Event.State.CHANGES_REQUESTED}:
        raise ValidationError(refusal)
    event.state = state
    event.coordinator_message = message
    event.save()
    _mail_hosts(event, template, {"message": message}, kind)
    return event


@transaction.atomic
def event_request_changes(*, event: Event, by: User, message: str) -> Event:
    return _send_back(event, state=Event.State.CHANGES_REQUESTED, message=message,
                      template="events/mail/changes_requested", kind="event-changes",
                      refusal=_("Only a proposed training can be sent back for changes."))


@transaction.atomic
def event_decline(*, event: Event, by: User, message: str) -> Event:
    return _send_back(event, state=Event.State.DECLINED, message=message, template="events/mail/declined",
                      kind="event-declined", refusal=_("Only a proposed training can be declined."))


@transaction.atomic
def event_cancel(*, event: Event, by: User, reason: str) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.state in {Event.State.COMPLETED, Event.State.CANCELLED}:
        raise ValidationError(_("This training is already over."))
    was_published = event.is_published
    event.state = Event.State.CANCELLED
    event.coordinator_message = reason
    event.save()
    if was_published:
        for registration in event.registrations.filter(person__isnull=False).exclude(
                status=Registration.Status.CANCELLED).select_related("person"):
            _mail_person(registration.person, "events/mail/cancelled",
                         {"event": event, "reason": reason}, "event-cancelled")
    return event


@transaction.atomic
def event_complete(*, event: Event, by: User, taught_areas) -> Event:
    """The host marks which skill areas were actually taught: with attendance, the evidence."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.state not in {Event.State.APPROVED, Event.State.COMPLETED}:
        raise ValidationError(_("Only an approved training can be completed."))
    if event.starts_at and event.starts_at > timezone.now() + dt.timedelta(hours=12):
        raise ValidationError(_("This training hasn't happened yet."))
    event.state = Event.State.COMPLETED
    event.completed_at = event.completed_at or timezone.now()
    event.save()
    event.taught_areas.set(taught_areas)
    _on_completed(event)
    return event


def _on_completed(event: Event) -> None:
    """Let the competency framework turn attendance into evidence, if it is installed."""
    try:
        from strategists.curriculum.services import evidence_from_event
    except ImportError:
        return
    evidence_from_event(event=event)


def _active_registrations(event: Event):
    return event.registrations.filter(person__isnull=False, status__in=SEAT_HOLDING).select_related("person")


def seats_taken(event: Event) -> int:
    return event.registrations.filter(status__in=SEAT_HOLDING).count()


def _lock(event: Event) -> Event:
    # Lock the event row so that counting seats and taking one happen as one step: concurrent
    # sign-ups queue here (PostgreSQL row lock; SQLite's immediate transaction locks the file).
    # The city comes along so the confirmation mail rendered under the lock needs no extra query.
    return Event.objects.select_related("city__subdivision").select_for_update(of=("self",)).get(pk=event.pk)


@transaction.atomic
def registration_create(*, event: Event, person: User, source: str = Registration.Source.WEB) -> Registration:
    """Register, or join the waitlist when the event is full. Registering twice changes nothing."""
    return _register(event, person, source)


@transaction.atomic
def registration_create_by_email(*, event: Event, email: str, name: str = "",
                                 source: str = Registration.Source.API) -> Registration:
    """Match or create the person by email and register them, in one transaction (one commit:
    the new person and their registration land together). `registration.person` is the person."""
    person, created = _person_match_or_create(email=email, name=name)
    # A person created in this very transaction can't be registered anywhere yet.
    return _register(event, person, source, new_person=created)


def _register(event: Event, person: User, source: str, *, new_person: bool = False) -> Registration:
    event = _lock(event)
    if event.state != Event.State.APPROVED:
        raise RegistrationClosed(_("Registration is closed for this training."))
    if event.starts_at and event.ends_at and event.ends_at < timezone.now():
        raise RegistrationClosed(_("This training is over."))
    registration = None if new_person else Registration.objects.filter(event=event, person=person).first()
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        return registration
    registration = registration or Registration(event=event, person=person)
    registration.source = source
    registration.cancelled_at = None
    registration.checked_in_at = None
    if seats_taken(event) < event.capacity:
        registration.status = Registration.Status.REGISTERED
        registration.waitlisted_at = None
        registration.save()
        _mail_person(person, "events/mail/registered", {"event": event, "registration": registration}, "registered")
    else:
        registration.status = Registration.Status.WAITLISTED
        registration.waitlisted_at = timezone.now()
        registration.save()
        # Counted under the lock: callers can answer with it instead of counting again.
        registration.waitlist_position = waitlist_position(registration)
        _mail_person(person, "events/mail/waitlisted", {"event": event, "registration": registration,
                     "position": registration.waitlist_position}, "waitlisted")
    return registration


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=Registration.Status.WAITLISTED,
        waitlisted_at__lt=registration.waitlisted_at,
    ).count()
    return ahead + 1


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration:
    event = _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.offer_expires_at = None
    registration.save()
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
    waiting = event.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "waitlisted_at", "pk").select_related("person")[:free]
    now = timezone.now()
    expires = now + dt.timedelta(hours=OFFER_HOURS)
    if event.starts_at:
        expires = max(min(expires, event.starts_at - dt.timedelta(hours=2)), now + dt.timedelta(hours=2))
    for registration in waiting:
        registration.status = Registration.Status.OFFERED
        registration.offer_expires_at = expires
        registration.save()
        _mail_person(registration.person, "events/mail/offer",
                     {"event": event, "registration": registration}, "waitlist-offer")
        offered.append(registration)
    return offered


@transaction.atomic
def offer_accept(*, registration: Registration) -> Registration:
    _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.REGISTERED:
        return registration
    if registration.status != Registration.Status.OFFERED or (
            registration.offer_expires_at and registration.offer_expires_at < timezone.now()):
        raise ValidationError(_("This offer has lapsed. We're sorry: the seat went to the next person."))
    registration.status = Registration.Status.REGISTERED
    registration.offer_expires_at = None
    registration.save()
    _mail_person(registration.person, "events/mail/registered",
                 {"event": registration.event, "registration": registration}, "registered")
    return registration


@transaction.atomic
def offers_expire(*, now: dt.datetime | None = None) -> int:
    """Lapsed offers go back to nobody: the seat is offered to the next person in line."""
    now = now or timezone.now()
    lapsed = list(Registration.objects.filter(status=Registration.Status.OFFERED, offer_expires_at__lt=now)
                  .select_related("person", "event"))
    for registration in lapsed:
        event = _lock(registration.event)
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.save()
        _mail_person(registration.person, "events/mail/offer_lapsed",
                     {"event": event, "registration": registration}, "offer-lapsed")
        _offer_free_seats(event)
    return len(lapsed)


@transaction.atomic
def registration_confirm(*, registration: Registration) -> Registration:
    registration.confirmed_at = registration.confirmed_at or timezone.now()
    registration.save(update_fields=["confirmed_at", "updated_at"])
    return registration


@transaction.atomic
def check_in(*, registration: Registration) -> Registration:
    """Idempotent: a double tap or a retried request keeps the first check-in time."""
    updated = Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
        checked_in_at=timezone.now())
    registration.refresh_from_db()
    if updated and registration.status != Registration.Status.REGISTERED:
        # Someone on the waitlist who showed up and got a seat at the door.
        registration.status = Registration.Status.REGISTERED
        registration.save(update_fields=["status", "updated_at"])
    return registration


@transaction.atomic
def check_in_undo(*, registration: Registration) -> Registration:
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=None)
    registration.refresh_from_db()
    return registration


@transaction.atomic
def walk_in_add(*, event: Event, name: str, email: str = "", checked_in: bool = True,
                source: str = Registration.Source.WALK_IN) -> Registration:
    """A host adds a walk-in or a guest. With an email, they become (or match) a person."""
    event = _lock(event)
    if event.state not in {Event.State.APPROVED, Event.State.COMPLETED}:
        raise ValidationError(_("People can only be added to an approved training."))
    person = person_match_or_create(email=email, name=name) if email else None
    registration = None
    if person is not None:
        registration = Registration.objects.filter(event=event, person=person).first()
    if registration is None:
        registration = Registration(event=event, person=person, guest_name="" if person else name)
    if not registration.holds_seat and seats_taken(event) >= event.capacity:
        raise ValidationError(_("This training is full. Raise its capacity first if the room has space."))
    registration.status = Registration.Status.REGISTERED
    registration.source = source
    registration.cancelled_at = None
    if checked_in and registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
    registration.save()
    return registration


def person_match_or_create(*, email: str, name: str = "", **extra) -> User:
    """Find a person by email (any case), or create one who can claim the account later."""
    return _person_match_or_create(email=email, name=name, **extra)[0]


def _person_match_or_create(*, email: str, name: str = "", **extra) -> tuple[User, bool]:
    """The person, and whether they were created just now."""
    email = email.strip().lower()
    # Addresses are stored lower-cased (see UserManager), so the unique index answers this.
    person = User.objects.filter(email=email).first()
    if person is not None:
        return person, False
    try:
        with transaction.atomic():
            # No password yet: they are mailed a link to claim the account.
            return person_create_unclaimed(email=email, name=name, **extra), True
    except IntegrityError:
        # Two sign-ups with the same new address at once: the other one created the person.
        return User.objects.get(email=email), False


def reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """The day-before reminder, at 10:00 event-local, with confirm and can't-come links."""
    now = now or timezone.now()
    count = 0
    due = Registration.objects.filter(
        event__state=Event.State.APPROVED, event__reminder_due_at__lte=now, event__starts_at__gt=now,
        status=Registration.Status.REGISTERED, reminder_sent_at__isnull=True, person__isnull=False,
    ).select_related("event", "person")
    for registration in due:
        with transaction.atomic():
            if Registration.objects.filter(pk=registration.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                _mail_person(registration.person, "events/mail/reminder",
                             {"event": registration.event, "registration": registration}, "reminder")
                count += 1
    return count


def follow_ups_send_due(*, now: dt.datetime | None = None) -> int:
    """A thank-you and next steps the day after the event, to those who came."""
    now = now or timezone.now()
    count = 0
    events = Event.objects.filter(state__in=[Event.State.APPROVED, Event.State.COMPLETED],
                                  ends_at__lte=now - dt.timedelta(hours=12), follow_up_sent_at__isnull=True)
    for event in events:
        with transaction.atomic():
            if not Event.objects.filter(pk=event.pk, follow_up_sent_at__isnull=True).update(follow_up_sent_at=now):
                continue
            for registration in event.registrations.filter(checked_in_at__isnull=False, person__isnull=False).select_related("person"):
                _mail_person(registration.person, "events/mail/follow_up",
                             {"event": event, "registration": registration}, "follow-up")
                count += 1
    return count
