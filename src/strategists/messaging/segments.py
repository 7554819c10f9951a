"""The people a message goes to, computed on the server from a segment key and its parameters.

A segment is never a list of ids sent by the browser: the composer carries the key (`training`
or `dashboard`) and its parameters in the URL, and each request computes the people again with
the sender's access checked (a training's hosts or a coordinator; the dashboard's coordinators).
The dashboard segments read the same conditions as the dashboard's tables (goals/dashboard.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from strategists.accounts.models import ExpertProfile, Organization, User
from strategists.curriculum.models import Evidence
from strategists.events.models import Event, Registration, TrainerAssignment
from strategists.goals import dashboard
from strategists.goals import selectors as goals_selectors
from strategists.goals.forms import FilterForm
from strategists.messaging.models import Message
from strategists.referrals.models import Answer, Question

TRAINING_GROUPS = {
    "all": gettext_lazy("everyone registered or waiting"),
    "confirmed": gettext_lazy("those with a seat"),
    "waitlist": gettext_lazy("those on the waitlist"),
    "checked-in": gettext_lazy("those who came"),
    "no-show": gettext_lazy("those who did not come"),
}


class SegmentError(Exception):
    """Parameters that name no segment: shown to the sender, never a 500."""


@dataclass(frozen=True)
class Segment:
    key: str
    params: dict
    label: str
    kind: str  # Message.Kind
    event: Event | None
    people: QuerySet

    def query(self) -> str:
        return urlencode({"segment": self.key, **self.params})


def segment_for(user, data) -> Segment:
    """The segment named by ``data`` (a QueryDict or dict), for ``user``. Raises SegmentError for
    parameters that name nothing, PermissionDenied when the user may not write to it."""
    key = data.get("segment", "")
    if key == "training":
        return _training(user, data)
    if key == "dashboard":
        return _dashboard(user, data)
    raise SegmentError(_("Choose who the message goes to from a training or the dashboard."))


def _active(people: QuerySet) -> QuerySet:
    return people.filter(is_active=True).distinct().order_by("pk")


# A training's registrants -----------------------------------------------------------------


def _training(user, data) -> Segment:
    try:
        event_id = int(data.get("event", ""))
    except (TypeError, ValueError):
        raise SegmentError(_("That training does not exist.")) from None
    if not 0 < event_id < 2**63:  # past the database's integers: nothing to look up
        raise SegmentError(_("That training does not exist."))
    group = data.get("group", "all")
    if group not in TRAINING_GROUPS:
        raise SegmentError(_("Choose one of the groups offered."))
    event = Event.objects.select_related("organization").filter(pk=event_id).first()
    if event is None:
        raise Http404
    if not user.has_perm("events.change_event", event):
        raise PermissionDenied
    registrations = event.registrations.filter(person__isnull=False)
    status = Registration.Status
    if group == "all":
        registrations = registrations.exclude(status=status.CANCELLED)
    elif group == "confirmed":
        registrations = registrations.filter(status=status.REGISTERED)
    elif group == "waitlist":
        registrations = registrations.filter(status__in=[status.WAITLISTED, status.OFFERED])
    elif group == "checked-in":
        registrations = registrations.filter(checked_in_at__isnull=False)
    else:
        started = event.starts_at is not None and event.starts_at <= timezone.now()
        registrations = registrations.filter(status=status.REGISTERED, checked_in_at__isnull=True)
        if not started:  # nobody has missed a training that has not begun
            registrations = registrations.none()
    people = User.objects.filter(registrations__in=registrations)
    return Segment(
        "training",
        {"event": event.pk, "group": group},
        _("“%(training)s”: %(group)s") % {"training": event.title, "group": TRAINING_GROUPS[group]},
        Message.Kind.HOST,
        event,
        _active(people),
    )


# The dashboard's tables --------------------------------------------------------------------

DASHBOARD_PEOPLE = {
    "hosts": gettext_lazy("the hosts of organizations with no date set"),
    "trainers": gettext_lazy("the hosts of trainings missing trainers"),
    "experts": gettext_lazy("the experts in the experts' load table"),
    "reviews": gettext_lazy("the people whose evidence waits for a review"),
    "questions": gettext_lazy("the people whose questions wait for an answer"),
    "no-shows": gettext_lazy("the people who missed a past training this year"),
    "no-show-trainings": gettext_lazy("the people who missed the trainings with the most no-shows"),
}


def _dashboard(user, data) -> Segment:
    if not user.has_perm("goals.view_dashboard"):
        raise PermissionDenied
    table = data.get("table", "")
    if table not in DASHBOARD_PEOPLE:
        raise SegmentError(_("Choose one of the dashboard's tables."))
    form = FilterForm({k: data.get(k, "") for k in ("region", "organization_type", "language")})
    if not form.is_valid():
        raise SegmentError(
            _("The dashboard's filters are not valid: %(fields)s.")
            % {"fields": ", ".join(form.errors)}
        )
    filters = dashboard.Filters(**form.cleaned_data)
    year = goals_selectors.current_year()
    if year is None:
        raise SegmentError(_("No program year has been set up yet."))
    people = PEOPLE[table](filters, year, timezone.now())
    params = {"table": table, **{k: v for k, v in form.cleaned_data.items() if v}}
    label = str(DASHBOARD_PEOPLE[table]).capitalize()
    if len(params) > 1:
        label += " (" + ", ".join(f"{v}" for k, v in params.items() if k != "table") + ")"
    return Segment("dashboard", params, label, Message.Kind.PROGRAM, None, _active(people))


def _filtered(rows: QuerySet, filters: dashboard.Filters) -> QuerySet:
    """Events and people have the same three fields the dashboard filters on."""
    if filters.region:
        rows = rows.filter(city__region_id=filters.region)
    if filters.organization_type:
        rows = rows.filter(organization__type=filters.organization_type)
    if filters.language:
        rows = rows.filter(languages=filters.language)
    return rows


def _hosts(filters, year, now: dt.datetime) -> QuerySet:
    upcoming = Event.objects.filter(
        organization_id=OuterRef("pk"), state__in=dashboard.OPEN_STATES
    ).filter(
        Q(starts_at__gte=now) | Q(starts_at__isnull=True, window_end__gte=timezone.localdate(now))
    )
    hosts = User.objects.filter(hosted_organizations=OuterRef("pk"))
    organizations = Organization.objects.filter(Exists(hosts)).filter(~Exists(upcoming))
    if filters.region:
        organizations = organizations.filter(region_id=filters.region)
    if filters.organization_type:
        organizations = organizations.filter(type=filters.organization_type)
    if filters.language:
        organizations = organizations.filter(Exists(hosts.filter(languages=filters.language)))
    return User.objects.filter(hosted_organizations__in=organizations)


def _trainers(filters, year, now: dt.datetime) -> QuerySet:
    accepted = TrainerAssignment.Status.ACCEPTED
    events = (
        Event.objects.filter(state=Event.State.APPROVED, starts_at__gte=now)
        .annotate(
            accepted=Count("trainer_assignments", filter=Q(trainer_assignments__status=accepted))
        )
        .filter(accepted__lt=dashboard.TRAINERS_NEEDED)
    )
    events = _filtered(events, filters)
    return User.objects.filter(hosted_organizations__events__in=events.values("pk"))


def _experts(filters, year, now: dt.datetime) -> QuerySet:
    experts = ExpertProfile.objects.filter(is_active=True)
    if filters.region:
        experts = experts.filter(home_city__region_id=filters.region)
    if filters.organization_type:
        experts = experts.filter(user__organization__type=filters.organization_type)
    if filters.language:
        experts = experts.filter(languages=filters.language)
    return User.objects.filter(expert_profile__in=experts)


def _reviews(filters, year, now: dt.datetime) -> QuerySet:
    waiting = Evidence.objects.filter(status=Evidence.Status.PENDING)
    return _filtered(User.objects.filter(pk__in=waiting.values("person_id")), filters)


def _questions(filters, year, now: dt.datetime) -> QuerySet:
    questions = Question.objects.filter(
        status=Question.Status.OPEN,
        created_at__lte=now - dt.timedelta(days=dashboard.QUESTION_WAIT_DAYS),
        asker__isnull=False,
    ).filter(~Exists(Answer.objects.filter(question_id=OuterRef("pk"))))
    if filters.language:
        questions = questions.filter(language=filters.language)
    people = User.objects.filter(pk__in=questions.values("asker_id"))
    return _filtered(people, dashboard.Filters(filters.region, filters.organization_type))


def _missed(filters, year, now: dt.datetime, event_ids=None) -> QuerySet:
    start, _end = goals_selectors.year_bounds(year)
    missed = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        checked_in_at__isnull=True,
        event__state__in=Event.PUBLISHED_STATES,
        event__starts_at__gte=start,
        event__starts_at__lt=now,
    )
    if event_ids is not None:
        missed = missed.filter(event_id__in=event_ids)
    if filters.region:
        missed = missed.filter(event__city__region_id=filters.region)
    if filters.organization_type:
        missed = missed.filter(person__organization__type=filters.organization_type)
    if filters.language:
        missed = missed.filter(event__languages=filters.language)
    return User.objects.filter(pk__in=missed.values("person_id"))


def _no_show_trainings(filters, year, now: dt.datetime) -> QuerySet:
    counts = dashboard.past_training_counts(filters, year, now)
    worst = sorted(counts, key=lambda t: (-t.rate, -t.missed, t.event_id))[: dashboard.WORST_EVENTS]
    return _missed(filters, year, now, [t.event_id for t in worst])


PEOPLE = {
    "hosts": _hosts,
    "trainers": _trainers,
    "experts": _experts,
    "reviews": _reviews,
    "questions": _questions,
    "no-shows": _missed,
    "no-show-trainings": _no_show_trainings,
}
