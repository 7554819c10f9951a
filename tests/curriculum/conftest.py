import datetime as dt

import pytest
from django.utils import timezone

from strategists.accounts.models import SkillArea
from strategists.curriculum.models import Competency, Evidence
from strategists.events import registration_services as events_registration_services
from strategists.events import services as events
from tests.factories import city


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what services queue after commit (mail, credential issuing), as a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def competency(area: str, level: int) -> Competency:
    return Competency.objects.get(area_id=area, level=level)


def approved(person, area: str, level: int, *, by=None, kind=Evidence.Kind.SIGN_OFF) -> Evidence:
    return Evidence.objects.create(
        person=person,
        competency=competency(area, level),
        kind=kind,
        status=Evidence.Status.APPROVED,
        description="Demonstrated it.",
        reviewed_by=by,
        reviewed_at=timezone.now(),
    )


def pending(
    person, area="email-and-lists", level=2, *, kind=Evidence.Kind.WORK_SAMPLE, when=None
) -> Evidence:
    evidence = Evidence.objects.create(
        person=person,
        competency=competency(area, level),
        kind=kind,
        description="A site audit I ran.",
        link="https://example.net/audit",
    )
    if when is not None:
        Evidence.objects.filter(pk=evidence.pk).update(created_at=when)
    return evidence


def almost_certified(person, *, by=None, capstone=True) -> None:
    """L2 everywhere, L3 in two areas, and (unless told) an approved capstone: the default rule."""
    for area in SkillArea.objects.values_list("id", flat=True):
        approved(person, area, 2, by=by)
    approved(person, "web-and-cms", 3, by=by)
    approved(person, "digital-security", 3, by=by)
    if capstone:
        Evidence.objects.create(
            person=person,
            kind=Evidence.Kind.CAPSTONE,
            status=Evidence.Status.APPROVED,
            title="Plan",
            organization_name="Local 1001",
            description="Goals, metrics, budget.",
            link="https://example.net/plan",
            reviewed_by=by,
            reviewed_at=timezone.now(),
        )


def capstone(person) -> Evidence:
    return Evidence.objects.create(
        person=person,
        kind=Evidence.Kind.CAPSTONE,
        title="Plan for Local 1001",
        organization_name="Local 1001",
        description="Goals, metrics and a budget for the year.",
        link="https://example.net/plan",
    )


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def completed_training(
    *, host, coordinator, attendees, areas=("email-and-lists", "digital-security"), absent=()
):
    """A training arranged through the events services: proposed, approved, attended, completed."""
    event = events.event_propose(
        proposer=host,
        organization=host.hosted_organizations.first(),
        title="Email and security basics",
        starts_at=timezone.now() + dt.timedelta(hours=1),
        city=city(),
        capacity=20,
        languages=["en"],
        skill_areas=list(areas),
    )
    events.event_approve(event=event, by=coordinator)
    for person in [*attendees, *absent]:
        registration = events_registration_services.registration_create(
            event=event, person=person
        ).registration
        if person in attendees:
            events_registration_services.check_in(registration=registration)
    return events.event_complete(event=event, by=host, taught_areas=list(areas))
