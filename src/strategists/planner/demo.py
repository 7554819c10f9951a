"""A planning year for the demo program: rules, region limits, a movement calendar of real
public dates, one finished plan, and trainer requests for expert@example.org."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from strategists.accounts.models import Region, User
from strategists.events.models import Event
from strategists.planner import export, services, staffing
from strategists.planner.models import PlanningYear, PlanRun

DEMO_NAME = "Year tour (demo)"
DEMO_TIME_LIMIT = 4.0
EXPERT_EMAIL = "expert@example.org"
US = [
    "new-england",
    "mid-atlantic",
    "east-north-central",
    "west-north-central",
    "south-atlantic",
    "east-south-central",
    "west-south-central",
    "mountain",
    "pacific",
]
CANADA = ["canada-west", "canada-east"]


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th (1-based; -1 = last) given weekday (Monday = 0) of a month."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def movement_calendar(year: int) -> list[dict]:
    """Public dates the labor movement plans around, for one calendar year."""
    thanksgiving = _nth_weekday(year, 11, 3, 4)
    return [
        {
            "name": "Martin Luther King Jr. Day",
            "start": _nth_weekday(year, 1, 0, 3),
            "days": 0,
            "regions": US,
            "buffer": 1,
        },
        {"name": "May Day", "start": dt.date(year, 5, 1), "days": 0, "regions": [], "buffer": 1},
        {
            "name": "AFL-CIO Convention",
            "start": _nth_weekday(year, 6, 6, 2),
            "days": 4,
            "regions": [],
            "buffer": 3,
        },
        {
            "name": "Juneteenth",
            "start": dt.date(year, 6, 19),
            "days": 0,
            "regions": US,
            "buffer": 0,
        },
        {
            "name": "Canada Day",
            "start": dt.date(year, 7, 1),
            "days": 0,
            "regions": CANADA,
            "buffer": 1,
        },
        {
            "name": "Netroots Nation",
            "start": _nth_weekday(year, 7, 3, 3),
            "days": 2,
            "regions": [],
            "buffer": 2,
        },
        {
            "name": "Labor Day",
            "start": _nth_weekday(year, 9, 0, 1),
            "days": 0,
            "regions": [],
            "buffer": 2,
        },
        {
            "name": "Thanksgiving (Canada)",
            "start": _nth_weekday(year, 10, 0, 2),
            "days": 0,
            "regions": CANADA,
            "buffer": 1,
        },
        {"name": "Thanksgiving", "start": thanksgiving, "days": 3, "regions": US, "buffer": 1},
        {
            "name": "Winter holidays",
            "start": dt.date(year, 12, 23),
            "days": 10,
            "regions": [],
            "buffer": 0,
        },
    ]


def _start_date() -> dt.date:
    """The demo's first upcoming training date, so the approved trainings sit on slots."""
    now = timezone.now()
    first = (
        Event.objects.filter(state=Event.State.APPROVED, starts_at__gte=now)
        .order_by("starts_at")
        .first()
    )
    if first is not None:
        return staffing.local_day(first)
    today = timezone.localdate()
    return today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)


def _setup_year(log) -> PlanningYear:
    year = PlanningYear.objects.filter(name=DEMO_NAME).first()
    if year is not None:
        log(f"planning year {year.name!r} already there")
        return year
    year = services.year_create(
        by=None,
        name=DEMO_NAME,
        start_date=_start_date(),
        slots=26,
        cadence_days=14,
        trainers_min=2,
        trainers_max=3,
        reach_decay_km=150,
        reach_radius_km=450,
        trainer_max_km=2000,
        travel_weight=0.01,
        no_consecutive_region=False,
    )
    regions = {region.id: region for region in Region.objects.all()}
    services.region_limits_set(year=year, limits=[(region, 0, 6) for region in regions.values()])
    first, last = year.start_date, year.end_date
    for calendar_year in range(first.year, last.year + 1):
        for item in movement_calendar(calendar_year):
            end = item["start"] + dt.timedelta(days=item["days"])
            if end < first or item["start"] > last:
                continue
            services.calendar_entry_add(
                year=year,
                name=item["name"],
                start=item["start"],
                end=end,
                regions=[regions[r] for r in item["regions"] if r in regions],
                buffer_days=item["buffer"],
            )
    log(
        f"planning year from {first} to {last}, {year.calendar.count()} dates on the movement calendar"
    )
    return year


def _plan(year: PlanningYear, log) -> PlanRun | None:
    done = year.runs.filter(status=PlanRun.Status.DONE).first()
    if done is not None:
        return done
    run = services.run_start(year=year, by=None, time_limit=DEMO_TIME_LIMIT, enqueue=False)
    run = services.run_execute(run_id=run.pk)
    log(f"plan: {run.message}")
    return run if run.status == PlanRun.Status.DONE else None


def _expert_requests(run: PlanRun | None, log) -> None:
    expert = User.objects.filter(email=EXPERT_EMAIL).first()
    if expert is None or not hasattr(expert, "expert_profile"):
        return
    mine = export.trainer_id(expert.pk)
    wanted = [
        export.parse_id(e["host"], "event")
        for e in (run.plan["events"] if run and run.plan else [])
        if mine in e["trainers"]
    ]
    upcoming = (
        Event.objects.filter(state=Event.State.APPROVED, starts_at__gte=timezone.now())
        .select_related("city")
        .order_by("starts_at")
    )
    home = expert.expert_profile.home_city
    near = sorted(
        upcoming,
        key=lambda e: (
            (e.city.latitude - home.latitude) ** 2 + (e.city.longitude - home.longitude) ** 2
        ),
    )
    wanted += [event.pk for event in near[:3]]
    asked = 0
    for event in Event.objects.filter(pk__in=wanted[:3]).order_by("starts_at"):
        asked += staffing.request_trainer(event, expert) is not None
    log(f"{asked} new trainer requests for {EXPERT_EMAIL}")


@transaction.atomic
def build(*, log=print, seed: int = 1000) -> None:
    year = _setup_year(log)
    run = _plan(year, log)
    _expert_requests(run, log)
