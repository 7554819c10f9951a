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

    name = factory.Sequence(lambda n: f"Local {n + 100}")
    slug = factory.Sequence(lambda n: f"local-{n + 100}")
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

    @factory.post_generation
    def skill_areas(self, create, extracted, **kwargs):
        self.skill_areas.set(extracted or SkillArea.objects.filter(id__in=["email-and-lists", "digital-security"]))

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        self.languages.set(extracted or ["en"])
