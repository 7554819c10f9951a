"""Reads shared by the community's views, jobs and demo."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from strategists.accounts.models import Language, Region, SkillArea, User
from strategists.community.models import (
    Circle,
    CircleModerator,
    Membership,
    RegistryListing,
    Reply,
    Report,
    Thread,
)
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


# --- circles --------------------------------------------------------------------------------------

def circles(user) -> QuerySet[Circle]:
    """Every circle with its member count and, for a signed-in person, their membership state."""
    circles = Circle.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__state=Membership.State.ACTIVE)))
    if getattr(user, "is_authenticated", False):
        circles = circles.annotate(my_state=Subquery(
            Membership.objects.filter(circle=OuterRef("pk"), user=user).values("state")[:1]))
    return circles.order_by("kind", "name")


def circle_by_slug(slug: str) -> Circle:
    return Circle.objects.get(slug=slug)


def membership(circle: Circle, user) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(circle=circle, user=user).first()


def circle_threads(circle: Circle) -> QuerySet[Thread]:
    return (Thread.objects.filter(circle=circle).select_related("author")
            .annotate(reply_count=Count("replies", filter=Q(replies__hidden_at__isnull=True)))
            .order_by("-last_activity_at", "-pk"))


def thread_in(circle: Circle, pk: int) -> Thread:
    return Thread.objects.select_related("author", "circle", "hidden_by").get(circle=circle, pk=pk)


def thread_replies(thread: Thread) -> QuerySet[Reply]:
    return Reply.objects.filter(thread=thread).select_related("author", "hidden_by").order_by("created_at", "pk")


def pending_members(circle: Circle) -> QuerySet[Membership]:
    return Membership.objects.filter(circle=circle, state=Membership.State.PENDING).select_related("user")


def open_reports(circle: Circle) -> QuerySet[Report]:
    return (Report.objects.filter(thread__circle=circle, resolved_at__isnull=True)
            .select_related("reporter", "thread__author", "reply__author").order_by("created_at", "pk"))


def circle_moderators(circle: Circle) -> QuerySet[CircleModerator]:
    return (CircleModerator.objects.filter(circle=circle, revoked_at__isnull=True)
            .select_related("user", "granted_by").order_by("user__name", "pk"))


def circle_members(circle: Circle) -> QuerySet[User]:
    return User.objects.filter(is_active=True, circle_memberships__circle=circle,
                               circle_memberships__state=Membership.State.ACTIVE).order_by("name", "pk")


def digest_items(circle_ids, *, since, exclude_author) -> tuple[list[Thread], list[Reply]]:
    """What is new in these circles since a moment, not written by the reader, not hidden."""
    threads = list(Thread.objects.filter(circle_id__in=circle_ids, created_at__gt=since, hidden_at__isnull=True)
                   .exclude(author=exclude_author).select_related("circle", "author").order_by("circle__name", "pk"))
    replies = list(Reply.objects.filter(thread__circle_id__in=circle_ids, created_at__gt=since,
                                        hidden_at__isnull=True, thread__hidden_at__isnull=True)
                   .exclude(author=exclude_author).select_related("thread__circle", "author")
                   .order_by("thread__circle__name", "thread_id", "pk"))
    return threads, replies
