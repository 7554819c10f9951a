"""A completed training with attendees, a no-show and a trainer, for the surveys' tests."""

import re

from django.utils import timezone

from strategists.common.models import OutgoingMail
from strategists.events import registration_services, services
from strategists.events.models import TrainerAssignment
from tests.factories import EventFactory, UserFactory

AREAS = ["email-and-lists", "digital-security"]


def held_training(organization, *, attendees=(), no_shows=(), trainers=(), **fields):
    """An approved training that began two hours ago, people registered, some checked in."""
    starts = timezone.now().replace(microsecond=0) - timezone.timedelta(hours=2)
    event = EventFactory(
        organization=organization,
        starts_at=starts,
        ends_at=starts + timezone.timedelta(hours=6),
        skill_areas=AREAS,
        **fields,
    )
    for person in [*attendees, *no_shows]:
        registration = registration_services.registration_create(
            event=event, person=person
        ).registration
        if person in attendees:
            registration_services.check_in(registration=registration, by=None)
    for trainer in trainers:
        TrainerAssignment.objects.create(
            event=event, trainer=trainer, status=TrainerAssignment.Status.ACCEPTED
        )
    return event


def complete(event, by, areas=AREAS):
    return services.event_complete(event=event, by=by, taught_areas=areas)


def completed_training(organization, host, **kwargs):
    event = held_training(organization, **kwargs)
    complete(event, host)
    return event


def people(count, **fields):
    return [UserFactory(**fields) for _ in range(count)]


def survey_mail(person):
    return OutgoingMail.objects.filter(to=person.email, kind="survey")


def survey_token(person) -> str:
    """The token in the last survey link mailed to the person."""
    body = survey_mail(person).latest("pk").body
    return re.search(r"/survey/([\w-]+)/", body).group(1)
