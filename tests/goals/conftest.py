"""A small program built with factories and services, counted by hand in the tests."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.utils import timezone

from strategists.accounts.constants import OrganizationType, Role
from strategists.curriculum.models import Certification, Competency, Evidence
from strategists.events import registration_services as event_registration_services
from strategists.events.models import Event, TrainerAssignment
from strategists.goals import forecast_store, services
from strategists.goals.models import ProgramYear
from tests.factories import (
    EventFactory,
    ExpertProfileFactory,
    OrganizationFactory,
    UserFactory,
    city,
)

DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch):
    """The progress page is cached per data version; every test starts from an empty cache.
    Fewer simulations: these tests check the plumbing, test_forecast.py the model."""
    monkeypatch.setattr(forecast_store, "SIMULATIONS", 200)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def year(db) -> ProgramYear:
    """The current program year, set to have begun 100 days ago."""
    today = timezone.localdate()
    year = services.program_year_ensure()
    ProgramYear.objects.filter(pk=year.pk).update(
        starts_on=today - 100 * DAY, ends_on=today + 265 * DAY, target=1000
    )
    year.refresh_from_db()
    return year


def past_training(*, organization, people, came, days_ago=30, where=None, title=None) -> Event:
    """A training people registered for (through the service) that then took place: ``came``
    of them were checked in."""
    event = EventFactory(
        organization=organization, city=where or city(), **({"title": title} if title else {})
    )
    registrations = [
        event_registration_services.registration_create(event=event, person=person).registration
        for person in people
    ]
    for registration in registrations[:came]:
        event_registration_services.check_in(registration=registration)
    starts = timezone.now().replace(microsecond=0) - days_ago * DAY
    Event.objects.filter(pk=event.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=6), state=Event.State.COMPLETED
    )
    event.refresh_from_db()
    return event


def approve_evidence(person, level: int) -> None:
    """Approved evidence at ``level`` in every skill area."""
    now = timezone.now()
    Evidence.objects.bulk_create(
        [
            Evidence(
                person=person,
                competency=competency,
                kind=Evidence.Kind.SIGN_OFF,
                status=Evidence.Status.APPROVED,
                reviewed_at=now,
            )
            for competency in Competency.objects.filter(level=level)
        ]
    )


def certify(person, days_ago=5) -> Certification:
    return Certification.objects.create(person=person, certified_at=timezone.now() - days_ago * DAY)


def assign(event, trainer, status) -> TrainerAssignment:
    return TrainerAssignment.objects.create(event=event, trainer=trainer, status=status)


@dataclass
class Program:
    year: ProgramYear
    organizations: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    events: dict = field(default_factory=dict)
    experts: dict = field(default_factory=dict)


@pytest.fixture
def program(world, year) -> Program:
    """Two past trainings in Detroit and Seattle, three upcoming ones, hosts with and without a
    date, two experts, evidence and certifications; every number below is counted by hand."""
    seattle = city("Seattle", "WA")
    union = OrganizationFactory(
        name="Auto Workers Local 7", slug="uaw-7", type=OrganizationType.LOCAL_UNION
    )
    center = OrganizationFactory(
        name="Seattle Worker Center", slug="swc", type=OrganizationType.WORKER_CENTER, city=seattle
    )
    idle = OrganizationFactory(
        name="Idle Federation", slug="idle", type=OrganizationType.STATE_FEDERATION
    )
    for organization in (union, center, idle):
        organization.hosts.add(
            UserFactory(organization=organization, name=f"Host of {organization.name}")
        )
    # Local 1001 (the world's host organization) has no training either: it is listed too.
    webmasters = [
        UserFactory(name=f"Web {i}", organization=union, role=Role.WEBMASTER) for i in range(4)
    ]
    organizers = [
        UserFactory(name=f"Org {i}", organization=center, role=Role.ORGANIZER, city=seattle)
        for i in range(3)
    ]
    # Detroit: 4 registered, 3 came (Web 0-2), Web 3 did not. Seattle: 3 registered, 1 came.
    detroit_training = past_training(
        organization=union, people=webmasters, came=3, days_ago=60, title="Detroit 1"
    )
    seattle_training = past_training(
        organization=center,
        people=organizers,
        came=1,
        days_ago=20,
        where=seattle,
        title="Seattle 1",
    )
    # Web 0 certified (with L1 and L2 everywhere); Web 1 at L1 everywhere.
    approve_evidence(webmasters[0], 1)
    approve_evidence(webmasters[0], 2)
    approve_evidence(webmasters[1], 1)
    certify(webmasters[0], days_ago=10)
    # Pending evidence: two pieces from Detroit people.
    competency = Competency.objects.get(area_id="web-and-cms", level=2)
    for person in webmasters[2:4]:
        Evidence.objects.create(
            person=person,
            competency=competency,
            kind=Evidence.Kind.WORK_SAMPLE,
            description="A site",
        )
    staffed = EventFactory(organization=union, title="Staffed", starts_at=timezone.now() + 10 * DAY)
    short = EventFactory(
        organization=center, city=seattle, title="Short", starts_at=timezone.now() + 20 * DAY
    )
    empty = EventFactory(organization=union, title="Empty", starts_at=timezone.now() + 30 * DAY)
    busy = ExpertProfileFactory(user__name="Busy Expert", max_trainings_per_year=2).user
    calm = ExpertProfileFactory(user__name="Calm Expert", max_trainings_per_year=4).user
    assign(staffed, busy, "accepted")
    assign(staffed, calm, "accepted")
    assign(short, busy, "accepted")
    assign(short, calm, "requested")
    assign(detroit_training, busy, "accepted")
    assign(empty, calm, "declined")
    return Program(
        year=year,
        organizations={"union": union, "center": center, "idle": idle},
        people={"webmasters": webmasters, "organizers": organizers},
        events={
            "detroit": detroit_training,
            "seattle": seattle_training,
            "staffed": staffed,
            "short": short,
            "empty": empty,
        },
        experts={"busy": busy, "calm": calm, "world": world.expert},
    )
