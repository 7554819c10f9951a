"""Reads shared by the community's views, jobs and demo."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from strategists.accounts.models import Language, Region, SkillArea, User
from strategists.community.models import RegistryListing
from strategists.curriculum.models import Certification, Credential

# --- the registry ---------------------------------------------------------------------------------


def currently_certified() -> Q:
    """A person whose certification stands and whose certificate credential is not revoked:
    reversing the certification or revoking its credential removes them at once."""
    valid_certificate = Credential.objects.filter(
        person=OuterRef("pk"), kind=Credential.Kind.CERTIFICATE, revoked_at__isnull=True)
    return Q(is_active=True, certification__status=Certification.Status.CERTIFIED) & Q(Exists(valid_certificate))


def is_currently_certified(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return User.objects.filter(currently_certified(), pk=user.pk).exists()


def _area_credentials() -> Prefetch:
    return Prefetch("credentials", to_attr="registry_credentials", queryset=(
        Credential.objects.filter(revoked_at__isnull=True).select_related("competency__area")
        .defer("document").order_by("kind", "competency__area__position", "competency__level")))


def registry(*, area: str = "", region: str = "", language: str = "") -> QuerySet[User]:
    """People who opted in and are certified now, searchable by area, region and language."""
    people = User.objects.filter(currently_certified(), registry_listing__listed=True)
    if area:
        people = people.filter(Exists(Credential.objects.filter(
            person=OuterRef("pk"), kind=Credential.Kind.AREA_LEVEL, revoked_at__isnull=True,
            competency__area_id=area)))
    if region:
        people = people.filter(city__region_id=region)
    if language:
        people = people.filter(languages__code=language)
    return (people.select_related("registry_listing", "organization", "city__region", "city__subdivision")
            .prefetch_related("languages", _area_credentials()).distinct().order_by("name", "pk"))


def registry_person(pk: int) -> User:
    """One listed person, or DoesNotExist: someone not listed is as unknown as someone absent."""
    return registry().get(pk=pk)


def registry_areas(person: User) -> list:
    """The highest level a listed person holds in each area, from their valid credentials."""
    best = {}
    for credential in person.registry_credentials:
        if credential.competency_id:
            area = credential.competency.area
            best[area] = max(best.get(area, 0), credential.competency.level)
    return sorted(best.items(), key=lambda item: item[0].position)


def search_choices() -> dict:
    return {"areas": list(SkillArea.objects.order_by("position")), "regions": list(Region.objects.all()),
            "languages": list(Language.objects.all())}


def listing_for(user: User) -> RegistryListing | None:
    return RegistryListing.objects.filter(user=user).first()
