"""Accepting a plan (dates, trainer requests, mail), trainers' answers, and replacements.

A decline does not ask anyone by itself: the best eligible replacement is *suggested* to the
coordinators (mail + the planner page), who ask them with one click. Volunteers' time is
precious, and a coordinator may know why the obvious choice is wrong.
"""

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import ExpertProfile, User
from strategists.common.audit import audit_log
from strategists.common.geo import haversine_km
from strategists.common.mail import mail_person
from strategists.events.models import Event, TrainerAssignment
from strategists.events.services import event_approve, event_update
from strategists.events.timing import local_to_utc
from strategists.planner import export
from strategists.planner.core.instance import EARTH_RADIUS_KM
from strategists.planner.models import PlanningYear, PlanRun, Replacement

START_TIME = dt.time(10, 0)
DEFAULT_TRAINER_MAX_KM = 1500.0
BUSY = (TrainerAssignment.Status.REQUESTED, TrainerAssignment.Status.ACCEPTED)


def _mail(person: User, template: str, context: dict, kind: str) -> None:
    mail_person(person, template=f"planner/mail/{template}", context=context, kind=kind)


def local_day(event: Event) -> dt.date | None:
    if event.starts_at is None:
        return None
    return event.starts_at.astimezone(zoneinfo.ZoneInfo(event.timezone)).date()


def _date_event(event: Event, day: dt.date, by: User) -> Event:
    """Give a training the slot's date (10:00 local) unless it already is on that day; approve it."""
    values = {"trainers_asked": True}
    if local_day(event) != day:
        values["starts_at"] = local_to_utc(day, START_TIME, event.timezone)
    event = event_update(event=event, by=by, **values)
    if event.state in {Event.State.PROPOSED, Event.State.CHANGES_REQUESTED}:
        event = event_approve(event=event, by=by)
    return event


def request_trainer(event: Event, trainer: User) -> TrainerAssignment | None:
    assignment, created = TrainerAssignment.objects.get_or_create(event=event, trainer=trainer)
    if not created:
        return None
    _mail(
        trainer, "trainer_request", {"event": event, "trainer": trainer}, "planner-trainer-request"
    )
    return assignment


@transaction.atomic
def plan_accept(*, run: PlanRun, by: User) -> list[Event]:
    """Date every planned training, tell its hosts, and ask its trainers."""
    run = PlanRun.objects.select_for_update().select_related("year").get(pk=run.pk)
    if run.status != PlanRun.Status.DONE or not run.plan:
        raise ValidationError(_("Only a finished plan can be accepted."))
    if run.accepted_at is not None:
        raise ValidationError(_("This plan is already accepted."))
    planned = {export.parse_id(e["host"], "event"): e for e in run.plan["events"]}
    events = Event.objects.select_for_update().filter(
        pk__in=[pk for pk in planned if pk], state__in=export.PLANNED_STATES
    )
    trainer_pks = {export.parse_id(t, "trainer") for e in run.plan["events"] for t in e["trainers"]}
    trainers = User.objects.in_bulk([pk for pk in trainer_pks if pk])
    dated = []
    for event in events.order_by("pk"):
        entry = planned[event.pk]
        event = _date_event(event, dt.date.fromisoformat(entry["date"]), by)
        team = [
            trainers[pk]
            for pk in (export.parse_id(t, "trainer") for t in entry["trainers"])
            if pk in trainers
        ]
        for trainer in team:
            request_trainer(event, trainer)
        recipients = {event.proposed_by, *event.organization.hosts.all()} - {None}
        for host in sorted(recipients, key=lambda person: person.pk):
            _mail(host, "host_dated", {"event": event, "team": team}, "planner-host-dated")
        dated.append(event)
    run.accepted_at = timezone.now()
    run.save(update_fields=["accepted_at", "updated_at"])
    previous = run.year.accepted_run_id
    PlanningYear.objects.filter(pk=run.year_id).update(accepted_run=run)
    audit_log(
        "plan.accepted",
        run,
        actor=by,
        before={"accepted_run": previous},
        after={"accepted_run": run.pk},
        data={"year": run.year_id, "events_dated": [event.pk for event in dated]},
    )
    return dated


def year_for_day(day: dt.date) -> PlanningYear | None:
    for year in PlanningYear.objects.filter(start_date__lte=day).order_by("-start_date", "-pk"):
        if year.end_date >= day:
            return year
    return PlanningYear.objects.first()


def replacement_candidates(event: Event, *, exclude=()) -> list[tuple[User, float, int]]:
    """Eligible trainers for ``event``, best first: ``(user, km, topics still missing they teach)``.

    Eligible: an active expert, available on the day, within the year's trainer travel limit,
    teaching a topic the training needs, under their yearly maximum, not already asked.
    """
    day = local_day(event)
    if day is None:
        return []
    year = year_for_day(day)
    max_km = year.trainer_max_km if year else DEFAULT_TRAINER_MAX_KM
    first, last = (
        (year.start_date, year.end_date)
        if year
        else (day.replace(month=1, day=1), day.replace(month=12, day=31))
    )
    needed = set(event.skill_areas.values_list("id", flat=True))
    team = event.trainer_assignments.filter(status__in=BUSY).exclude(trainer__in=exclude)
    covered = set(
        ExpertProfile.skill_areas.through.objects.filter(
            expertprofile__user__in=team.values("trainer")
        ).values_list("skillarea_id", flat=True)
    )
    missing = needed - covered
    profiles = (
        ExpertProfile.objects.filter(is_active=True, user__is_active=True, skill_areas__in=needed)
        .exclude(user__in=event.trainer_assignments.values("trainer"))
        .exclude(user__in=exclude)
        .filter(Q(available_from__isnull=True) | Q(available_from__lte=day))
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=day))
        .annotate(
            booked=Count(
                "user__trainer_assignments",
                distinct=True,
                filter=Q(
                    user__trainer_assignments__status__in=BUSY,
                    user__trainer_assignments__event__starts_at__date__gte=first,
                    user__trainer_assignments__event__starts_at__date__lte=last,
                ),
            )
        )
        .select_related("user", "home_city")
        .prefetch_related("skill_areas")
        .distinct()
    )
    ranked = []
    for profile in profiles:
        if profile.booked >= profile.max_trainings_per_year:
            continue
        km = haversine_km(
            (profile.home_city.latitude, profile.home_city.longitude),
            (event.city.latitude, event.city.longitude),
            radius_km=EARTH_RADIUS_KM,
        )
        if km > max_km:
            continue
        fills = len(missing & {area.id for area in profile.skill_areas.all()})
        ranked.append((profile.user, km, fills))
    ranked.sort(key=lambda item: (-item[2], item[1], item[0].pk))
    return ranked


def replacement_suggest(*, assignment: TrainerAssignment) -> Replacement:
    event = Event.objects.select_related("city").get(pk=assignment.event_id)
    ranked = replacement_candidates(event, exclude=[assignment.trainer_id])
    if ranked:
        user, km, fills = ranked[0]
        reason = _(
            "%(name)s lives %(km).0f km away and teaches %(fills)d of the topics still uncovered"
        ) % {"name": user.name, "km": km, "fills": fills}
        replacement = Replacement.objects.create(
            declined=assignment, suggested=user, distance_km=round(km, 1), reason=reason[:300]
        )
    else:
        replacement = Replacement.objects.create(
            declined=assignment,
            status=Replacement.Status.NONE_FOUND,
            reason=_(
                "Nobody else available on that day lives close enough and teaches its topics."
            ),
        )
    audit_log(
        "replacement.suggested",
        replacement,
        after={"status": replacement.status, "suggested": replacement.suggested_id},
        data={"event": event.pk, "declined_by": assignment.trainer_id},
    )
    for coordinator in User.objects.filter(is_coordinator=True, is_active=True).order_by("pk"):
        _mail(
            coordinator,
            "declined",
            {"assignment": assignment, "event": event, "replacement": replacement},
            "planner-declined",
        )
    return replacement


@transaction.atomic
def assignment_respond(
    *, assignment: TrainerAssignment, by: User, accept: bool, note: str = ""
) -> TrainerAssignment:
    assignment = TrainerAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.trainer_id != by.pk:
        raise ValidationError(_("Only the trainer asked can answer."))
    if assignment.status != TrainerAssignment.Status.REQUESTED:
        raise ValidationError(_("You already answered this request."))
    assignment.status = (
        TrainerAssignment.Status.ACCEPTED if accept else TrainerAssignment.Status.DECLINED
    )
    assignment.responded_at = timezone.now()
    assignment.note = note[:300]
    assignment.save()
    audit_log(
        "trainer_request.accepted" if accept else "trainer_request.declined",
        assignment,
        actor=by,
        before={"status": TrainerAssignment.Status.REQUESTED},
        after={"status": assignment.status},
        data={"event": assignment.event_id, "note": assignment.note},
    )
    if not accept:
        replacement_suggest(assignment=assignment)
    return assignment


@transaction.atomic
def replacement_ask(*, replacement: Replacement, by: User) -> TrainerAssignment:
    replacement = (
        Replacement.objects.select_for_update(of=("self",))
        .select_related("declined__event", "suggested")
        .get(pk=replacement.pk)
    )
    if replacement.status != Replacement.Status.SUGGESTED or replacement.suggested is None:
        raise ValidationError(_("There is nobody to ask for this one."))
    assignment = request_trainer(replacement.declined.event, replacement.suggested)
    if assignment is None:
        raise ValidationError(
            _("%(name)s was already asked for this training.")
            % {"name": replacement.suggested.name}
        )
    replacement.status = Replacement.Status.ASKED
    replacement.save(update_fields=["status", "updated_at"])
    audit_log(
        "replacement.asked",
        replacement,
        actor=by,
        before={"status": Replacement.Status.SUGGESTED},
        after={"status": replacement.status},
        data={"trainer": replacement.suggested_id, "event": replacement.declined.event_id},
    )
    return assignment
