"""Every write on trainings: proposals, the coordinator's queue, registrations, the waitlist,
check-in, completion. Mail is queued in the same transaction and sent after commit."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.accounts.services import person_create_unclaimed
from strategists.common.audit import audit_log
from strategists.common.mail import mail_person
from strategists.events.models import CLOSED_AFTER, Event, Registration
from strategists.events.signals import training_completed
from strategists.events.timing import reminder_due
from strategists.events.tokens import registration_link_issue

OFFER_HOURS = 24
SEAT_HOLDING = (Registration.Status.REGISTERED, Registration.Status.OFFERED)
EVENT_FIELDS = {
    "title",
    "description",
    "starts_at",
    "ends_at",
    "window_start",
    "window_end",
    "local_start_time",
    "duration_minutes",
    "timezone",
    "city",
    "venue",
    "address",
    "format",
    "online_url",
    "capacity",
    "step_free",
    "asl",
    "interpretation",
    "childcare",
    "accessibility_notes",
    "venue_confirmed",
    "wifi",
    "projector",
    "trainers_asked",
    "local_outreach",
}
M2M_FIELDS = {"languages", "skill_areas", "co_sponsors"}
NOTIFY_ON_CHANGE = {"starts_at", "ends_at", "venue", "address", "city", "format", "online_url"}


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


class TrainingClosed(ValidationError):
    """A change to a training completed more than CLOSED_AFTER ago, by someone who may not make it."""


def _check_open(event: Event, by: User | None, reason: str) -> str:
    """A closed training changes only by a coordinator who says why. Returns the reason given."""
    reason = (reason or "").strip()
    if not event.is_closed:
        return reason
    if by is None or not (by.is_active and by.is_coordinator):
        raise TrainingClosed(
            _(
                "This training was completed more than %(days)d days ago and is closed. "
                "Ask a coordinator to change its attendance or the areas it taught."
            )
            % {"days": CLOSED_AFTER.days}
        )
    if not reason:
        raise TrainingClosed(
            _("This training is closed: say why you change it. The reason is kept in the log.")
        )
    return reason


def _is_coordinator(user: User | None) -> bool:
    return user is not None and user.is_active and user.is_coordinator


def _mail_person(person: User, template: str, context: dict, kind: str) -> None:
    registration = context.get("registration")
    if registration is not None and registration.person_id == person.pk:
        # Each mail to the registered person carries its own one-click link.
        registration_link_issue(registration=registration)
    mail_person(person, template=template, context=context, kind=kind)


def _mail_hosts(event: Event, template: str, context: dict, kind: str) -> None:
    """The organization's current hosts; the proposer only while they still host or coordinate."""
    hosts = set(event.organization.hosts.all())
    recipients = hosts | ({event.proposed_by} if _is_coordinator(event.proposed_by) else set())
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
    event = Event(
        organization=organization, proposed_by=proposer, state=Event.State.PROPOSED, **fields
    )
    _schedule(event)
    event.full_clean(exclude=["languages", "skill_areas", "co_sponsors"])
    event.save()
    _set_m2m(event, values)
    audit_log(
        "event.proposed",
        event,
        actor=proposer,
        data={
            "organization": organization.pk,
            "skill_areas": sorted(
                str(a.pk if hasattr(a, "pk") else a) for a in values.get("skill_areas", [])
            ),
        },
    )
    for coordinator in User.objects.filter(is_coordinator=True, is_active=True):
        _mail_person(coordinator, "events/mail/proposed", {"event": event}, "event-proposed")
    return event


@transaction.atomic
def event_update(*, event: Event, by: User, **values) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    coordinator = _is_coordinator(by)
    if event.is_closed and not coordinator:
        raise TrainingClosed(_("This training is closed. Ask a coordinator to change it."))
    if "skill_areas" in values and event.is_published and not coordinator:
        new_areas = {getattr(area, "pk", area) for area in values["skill_areas"]}
        if new_areas != set(event.skill_areas.values_list("pk", flat=True)):
            # The areas were approved with the training, and bound what it may certify.
            raise ValidationError(
                _(
                    "The skill areas of an approved training are set. Ask a coordinator to change them."
                )
            )
    changed = {
        name
        for name, value in values.items()
        if name in EVENT_FIELDS and getattr(event, name) != value
    }
    old = {name: getattr(event, name) for name in changed}
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
    audit_log(
        "event.updated",
        event,
        actor=by,
        before=old,
        after={name: getattr(event, name) for name in changed},
    )
    if "capacity" in changed:
        _offer_free_seats(event)
    if event.is_published and changed & NOTIFY_ON_CHANGE:
        for registration in _active_registrations(event):
            _mail_person(
                registration.person,
                "events/mail/changed",
                {"event": event, "registration": registration},
                "event-changed",
            )
    return event


@transaction.atomic
def event_approve(*, event: Event, by: User) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.state not in {Event.State.PROPOSED, Event.State.CHANGES_REQUESTED}:
        raise ValidationError(_("Only a proposed training can be approved."))
    if event.starts_at is None:
        raise ValidationError(
            _("Set a date before approving: the year planner picks one within the window.")
        )
    before = event.state
    event.state = Event.State.APPROVED
    event.coordinator_message = ""
    event.save()
    audit_log(
        "event.approved", event, actor=by, before={"state": before}, after={"state": event.state}
    )
    _mail_hosts(event, "events/mail/approved", {}, "event-approved")
    return event


def _send_back(
    event: Event,
    *,
    by: User,
    state: str,
    message: str,
    template: str,
    kind: str,
    refusal: str,
    action: str,
) -> Event:
    """Close a review without publishing: the host is told why."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.state not in {Event.State.PROPOSED, Event.State.CHANGES_REQUESTED}:
        raise ValidationError(refusal)
    before = event.state
    event.state = state
    event.coordinator_message = message
    event.save()
    audit_log(
        action,
        event,
        actor=by,
        before={"state": before},
        after={"state": state},
        data={"message": message},
    )
    _mail_hosts(event, template, {"message": message}, kind)
    return event


@transaction.atomic
def event_request_changes(*, event: Event, by: User, message: str) -> Event:
    return _send_back(
        event,
        by=by,
        state=Event.State.CHANGES_REQUESTED,
        message=message,
        template="events/mail/changes_requested",
        kind="event-changes",
        refusal=_("Only a proposed training can be sent back for changes."),
        action="event.changes_requested",
    )


@transaction.atomic
def event_decline(*, event: Event, by: User, message: str) -> Event:
    return _send_back(
        event,
        by=by,
        state=Event.State.DECLINED,
        message=message,
        template="events/mail/declined",
        kind="event-declined",
        refusal=_("Only a proposed training can be declined."),
        action="event.declined",
    )


@transaction.atomic
def event_cancel(*, event: Event, by: User, reason: str) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.state in {Event.State.COMPLETED, Event.State.CANCELLED}:
        raise ValidationError(_("This training is already over."))
    was_published = event.is_published
    before = event.state
    event.state = Event.State.CANCELLED
    event.coordinator_message = reason
    event.save()
    audit_log(
        "event.cancelled",
        event,
        actor=by,
        before={"state": before},
        after={"state": event.state},
        data={"reason": reason},
    )
    if was_published:
        for registration in (
            event.registrations.filter(person__isnull=False)
            .exclude(status=Registration.Status.CANCELLED)
            .select_related("person")
        ):
            _mail_person(
                registration.person,
                "events/mail/cancelled",
                {"event": event, "reason": reason},
                "event-cancelled",
            )
    return event


@transaction.atomic
def event_complete(*, event: Event, by: User, taught_areas, reason: str = "") -> Event:
    """The host marks which skill areas were actually taught: with attendance, the evidence.
    A host chooses among the areas the training was approved for; a coordinator may add others.
    Seven days after completion the training is closed (see `_check_open`)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.is_published:
        raise ValidationError(_("Only an approved training can be completed."))
    if event.starts_at and event.starts_at > timezone.now() + dt.timedelta(hours=12):
        raise ValidationError(_("This training hasn't happened yet."))
    reason = _check_open(event, by, reason)
    taught = {getattr(area, "pk", area) for area in taught_areas}
    planned = set(event.skill_areas.values_list("pk", flat=True))
    if taught - planned and not _is_coordinator(by):
        raise ValidationError(
            _(
                "Mark only the skill areas this training was approved to teach. "
                "A coordinator can add another area."
            )
        )
    before = {
        "state": event.state,
        "taught_areas": sorted(event.taught_areas.values_list("pk", flat=True)),
    }
    event.state = Event.State.COMPLETED
    if event.completed_at is None:
        event.completed_at, event.completed_by = timezone.now(), by
    event.save()
    event.taught_areas.set(taught)
    audit_log(
        "event.completed",
        event,
        actor=by,
        before=before,
        after={"state": event.state, "taught_areas": sorted(taught)},
        data={"reason": reason} if reason else None,
    )
    # Curriculum listens: attendance becomes evidence in this same transaction.
    training_completed.send(sender=Event, event=event, by=by)
    return event


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
    person = _person_match_or_create(email=email, name=name).person if email else None
    registration = None
    if person is not None:
        registration = Registration.objects.filter(event=event, person=person).first()
    if registration is None:
        registration = Registration(event=event, person=person, guest_name="" if person else name)
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
