"""The live program's planning data as a FORMAT.md instance.

Hosts are trainings: a proposal with a window of dates offers that window, an approved (or
proposed) training with a fixed date offers that date; it needs its skill areas. Trainers are
active expert profiles. Demand is people per city: each active person counts in their own city,
or in their organization's city when they gave none.
"""

import datetime as dt
import zoneinfo

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from strategists.accounts.models import City, ExpertProfile, Region, SkillArea, User
from strategists.events.models import Event
from strategists.planner.models import PlanningYear

PLANNED_STATES = (Event.State.PROPOSED, Event.State.CHANGES_REQUESTED, Event.State.APPROVED)


def host_id(event_pk: int) -> str:
    return f"event-{event_pk}"


def trainer_id(user_pk: int) -> str:
    return f"trainer-{user_pk}"


def parse_id(text: str, prefix: str) -> int | None:
    head, _, number = str(text).rpartition("-")
    return int(number) if head == prefix and number.isdigit() else None


def _iso(day: dt.date) -> str:
    return day.isoformat()


def event_window(event: Event) -> tuple[dt.date, dt.date] | None:
    """The dates a training can be planned on: its own date once approved, else its window."""
    dated = event.starts_at is not None
    if dated and (event.state == Event.State.APPROVED or event.window_start is None):
        day = event.starts_at.astimezone(zoneinfo.ZoneInfo(event.timezone)).date()
        return day, day
    if event.window_start and event.window_end:
        return event.window_start, event.window_end
    return None


def planned_events(year: PlanningYear) -> list[tuple[Event, tuple[dt.date, dt.date]]]:
    """Trainings that offer a date inside the year, with the window each offers."""
    first, last = year.start_date, year.end_date
    candidates = (
        Event.objects.filter(state__in=PLANNED_STATES)
        .filter(
            Q(starts_at__isnull=False) | Q(window_start__isnull=False, window_end__isnull=False)
        )
        .select_related("organization", "city")
        .prefetch_related("skill_areas")
        .order_by("pk")
    )
    out = []
    for event in candidates:
        window = event_window(event)
        if window and window[0] <= last and window[1] >= first:
            out.append((event, window))
    return out


def demand_by_city() -> dict[int, int]:
    rows = (
        User.objects.filter(is_active=True)
        .annotate(place=Coalesce("city_id", "organization__city_id"))
        .filter(place__isnull=False)
        .values("place")
        .annotate(people=Count("pk"))
        .order_by()
    )
    return {row["place"]: row["people"] for row in rows}


def _trainers(year: PlanningYear) -> list[dict]:
    profiles = (
        ExpertProfile.objects.filter(is_active=True, user__is_active=True)
        .select_related("user")
        .prefetch_related("skill_areas")
        .order_by("user_id")
    )
    trainers = []
    for profile in profiles:
        start = profile.available_from or year.start_date
        end = profile.available_until or year.end_date
        topics = [
            area.id for area in sorted(profile.skill_areas.all(), key=lambda a: (a.position, a.id))
        ]
        trainers.append(
            {
                "id": trainer_id(profile.user_id),
                "name": profile.user.name,
                "city": str(profile.home_city_id),
                "topics": topics,
                "available": [{"start": _iso(start), "end": _iso(end)}] if start <= end else [],
                "max_events": profile.max_trainings_per_year,
            }
        )
    return trainers


def build_instance(year: PlanningYear) -> dict:
    """The FORMAT.md instance for ``year`` from what is in the database now."""
    limits = {limit.region_id: limit for limit in year.region_limits.all()}
    regions = [
        {
            "id": region.id,
            "min_events": limits[region.id].min_events if region.id in limits else 0,
            "max_events": limits[region.id].max_events if region.id in limits else year.slots,
        }
        for region in Region.objects.order_by("position", "id")
    ]
    hosts = []
    for event, (start, end) in planned_events(year):
        areas = sorted(event.skill_areas.all(), key=lambda a: (a.position, a.id))
        hosts.append(
            {
                "id": host_id(event.pk),
                "organization": event.organization.name,
                "city": str(event.city_id),
                "windows": [{"start": _iso(start), "end": _iso(end)}],
                "topics_needed": [area.id for area in areas],
            }
        )
    trainers = _trainers(year)
    demand = demand_by_city()
    wanted = {pk for pk, people in demand.items() if people > 0}
    wanted |= {int(h["city"]) for h in hosts} | {int(t["city"]) for t in trainers}
    cities = [
        {
            "id": str(city.pk),
            "name": str(city),
            "region": city.region_id,
            "lat": city.latitude,
            "lon": city.longitude,
            "demand": demand.get(city.pk, 0),
        }
        for city in City.objects.filter(pk__in=wanted).select_related("subdivision").order_by("pk")
    ]
    conflicts = [
        {
            "name": entry.name,
            "start": _iso(entry.start),
            "end": _iso(entry.end),
            "regions": sorted(region.pk for region in entry.regions.all()),
            "buffer_days": entry.buffer_days,
        }
        for entry in year.calendar.prefetch_related("regions").order_by("start", "pk")
    ]
    return {
        "name": year.name,
        "start_date": _iso(year.start_date),
        "slots": year.slots,
        "cadence_days": year.cadence_days,
        "topics": list(SkillArea.objects.order_by("position", "id").values_list("id", flat=True)),
        "regions": regions,
        "cities": cities,
        "hosts": hosts,
        "conflicts": conflicts,
        "trainers": trainers,
        "rules": {
            "trainers_min": year.trainers_min,
            "trainers_max": year.trainers_max,
            "reach_decay_km": year.reach_decay_km,
            "reach_radius_km": year.reach_radius_km,
            "trainer_max_km": year.trainer_max_km,
            "travel_weight": year.travel_weight,
            "no_consecutive_region": year.no_consecutive_region,
        },
    }
