"""Reads for the progress page and the constituency targets, shared by views and the forecast.

The program year, the certified count by day, the pipeline by stage and region, trainings on the
map, targets against people recruited, trained and certified."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from strategists.accounts.constants import REGIONS, OrganizationType
from strategists.accounts.models import Organization, SkillArea, User
from strategists.curriculum.models import Certification, Evidence
from strategists.events.models import Event, Registration
from strategists.goals.models import ConstituencyTarget, ProgramYear

UNKNOWN_REGION = ""
STAGES = ("registered", "attended", "level1", "level2", "certified")


def stage_labels() -> dict[str, str]:
    return {
        "registered": pgettext("count of people", "Registered"),
        "attended": _("Attended a training"),
        "level1": _("L1 in every area"),
        "level2": _("L2 in every area"),
        "certified": pgettext("count of people", "Certified"),
    }


def region_names() -> dict[str, str]:
    names = {region_id: str(name) for region_id, name, _country, _codes in REGIONS}
    names[UNKNOWN_REGION] = _("Region not known")
    return names


# The program year ---------------------------------------------------------------------------


def current_year(today: dt.date | None = None) -> ProgramYear | None:
    """The latest year that has started, else the first one; None when there is none (the data
    migration makes one; ``services.program_year_ensure`` makes one where a write belongs)."""
    today = today or timezone.localdate()
    years = list(ProgramYear.objects.order_by("starts_on", "pk"))
    started = [year for year in years if year.starts_on <= today]
    return started[-1] if started else (years[0] if years else None)


def year_bounds(year: ProgramYear) -> tuple[dt.datetime, dt.datetime]:
    """The year as an aware datetime range [start, end), so date filters can use indexes."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(year.starts_on, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(year.ends_on + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def year_events(year: ProgramYear) -> QuerySet[Event]:
    start, end = year_bounds(year)
    return Event.objects.filter(starts_at__gte=start, starts_at__lt=end)


def attended_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}checked_in_at__isnull": False})


def registered_q(prefix: str = "") -> Q:
    """Held a seat, or came: waitlisted and cancelled registrations are not in the pipeline."""
    statuses = (Registration.Status.REGISTERED, Registration.Status.OFFERED)
    return Q(**{f"{prefix}status__in": statuses}) | attended_q(prefix)


def certified_in_year(year: ProgramYear) -> QuerySet[Certification]:
    start, end = year_bounds(year)
    return Certification.objects.filter(
        status=Certification.Status.CERTIFIED, certified_at__gte=start, certified_at__lt=end
    )


def everywhere_people(level: int) -> QuerySet:
    """Ids of people with approved evidence at ``level`` or above in every skill area."""
    areas = SkillArea.objects.count() or 10
    return (
        Evidence.objects.filter(status=Evidence.Status.APPROVED, competency__level__gte=level)
        .values("person_id")
        .annotate(areas=Count("competency__area_id", distinct=True))
        .filter(areas__gte=areas)
        .values("person_id")
    )


# The burn-up -------------------------------------------------------------------------------


def certified_by_day(year: ProgramYear) -> list[tuple[dt.date, int]]:
    """(day, newly certified that day) for the program year, in day order."""
    by_day: dict[dt.date, int] = defaultdict(int)
    for when in certified_in_year(year).values_list("certified_at", flat=True):
        by_day[timezone.localdate(when)] += 1
    return sorted(by_day.items())


def cumulative(
    days: list[tuple[dt.date, int]], start: dt.date, until: dt.date
) -> list[tuple[dt.date, int]]:
    """Running total for every day from ``start`` to ``until``."""
    counts = dict(days)
    total, rows, day = 0, [], start
    while day <= until:
        total += counts.get(day, 0)
        rows.append((day, total))
        day += dt.timedelta(days=1)
    return rows


# The pipeline ------------------------------------------------------------------------------


def _region_of(prefix: str = ""):
    return Coalesce(f"{prefix}city__region_id", f"{prefix}organization__region_id")


def pipeline_by_region(year: ProgramYear) -> dict[str, dict[str, int]]:
    """{region id: {stage: people}}; each stage counts people who reached it (five queries).

    People are counted once each with a semi-join (``EXISTS``) rather than ``COUNT(DISTINCT)``
    over every registration: at 500,000 registrations that is four times faster."""
    start, end = year_bounds(year)

    def count(rows, key="n"):
        return {row["region"] or UNKNOWN_REGION: row[key] for row in rows}

    def people_who(condition: Q):
        # A join on the training, not ``event_id IN (...)``: without statistics SQLite would
        # probe the (event, person) index once per training for every person.
        came = Registration.objects.filter(
            condition,
            person_id=OuterRef("pk"),
            event__state__in=Event.PUBLISHED_STATES,
            event__starts_at__gte=start,
            event__starts_at__lt=end,
        )
        return count(
            User.objects.filter(Exists(came))
            .values(region=_region_of())
            .annotate(n=Count("pk"))
            .order_by()
        )

    stages = {
        "registered": people_who(registered_q()),
        "attended": people_who(attended_q()),
        "level1": count(
            User.objects.filter(pk__in=Subquery(everywhere_people(1)))
            .values(region=_region_of())
            .annotate(n=Count("pk"))
            .order_by()
        ),
        "level2": count(
            User.objects.filter(pk__in=Subquery(everywhere_people(2)))
            .values(region=_region_of())
            .annotate(n=Count("pk"))
            .order_by()
        ),
        "certified": count(
            certified_in_year(year)
            .values(region=_region_of("person__"))
            .annotate(n=Count("person_id"))
            .order_by()
        ),
    }
    regions = {
        region: {stage: stages[stage].get(region, 0) for stage in STAGES}
        for region in sorted({r for counts in stages.values() for r in counts})
    }
    return regions


def pipeline_rows(by_region: dict[str, dict[str, int]]) -> tuple[list[dict], dict[str, int]]:
    """Rows in the regions' usual order (unknown last) and the totals."""
    names = region_names()
    order = [region_id for region_id, *_rest in REGIONS] + [UNKNOWN_REGION]
    rows = [
        {"region": region, "name": names.get(region, region), **by_region[region]}
        for region in order
        if region in by_region
    ]
    totals = {stage: sum(row[stage] for row in rows) for stage in STAGES}
    return rows, totals


# The map -----------------------------------------------------------------------------------


def training_points(year: ProgramYear, now: dt.datetime | None = None) -> list[dict]:
    """Published trainings of the year, one point per city and kind (held or planned)."""
    now = now or timezone.now()
    rows = (
        year_events(year)
        .filter(state__in=Event.PUBLISHED_STATES)
        .values(
            "city_id", "city__name", "city__subdivision_id", "city__latitude", "city__longitude"
        )
        .annotate(
            held=Count("pk", filter=Q(starts_at__lt=now)),
            planned=Count("pk", filter=Q(starts_at__gte=now, state=Event.State.APPROVED)),
            region=Coalesce("city__region_id", "city__subdivision__region_id"),
        )
        .order_by("city__name", "city_id")
    )
    points = []
    for row in rows:
        place = f"{row['city__name']}, {row['city__subdivision_id']}"
        for kind, label in (
            ("held", ngettext("%(count)d training held", "%(count)d trainings held", row["held"])),
            (
                "planned",
                ngettext(
                    "%(count)d training planned", "%(count)d trainings planned", row["planned"]
                ),
            ),
        ):
            if row[kind]:
                points.append(
                    {
                        "lat": row["city__latitude"],
                        "lon": row["city__longitude"],
                        "label": f"{place} · {label % {'count': row[kind]}}",
                        "href": f"/trainings/?region={row['region']}" if kind == "planned" else "",
                        "kind": kind,
                        "city": place,
                        "count": row[kind],
                    }
                )
    return points


# Constituency targets ----------------------------------------------------------------------


@dataclass
class ConstituencyRow:
    target: ConstituencyTarget
    recruited: int = 0
    trained: int = 0
    certified: int = 0

    @property
    def gap(self) -> int:
        return max(self.target.target - self.certified, 0)

    def flag(self, value: int) -> str:
        if value >= self.target.target:
            return "ok"
        return "bad" if value < self.target.target / 2 else "warn"

    @property
    def flags(self) -> dict[str, str]:
        return {key: self.flag(getattr(self, key)) for key in ("recruited", "trained", "certified")}


@dataclass
class Unreached:
    organization_type: str
    label: str
    organizations: list = field(default_factory=list)


def constituency_rows(year: ProgramYear) -> list[ConstituencyRow]:
    """Every target of the year against the people of that organization type and role (2 queries:
    recruited and certified in one, trained in another, where ``EXISTS`` in the WHERE clause is a
    semi-join; in an aggregate it would run once per person)."""
    targets = list(year.targets.all())
    if not targets:
        return []
    start, end = year_bounds(year)
    people = User.objects.filter(
        organization__type__in={t.organization_type for t in targets},
        role__in={t.role for t in targets},
    )
    counts = (
        people.values("organization__type", "role")
        .annotate(
            recruited=Count("pk"),
            certified=Count(
                "pk",
                filter=Q(
                    certification__status=Certification.Status.CERTIFIED,
                    certification__certified_at__gte=start,
                    certification__certified_at__lt=end,
                ),
            ),
        )
        .order_by()
    )
    attended = Registration.objects.filter(
        attended_q(),
        person_id=OuterRef("pk"),
        event__starts_at__gte=start,
        event__starts_at__lt=end,
    )
    trained = {
        (row["organization__type"], row["role"]): row["n"]
        for row in people.filter(Exists(attended))
        .values("organization__type", "role")
        .annotate(n=Count("pk"))
        .order_by()
    }
    by_key = {(row["organization__type"], row["role"]): row for row in counts}
    rows = []
    for target in targets:
        key = (target.organization_type, target.role)
        row = by_key.get(key, {})
        rows.append(
            ConstituencyRow(
                target, row.get("recruited", 0), trained.get(key, 0), row.get("certified", 0)
            )
        )
    return rows


def unreached_organizations(year: ProgramYear, types) -> list[Unreached]:
    """Organizations of these types where nobody has attended a training this year yet (1 query)."""
    start, end = year_bounds(year)
    reached = Registration.objects.filter(
        attended_q(),
        person__organization_id=OuterRef("pk"),
        event__starts_at__gte=start,
        event__starts_at__lt=end,
    )
    groups = {t: Unreached(t, str(OrganizationType(t).label)) for t in sorted(set(types))}
    for organization in (
        Organization.objects.filter(type__in=groups)
        .filter(~Exists(reached))
        .only("pk", "name", "type")
        .order_by("type", "name")
    ):
        groups[organization.type].organizations.append(organization)
    return list(groups.values())
