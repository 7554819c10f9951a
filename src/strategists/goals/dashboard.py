"""The coordinator's dashboard tables (page assembly for views.py): what needs doing, read only.

Each table is a fixed number of queries whatever its size (aggregates and annotations, never a
query per row), shows at most ``LIMIT`` rows (the CSV has all of them), and links every row to
the page where the problem is fixed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Exists, F, FloatField, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Cast, Greatest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from strategists.accounts.constants import OrganizationType
from strategists.accounts.models import ExpertProfile, Organization, User
from strategists.curriculum.models import Evidence
from strategists.events.models import Event, Registration, TrainerAssignment
from strategists.goals import selectors
from strategists.goals.models import ProgramYear
from strategists.goals.versions import dashboard_version, data_version
from strategists.referrals import selectors as referrals_selectors
from strategists.referrals.models import Answer, Question

LIMIT = 50
TRAINERS_NEEDED = 2
QUESTION_WAIT_DAYS = 3
WORST_EVENTS = 10
OPEN_STATES = (Event.State.PROPOSED, Event.State.CHANGES_REQUESTED, Event.State.APPROVED)


@dataclass(frozen=True)
class Filters:
    region: str = ""
    organization_type: str = ""
    language: str = ""


@dataclass
class Row:
    cells: list
    href: str = ""
    flag: str = ""  # "bad" or "warn": highlighted


@dataclass
class Table:
    slug: str
    title: str
    help: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


TABLES = {
    "hosts": gettext_lazy("Hosts with no date set"),
    "trainers": gettext_lazy("Trainings missing trainers"),
    "experts": gettext_lazy("Experts' load this year"),
    "reviews": gettext_lazy("Reviews waiting"),
    "questions": gettext_lazy("Questions unanswered for 3 days"),
    "no-shows": gettext_lazy("No-show rates by region"),
    "no-show-trainings": gettext_lazy("Past trainings with the most no-shows"),
}


def _limited(queryset: QuerySet, limit: int | None) -> tuple[list, int]:
    """The first ``limit`` items and the total; counts in a second query only when there are more."""
    if limit is None:
        items = list(queryset)
        return items, len(items)
    items = list(queryset[: limit + 1])
    if len(items) <= limit:
        return items, len(items)
    return items[:limit], queryset.count()


def _url(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs or None)


def _rate(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


# The tables --------------------------------------------------------------------------------


def hosts_without_date(
    filters: Filters, *, now: dt.datetime | None = None, limit: int | None = LIMIT
) -> Table:
    """Organizations with hosts and no proposed or approved training from today on."""
    now = now or timezone.now()
    upcoming = Event.objects.filter(organization_id=OuterRef("pk"), state__in=OPEN_STATES).filter(
        Q(starts_at__gte=now) | Q(starts_at__isnull=True, window_end__gte=timezone.localdate(now))
    )
    hosts = User.objects.filter(hosted_organizations=OuterRef("pk"))
    organizations = (
        Organization.objects.filter(Exists(hosts))
        .filter(~Exists(upcoming))
        .select_related("region")
        .prefetch_related(Prefetch("hosts", queryset=User.objects.only("pk", "name", "email")))
        .order_by("name", "pk")
    )
    if filters.region:
        organizations = organizations.filter(region_id=filters.region)
    if filters.organization_type:
        organizations = organizations.filter(type=filters.organization_type)
    if filters.language:
        organizations = organizations.filter(Exists(hosts.filter(languages=filters.language)))
    items, total = _limited(organizations, limit)
    types = {
        value: str(label) for value, label in OrganizationType.choices
    }  # translated once, not per row
    rows = [
        Row(
            [
                org.name,
                types.get(org.type, org.type),
                org.region.name if org.region else "",
                ", ".join(str(host) for host in org.hosts.all()),
            ],
            _url("accounts:organization_edit", pk=org.pk),
        )
        for org in items
    ]
    return Table(
        "hosts",
        str(TABLES["hosts"]),
        _(
            "Their organization has no training proposed or approved from today on: ask them for a date."
        ),
        [_("Organization"), _("Type"), _("Region"), _("Hosts")],
        rows,
        total,
    )


def trainings_missing_trainers(
    filters: Filters, *, now: dt.datetime | None = None, limit: int | None = LIMIT
) -> Table:
    now = now or timezone.now()
    status = TrainerAssignment.Status
    events = (
        Event.objects.filter(state=Event.State.APPROVED, starts_at__gte=now)
        .annotate(
            accepted=Count(
                "trainer_assignments", filter=Q(trainer_assignments__status=status.ACCEPTED)
            ),
            requested=Count(
                "trainer_assignments", filter=Q(trainer_assignments__status=status.REQUESTED)
            ),
        )
        .filter(accepted__lt=TRAINERS_NEEDED)
        .select_related("city", "organization")
        .order_by("starts_at", "pk")
    )
    events = _event_filters(events, filters)
    items, total = _limited(events, limit)
    rows = [
        Row(
            [
                event.title,
                timezone.localdate(event.starts_at),
                str(event.city),
                event.organization.name,
                event.accepted,
                event.requested,
            ],
            _url("events:detail", pk=event.pk),
            "bad" if event.accepted == 0 else "warn",
        )
        for event in items
    ]
    return Table(
        "trainers",
        str(TABLES["trainers"]),
        _("Upcoming approved trainings with fewer than two trainers who accepted."),
        [
            _("Training"),
            _("Date"),
            _("City"),
            _("Host organization"),
            _("Trainers accepted"),
            _("Asked, no answer yet"),
        ],
        rows,
        total,
    )


def _event_filters(events: QuerySet, filters: Filters, prefix: str = "") -> QuerySet:
    if filters.region:
        events = events.filter(**{f"{prefix}city__region_id": filters.region})
    if filters.organization_type:
        events = events.filter(**{f"{prefix}organization__type": filters.organization_type})
    if filters.language:
        events = events.filter(**{f"{prefix}languages": filters.language})
    return events


def expert_load(filters: Filters, year: ProgramYear, *, limit: int | None = LIMIT) -> Table:
    """Accepted trainings in the program year against what each expert offered to give."""
    start, end = selectors.year_bounds(year)
    in_year = Q(
        user__trainer_assignments__status=TrainerAssignment.Status.ACCEPTED,
        user__trainer_assignments__event__starts_at__gte=start,
        user__trainer_assignments__event__starts_at__lt=end,
    )
    experts = (
        ExpertProfile.objects.filter(is_active=True)
        .annotate(load=Count("user__trainer_assignments", filter=in_year))
        .annotate(share=Cast(F("load"), FloatField()) / Greatest(F("max_trainings_per_year"), 1))
        .select_related("user", "home_city__region")
        .order_by("-share", "-load", "user__name", "pk")
    )
    if filters.region:
        experts = experts.filter(home_city__region_id=filters.region)
    if filters.organization_type:
        experts = experts.filter(user__organization__type=filters.organization_type)
    if filters.language:
        experts = experts.filter(
            Exists(
                ExpertProfile.languages.through.objects.filter(
                    expertprofile_id=OuterRef("pk"), language_id=filters.language
                )
            )
        )
    items, total = _limited(experts, limit)
    rows = []
    for expert in items:
        flag = (
            "bad"
            if expert.load > expert.max_trainings_per_year
            else ("warn" if expert.load == expert.max_trainings_per_year else "")
        )
        rows.append(
            Row(
                [
                    expert.user.name,
                    expert.home_city.region.name,
                    expert.load,
                    expert.max_trainings_per_year,
                    _rate(expert.load, expert.max_trainings_per_year),
                ],
                _url("accounts:person", pk=expert.user_id),
                flag,
            )
        )
    return Table(
        "experts",
        str(TABLES["experts"]),
        _("Trainings accepted in this program year against the most each expert offered."),
        [_("Expert"), _("Region"), _("Trainings accepted"), _("At most a year"), _("Load (%)")],
        rows,
        total,
    )


def reviews_waiting(filters: Filters, *, now: dt.datetime | None = None) -> Table:
    """Evidence waiting for an expert, and suggested resources waiting for a coordinator."""
    now = now or timezone.now()
    evidence = Evidence.objects.filter(status=Evidence.Status.PENDING)
    if filters.region:
        evidence = evidence.filter(person__city__region_id=filters.region)
    if filters.organization_type:
        evidence = evidence.filter(person__organization__type=filters.organization_type)
    if filters.language:
        evidence = evidence.filter(person__languages=filters.language)
    rows = [
        _queue_row(
            _("Evidence for a skill level"),
            evidence.aggregate(n=Count("pk"), oldest=Min("created_at")),
            _url("curriculum:review_queue"),
            now,
        )
    ]
    pending = referrals_selectors.curation_queue().aggregate(
        n=Count("pk"), oldest=Min("created_at")
    )
    rows.append(_queue_row(_("Suggested resources"), pending, _url("referrals:curate"), now))
    return Table(
        "reviews",
        str(TABLES["reviews"]),
        _(
            "Waiting for a decision. Filters apply to evidence (by the person's region, organization "
            "and languages), not to suggested resources."
        ),
        [_("Queue"), _("Waiting"), _("Oldest since"), _("Days waiting")],
        rows,
        len(rows),
    )


def _queue_row(name: str, counts: dict, href: str, now: dt.datetime) -> Row:
    oldest = counts["oldest"]
    days = (now - oldest).days if oldest else 0
    flag = "bad" if days > 7 else ("warn" if counts["n"] else "")
    return Row(
        [name, counts["n"], timezone.localdate(oldest) if oldest else None, days], href, flag
    )


def questions_waiting(
    filters: Filters, *, now: dt.datetime | None = None, limit: int | None = LIMIT
) -> Table:
    now = now or timezone.now()
    columns = [_("Question"), _("Asked on"), _("Days waiting"), _("Language")]
    title, help_text = (
        str(TABLES["questions"]),
        _("Open questions nobody has answered for three days or more."),
    )
    questions = (
        Question.objects.filter(
            status=Question.Status.OPEN, created_at__lte=now - dt.timedelta(days=QUESTION_WAIT_DAYS)
        )
        .filter(~Exists(Answer.objects.filter(question_id=OuterRef("pk"))))
        .only("pk", "text", "created_at", "language")
        .order_by("created_at", "pk")
    )
    if filters.language:
        questions = questions.filter(language=filters.language)
    if filters.region:
        questions = questions.filter(asker__city__region_id=filters.region)
    if filters.organization_type:
        questions = questions.filter(asker__organization__type=filters.organization_type)
    items, total = _limited(questions, limit)
    rows = [
        Row(
            [q.text[:120], timezone.localdate(q.created_at), (now - q.created_at).days, q.language],
            _url("referrals:question", pk=q.pk),
            "bad" if (now - q.created_at).days > 2 * QUESTION_WAIT_DAYS else "warn",
        )
        for q in items
    ]
    return Table("questions", title, help_text, columns, rows, total)


def _past_registrations(filters: Filters, year: ProgramYear, now: dt.datetime) -> QuerySet:
    """Seats held at published trainings of the year that have started: who came, who did not."""
    start, _end = selectors.year_bounds(year)
    registrations = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        event__state__in=Event.PUBLISHED_STATES,
        event__starts_at__gte=start,
        event__starts_at__lt=now,
    )
    if filters.region:
        registrations = registrations.filter(event__city__region_id=filters.region)
    if filters.organization_type:
        registrations = registrations.filter(person__organization__type=filters.organization_type)
    if filters.language:
        registrations = registrations.filter(
            Exists(
                Event.languages.through.objects.filter(
                    event_id=OuterRef("event_id"), language_id=filters.language
                )
            )
        )
    return registrations


# The two no-show tables come from one aggregate per training (seats held, and who came),
# computed once per request and kept in the cache per data version: registrations and trainings
# move the version (apps.py), and a minute's limit covers trainings that start meanwhile and bulk
# writes that send no signals.
NO_SHOW_CACHE_SECONDS = 60


@dataclass(frozen=True)
class TrainingCounts:
    event_id: int
    title: str
    starts_at: dt.datetime
    region: str | None
    registered: int
    came: int

    @property
    def missed(self) -> int:
        return self.registered - self.came

    @property
    def rate(self) -> float:
        return self.missed / self.registered


def past_training_counts(
    filters: Filters, year: ProgramYear, now: dt.datetime
) -> list[TrainingCounts]:
    """Every past published training of the year with a seat held (two queries: the counts grouped
    by training only, then the trainings' titles, dates and regions)."""
    counts = (
        _past_registrations(filters, year, now)
        .values("event_id")
        .annotate(registered=Count("pk"), came=Count("pk", filter=Q(checked_in_at__isnull=False)))
        .order_by()
    )
    counts = {row["event_id"]: row for row in counts}
    if not counts:
        return []
    start, _end = selectors.year_bounds(year)
    events = (
        Event.objects.filter(
            state__in=Event.PUBLISHED_STATES, starts_at__gte=start, starts_at__lt=now
        )
        .values_list("pk", "title", "starts_at", "city__region_id")
        .order_by()
    )
    return [
        TrainingCounts(pk, title, starts_at, region, counts[pk]["registered"], counts[pk]["came"])
        for pk, title, starts_at, region in events
        if pk in counts
    ]


def _training_counts(
    filters: Filters, year: ProgramYear, now: dt.datetime, cached: bool
) -> list[TrainingCounts]:
    if not cached:
        return past_training_counts(filters, year, now)
    key = (
        f"goals:no-shows:{year.pk}:{year.updated_at.isoformat()}:{filters.region}:"
        f"{filters.organization_type}:{filters.language}:{data_version()}"
    )
    result = cache.get(key)
    if result is None:
        result = past_training_counts(filters, year, now)
        cache.set(key, result, NO_SHOW_CACHE_SECONDS)
    return result


def no_shows_by_region(
    filters: Filters,
    year: ProgramYear,
    *,
    now: dt.datetime | None = None,
    counts: list[TrainingCounts] | None = None,
) -> Table:
    now = now or timezone.now()
    names = selectors.region_names()
    if counts is None:
        counts = past_training_counts(filters, year, now)
    by_region: dict = {}
    for training in counts:
        totals = by_region.setdefault(training.region, [0, 0, 0])
        totals[0] += 1
        totals[1] += training.registered
        totals[2] += training.came
    rows = []
    for region in sorted(by_region, key=lambda region: (region is None, region or "")):
        trainings, registered, came = by_region[region]
        missed = registered - came
        rate = _rate(missed, registered)
        rows.append(
            Row(
                [names.get(region, region), trainings, registered, came, missed, rate],
                _url("events:list") + f"?region={region}",
                "bad" if rate >= 30 else ("warn" if rate >= 15 else ""),
            )
        )
    return Table(
        "no-shows",
        str(TABLES["no-shows"]),
        _(
            "Registered for a past training of this year and not checked in. Reminders and a "
            "confirmation step at upcoming trainings bring the rate down."
        ),
        [
            _("Region"),
            _("Past trainings"),
            pgettext("count of people", "Registered"),
            _("Came"),
            _("No-shows"),
            _("No-show rate (%)"),
        ],
        rows,
        len(rows),
    )


def no_show_trainings(
    filters: Filters,
    year: ProgramYear,
    *,
    now: dt.datetime | None = None,
    limit: int | None = WORST_EVENTS,
    counts: list[TrainingCounts] | None = None,
) -> Table:
    now = now or timezone.now()
    if counts is None:
        counts = past_training_counts(filters, year, now)
    ordered = sorted(counts, key=lambda t: (-t.rate, -t.missed, t.event_id))
    items = ordered if limit is None else ordered[:limit]
    rows = [
        Row(
            [
                t.title,
                timezone.localdate(t.starts_at),
                t.registered,
                t.came,
                t.missed,
                _rate(t.missed, t.registered),
            ],
            _url("events:attendees", pk=t.event_id),
            "bad" if t.rate >= 0.3 else ("warn" if t.rate >= 0.15 else ""),
        )
        for t in items
    ]
    return Table(
        "no-show-trainings",
        str(TABLES["no-show-trainings"]),
        _("Each links to the training's attendee list."),
        [
            _("Training"),
            _("Date"),
            pgettext("count of people", "Registered"),
            _("Came"),
            _("No-shows"),
            _("No-show rate (%)"),
        ],
        rows,
        len(ordered),
    )


TABLES_CACHE_SECONDS = 60


def dashboard_tables(
    filters: Filters,
    year: ProgramYear,
    *,
    limit: int | None = LIMIT,
    now: dt.datetime | None = None,
) -> dict[str, Table]:
    """Every table, cached per data and dashboard version (apps.py) for a minute at most, unless
    ``now`` is given; the no-show counts are shared by two tables and cached per data version."""
    if now is not None:
        return _dashboard_tables(filters, year, limit=limit, now=now, cached=False)
    key = (
        f"goals:dashboard:{translation.get_language()}:{year.pk}:{year.updated_at.isoformat()}:"
        f"{filters.region}:{filters.organization_type}:{filters.language}:{limit}:"
        f"{data_version()}:{dashboard_version()}"
    )
    tables = cache.get(key)
    if tables is None:
        tables = _dashboard_tables(filters, year, limit=limit, now=timezone.now(), cached=True)
        cache.set(key, tables, TABLES_CACHE_SECONDS)
    return tables


def _dashboard_tables(
    filters: Filters, year: ProgramYear, *, limit: int | None, now: dt.datetime, cached: bool
) -> dict[str, Table]:
    counts = _training_counts(filters, year, now, cached)
    return {
        "hosts": hosts_without_date(filters, now=now, limit=limit),
        "trainers": trainings_missing_trainers(filters, now=now, limit=limit),
        "experts": expert_load(filters, year, limit=limit),
        "reviews": reviews_waiting(filters, now=now),
        "questions": questions_waiting(filters, now=now, limit=limit),
        "no-shows": no_shows_by_region(filters, year, now=now, counts=counts),
        "no-show-trainings": no_show_trainings(
            filters, year, now=now, limit=WORST_EVENTS if limit is not None else None, counts=counts
        ),
    }


def table(
    slug: str, filters: Filters, year: ProgramYear, *, now: dt.datetime | None = None
) -> Table:
    """One whole table (no row limit), for the CSV export."""
    builders = {
        "hosts": lambda: hosts_without_date(filters, now=now, limit=None),
        "trainers": lambda: trainings_missing_trainers(filters, now=now, limit=None),
        "experts": lambda: expert_load(filters, year, limit=None),
        "reviews": lambda: reviews_waiting(filters, now=now),
        "questions": lambda: questions_waiting(filters, now=now, limit=None),
        "no-shows": lambda: no_shows_by_region(filters, year, now=now),
        "no-show-trainings": lambda: no_show_trainings(filters, year, now=now, limit=None),
    }
    return builders[slug]()
