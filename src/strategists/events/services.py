"""Every write on a training itself: proposals, the coordinator's queue, changes, cancellation,
completion. Registrations live in registration_services. Mail is queued in the same transaction
and sent after commit."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.common.audit import audit_log
from strategists.events import signals
from strategists.events.models import Event, Registration
from strategists.events.registration_services import _active_registrations, _offer_free_seats
from strategists.events.service_common import (
    TrainingClosed,
    _check_open,
    _is_coordinator,
    _mail_person,
)
from strategists.events.signals import training_completed
from strategists.events.timing import reminder_due

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
    signals.training_approved.send(sender=Event, event=event, by=by)
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
    signals.training_cancelled.send(sender=Event, event=event, by=by)
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
