"""A small program to plan: three trainings, three trainers, one movement-calendar date.

Toronto (window) can only take 2027-03-06 (Labor Notes blocks Canada on 04-03), Chicago is
approved for 03-20, so Detroit (window) gets 04-03. Each training needs one topic and gets its
local trainer; Tara (Chicago) is free only from 03-10.
"""

import datetime as dt
from types import SimpleNamespace

from strategists.accounts.models import Region
from strategists.events.timing import local_to_utc
from strategists.planner import services
from tests.factories import (
    EventFactory,
    ExpertProfileFactory,
    OrganizationFactory,
    UserFactory,
    city,
)

WINDOW = {
    "starts_at": None,
    "ends_at": None,
    "window_start": dt.date(2027, 3, 1),
    "window_end": dt.date(2027, 4, 10),
}


def build_program(coordinator=None, *, with_year: bool = True) -> SimpleNamespace:
    detroit, chicago, toronto = city("Detroit", "MI"), city("Chicago", "IL"), city("Toronto", "ON")
    p = SimpleNamespace(detroit=detroit, chicago=chicago, toronto=toronto)
    p.coordinator = coordinator or UserFactory(
        name="Cleo Coordinator", email="cleo@program.test", is_coordinator=True, city=detroit
    )
    p.orgs, p.hosts = {}, {}
    for key, place in (("detroit", detroit), ("chicago", chicago), ("toronto", toronto)):
        org = OrganizationFactory(name=f"{place.name} Workers", slug=f"{key}-workers", city=place)
        host = UserFactory(
            name=f"{place.name} Host",
            email=f"host-{key}@program.test",
            city=place,
            organization=org,
        )
        org.hosts.add(host)
        p.orgs[key], p.hosts[key] = org, host
    p.detroit_event = EventFactory(
        organization=p.orgs["detroit"],
        proposed_by=p.hosts["detroit"],
        state="proposed",
        city=detroit,
        title="Lists in Detroit",
        skill_areas=["email-and-lists"],
        **WINDOW,
    )
    p.chicago_event = EventFactory(
        organization=p.orgs["chicago"],
        proposed_by=p.hosts["chicago"],
        city=chicago,
        title="Social in Chicago",
        skill_areas=["social-media"],
        starts_at=local_to_utc(dt.date(2027, 3, 20), dt.time(10), "America/Chicago"),
    )
    p.toronto_event = EventFactory(
        organization=p.orgs["toronto"],
        proposed_by=p.hosts["toronto"],
        state="proposed",
        city=toronto,
        title="Lists in Toronto",
        skill_areas=["email-and-lists"],
        **WINDOW,
    )
    # Not planned: cancelled, and outside the year.
    EventFactory(organization=p.orgs["detroit"], state="cancelled", city=detroit, **WINDOW)
    EventFactory(
        organization=p.orgs["chicago"],
        city=chicago,
        starts_at=local_to_utc(dt.date(2028, 5, 6), dt.time(10), "America/Chicago"),
    )
    p.tara = ExpertProfileFactory(
        user__name="Tara Trainer",
        user__email="tara@program.test",
        user__city=chicago,
        home_city=chicago,
        skill_areas=["email-and-lists", "social-media"],
        max_trainings_per_year=3,
        available_from=dt.date(2027, 3, 10),
    ).user
    p.bo = ExpertProfileFactory(
        user__name="Bo Trainer",
        user__email="bo@program.test",
        user__city=detroit,
        home_city=detroit,
        skill_areas=["email-and-lists", "social-media", "digital-security"],
        max_trainings_per_year=2,
    ).user
    p.cam = ExpertProfileFactory(
        user__name="Cam Trainer",
        user__email="cam@program.test",
        user__city=toronto,
        home_city=toronto,
        skill_areas=["email-and-lists"],
        max_trainings_per_year=1,
    ).user
    ExpertProfileFactory(
        user__email="resting@program.test", user__city=detroit, home_city=detroit, is_active=False
    )
    UserFactory(email="nocity@program.test", city=None, organization=p.orgs["toronto"])
    UserFactory(email="gone@program.test", city=chicago, is_active=False)
    if not with_year:
        return p
    p.year = services.year_create(
        by=p.coordinator,
        name="Tour 2027",
        start_date=dt.date(2027, 3, 6),
        slots=3,
        cadence_days=14,
        trainers_min=1,
        trainers_max=2,
        reach_decay_km=150.0,
        reach_radius_km=400.0,
        trainer_max_km=1000.0,
        travel_weight=0.01,
        no_consecutive_region=False,
    )
    services.region_limits_set(
        year=p.year, limits=[(Region.objects.get(pk="east-north-central"), 1, 2)]
    )
    services.calendar_entry_add(
        year=p.year,
        name="Labor Notes",
        start=dt.date(2027, 4, 2),
        end=dt.date(2027, 4, 4),
        regions=[Region.objects.get(pk="canada-east")],
        buffer_days=0,
    )
    return p
