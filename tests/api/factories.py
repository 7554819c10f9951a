import datetime as dt

import factory
from django.utils import timezone

from strategists.events.models import Event, Registration
from tests.factories import OrganizationFactory, UserFactory, city


def in_days(days: int) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)


class EventFactory(factory.django.DjangoModelFactory):
    """A published (approved) training a month from now, in Detroit."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Digital organizing {n}")
    description = "Lists, texts and security for local unions."
    state = Event.State.APPROVED
    starts_at = factory.LazyFunction(lambda: in_days(30))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + dt.timedelta(hours=6))
    timezone = "America/Detroit"
    city = factory.LazyFunction(city)
    venue = "Union hall"
    address = "2211 Trumbull Ave"
    capacity = 20

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        self.languages.set(extracted or ["en"])

    @factory.post_generation
    def skill_areas(self, create, extracted, **kwargs):
        if extracted:
            self.skill_areas.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(UserFactory)
    status = Registration.Status.REGISTERED
    source = Registration.Source.WEB
