import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from strategists.accounts.constants import OrganizationType, Role
from strategists.accounts.models import City, ExpertProfile, Organization, SkillArea, User

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = None


def password_hash() -> str:
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = make_password(PASSWORD)
    return _PASSWORD_HASH


def city(name="Detroit", code="MI") -> City:
    return City.objects.filter(name=name, subdivision_id=code).order_by("-population").first()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    # Far from the test world's "Local 1001" and "Local 2002": a long run reached them.
    name = factory.Sequence(lambda n: f"Local {n + 10_000}")
    slug = factory.Sequence(lambda n: f"local-{n + 10_000}")
    type = OrganizationType.LOCAL_UNION
    city = factory.LazyFunction(city)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.net")
    name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.LazyFunction(password_hash)
    email_verified_at = factory.LazyFunction(timezone.now)
    city = factory.LazyFunction(city)
    role = Role.ORGANIZER


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    home_city = factory.LazyFunction(city)
    is_active = True  # an approved expert; applications are made with the services

    @factory.post_generation
    def skill_areas(self, create, extracted, **kwargs):
        self.skill_areas.set(
            extracted or SkillArea.objects.filter(id__in=["email-and-lists", "digital-security"])
        )
        if self.is_active:
            self.approved_areas.set(self.skill_areas.all())

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        self.languages.set(extracted or ["en"])


class EventFactory(factory.django.DjangoModelFactory):
    """An approved training in Detroit a month from now, 6 hours long, 20 seats."""

    class Meta:
        model = "events.Event"
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Digital organizing training {n}")
    description = "Lists, texts and security for local unions."
    state = "approved"
    city = factory.LazyFunction(city)
    timezone = factory.LazyAttribute(lambda o: o.city.timezone)
    starts_at = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) + timezone.timedelta(days=30)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timezone.timedelta(hours=6))
    capacity = 20
    venue = "Union hall"
    address = "2211 Trumbull Ave"

    @factory.post_generation
    def skill_areas(self, create, extracted, **kwargs):
        self.skill_areas.set(extracted or ["email-and-lists", "digital-security"])

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        self.languages.set(extracted or ["en"])

    @factory.post_generation
    def schedule(self, create, extracted, **kwargs):
        from strategists.events.timing import reminder_due

        if self.starts_at:
            type(self).objects.filter(pk=self.pk).update(
                reminder_due_at=reminder_due(self.starts_at, self.timezone)
            )
            self.refresh_from_db(fields=["reminder_due_at"])
