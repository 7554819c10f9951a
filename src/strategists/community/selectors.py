"""Reads shared by the community's views, jobs and demo."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from strategists.accounts.models import (
    ExpertProfile,
    Language,
    Organization,
    Region,
    SkillArea,
    User,
)
from strategists.community.core import matching
from strategists.community.models import (
    Circle,
    CircleModerator,
    Membership,
    MentorOffer,
    MentorRequest,
    Mentorship,
    Opportunity,
    RegistryListing,
    Reply,
    Report,
    Thread,
)
from strategists.curriculum import selectors as curriculum_selectors
from strategists.curriculum.models import Certification, Credential

# --- the registry ---------------------------------------------------------------------------------


def currently_certified() -> Q:
    """A person whose certification stands and whose certificate credential is not revoked:
    reversing the certification or revoking its credential removes them at once."""
    valid_certificate = Credential.objects.filter(
        person=OuterRef("pk"), kind=Credential.Kind.CERTIFICATE, revoked_at__isnull=True
    )
    return Q(is_active=True, certification__status=Certification.Status.CERTIFIED) & Q(
        Exists(valid_certificate)
    )


def is_currently_certified(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return User.objects.filter(currently_certified(), pk=user.pk).exists()


def _area_credentials() -> Prefetch:
    return Prefetch(
        "credentials",
        to_attr="registry_credentials",
        queryset=(
            Credential.objects.filter(revoked_at__isnull=True)
            .select_related("competency__area")
            .defer("document")
            .order_by("kind", "competency__area__position", "competency__level")
        ),
    )


def registry(*, area: str = "", region: str = "", language: str = "") -> QuerySet[User]:
    """People who opted in and are certified now, searchable by area, region and language."""
    people = User.objects.filter(currently_certified(), registry_listing__listed=True)
    if area:
        people = people.filter(
            Exists(
                Credential.objects.filter(
                    person=OuterRef("pk"),
                    kind=Credential.Kind.AREA_LEVEL,
                    revoked_at__isnull=True,
                    competency__area_id=area,
                )
            )
        )
    if region:
        people = people.filter(city__region_id=region)
    if language:
        people = people.filter(languages__code=language)
    return (
        people.select_related(
            "registry_listing", "organization", "city__region", "city__subdivision"
        )
        .prefetch_related("languages", _area_credentials())
        .distinct()
        .order_by("name", "pk")
    )


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
    return {
        "areas": list(SkillArea.objects.order_by("position")),
        "regions": list(Region.objects.all()),
        "languages": list(Language.objects.all()),
    }


def listing_for(user: User) -> RegistryListing | None:
    return RegistryListing.objects.filter(user=user).first()


# --- circles --------------------------------------------------------------------------------------


def circles(user) -> QuerySet[Circle]:
    """Every circle with its member count and, for a signed-in person, their membership state."""
    circles = Circle.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__state=Membership.State.ACTIVE))
    )
    if getattr(user, "is_authenticated", False):
        circles = circles.annotate(
            my_state=Subquery(
                Membership.objects.filter(circle=OuterRef("pk"), user=user).values("state")[:1]
            )
        )
    return circles.order_by("kind", "name")


def circles_of(user) -> QuerySet[Circle]:
    """The circles a person is an active member of."""
    return Circle.objects.filter(
        memberships__user=user, memberships__state=Membership.State.ACTIVE
    ).order_by("name")


def circle_by_slug(slug: str) -> Circle:
    return Circle.objects.get(slug=slug)


def membership(circle: Circle, user) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(circle=circle, user=user).first()


def circle_threads(circle: Circle) -> QuerySet[Thread]:
    return (
        Thread.objects.filter(circle=circle)
        .select_related("author")
        .annotate(reply_count=Count("replies", filter=Q(replies__hidden_at__isnull=True)))
        .order_by("-last_activity_at", "-pk")
    )


def thread_in(circle: Circle, pk: int) -> Thread:
    return Thread.objects.select_related("author", "circle", "hidden_by", "resource").get(
        circle=circle, pk=pk
    )


def threads_about(resource, user) -> QuerySet[Thread]:
    """The visible threads discussing a resource, in the circles this person may read."""
    threads = (
        Thread.objects.filter(resource=resource, hidden_at__isnull=True)
        .select_related("circle", "author")
        .order_by("-last_activity_at", "-pk")
    )
    if getattr(user, "is_coordinator", False):
        return threads
    readable = Q(circle__members_only=False)
    if getattr(user, "is_authenticated", False):
        readable |= Q(
            circle__memberships__user=user, circle__memberships__state=Membership.State.ACTIVE
        )
        readable |= Q(circle__moderators__user=user, circle__moderators__revoked_at__isnull=True)
    return threads.filter(readable).distinct()


def thread_replies(thread: Thread) -> QuerySet[Reply]:
    return (
        Reply.objects.filter(thread=thread)
        .select_related("author", "hidden_by")
        .order_by("created_at", "pk")
    )


def pending_members(circle: Circle) -> QuerySet[Membership]:
    return Membership.objects.filter(circle=circle, state=Membership.State.PENDING).select_related(
        "user"
    )


def open_reports(circle: Circle) -> QuerySet[Report]:
    return (
        Report.objects.filter(thread__circle=circle, resolved_at__isnull=True)
        .select_related("reporter", "thread__author", "reply__author")
        .order_by("created_at", "pk")
    )


def circle_moderators(circle: Circle) -> QuerySet[CircleModerator]:
    return (
        CircleModerator.objects.filter(circle=circle, revoked_at__isnull=True)
        .select_related("user", "granted_by")
        .order_by("user__name", "pk")
    )


def circle_members(circle: Circle) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        circle_memberships__circle=circle,
        circle_memberships__state=Membership.State.ACTIVE,
    ).order_by("name", "pk")


def digest_items(circle_ids, *, since, exclude_author) -> tuple[list[Thread], list[Reply]]:
    """What is new in these circles since a moment, not written by the reader, not hidden."""
    threads = list(
        Thread.objects.filter(
            circle_id__in=circle_ids, created_at__gt=since, hidden_at__isnull=True
        )
        .exclude(author=exclude_author)
        .select_related("circle", "author")
        .order_by("circle__name", "pk")
    )
    replies = list(
        Reply.objects.filter(
            thread__circle_id__in=circle_ids,
            created_at__gt=since,
            hidden_at__isnull=True,
            thread__hidden_at__isnull=True,
        )
        .exclude(author=exclude_author)
        .select_related("thread__circle", "author")
        .order_by("thread__circle__name", "thread_id", "pk")
    )
    return threads, replies


# --- mentoring ------------------------------------------------------------------------------------

STALLED_AFTER = dt.timedelta(days=14)
WAITING_AFTER = dt.timedelta(days=30)
DEFAULT_EXPERT_CAPACITY = 2


def may_mentor(user) -> bool:
    """Certified strategists and approved experts may offer mentoring."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_expert or is_currently_certified(user))
    )


def offer_for(user) -> MentorOffer | None:
    return MentorOffer.objects.filter(user=user).prefetch_related("areas").first()


def live_request(user) -> MentorRequest | None:
    return (
        MentorRequest.objects.filter(
            user=user, state__in=[MentorRequest.State.OPEN, MentorRequest.State.MATCHED]
        )
        .prefetch_related("areas")
        .first()
    )


def missing_areas(user) -> list[str]:
    """The areas below the level the certificate asks for: what a mentor could help with."""
    standing = curriculum_selectors.person_standing(user)
    needed = curriculum_selectors.certificate_rule().all_areas_level
    return [
        area
        for area in SkillArea.objects.order_by("position").values_list("id", flat=True)
        if standing.levels.get(area, 0) < needed
    ]


def _mentorships() -> QuerySet[Mentorship]:
    return (
        Mentorship.objects.select_related("mentor", "mentee", "request")
        .prefetch_related("areas")
        .order_by("-created_at", "-pk")
    )


def mentorships_of(user) -> QuerySet[Mentorship]:
    return (
        _mentorships()
        .filter(Q(mentor=user) | Q(mentee=user))
        .exclude(state=Mentorship.State.DECLINED)
    )


def mentorship_of(user, pk: int) -> Mentorship:
    """A pair the person is part of, or DoesNotExist."""
    return _mentorships().filter(Q(mentor=user) | Q(mentee=user)).get(pk=pk)


def current_mentorships() -> QuerySet[Mentorship]:
    return _mentorships().filter(state__in=[Mentorship.State.PROPOSED, Mentorship.State.ACTIVE])


def stalled_mentorships(*, now=None) -> QuerySet[Mentorship]:
    """Proposed two weeks ago and still not accepted by both."""
    now = now or timezone.now()
    return _mentorships().filter(
        state=Mentorship.State.PROPOSED, created_at__lt=now - STALLED_AFTER
    )


def waiting_requests(*, now=None) -> QuerySet[MentorRequest]:
    now = now or timezone.now()
    return (
        MentorRequest.objects.filter(
            state=MentorRequest.State.OPEN, created_at__lt=now - WAITING_AFTER
        )
        .select_related("user")
        .prefetch_related("areas")
        .order_by("created_at", "pk")
    )


def _region(user) -> str | None:
    return user.city.region_id if user.city_id else None


def matching_input() -> tuple[list[matching.Seeker], list[matching.Mentor], frozenset, dict]:
    """The open requests and the mentors with room, as plain values for the matching core."""
    requests = list(
        MentorRequest.objects.filter(state=MentorRequest.State.OPEN, user__is_active=True)
        .select_related("user__city")
        .prefetch_related("areas", "user__languages")
        .order_by("created_at", "pk")
    )
    load = dict(
        Mentorship.objects.filter(state__in=[Mentorship.State.PROPOSED, Mentorship.State.ACTIVE])
        .values("mentor")
        .annotate(n=Count("pk"))
        .values_list("mentor", "n")
    )
    certified = set(User.objects.filter(currently_certified()).values_list("pk", flat=True))
    mentors = []
    offers = (
        MentorOffer.objects.filter(active=True, user__is_active=True)
        .select_related("user__city", "user__expert_profile")
        .prefetch_related("areas", "user__languages")
    )
    offered = set()
    for offer in offers:
        offered.add(offer.user_id)
        if offer.user_id in certified or offer.user.is_expert:
            mentors.append(
                matching.Mentor(
                    id=offer.user_id,
                    person=offer.user_id,
                    areas=frozenset(a.pk for a in offer.areas.all()),
                    capacity=offer.capacity,
                    load=load.get(offer.user_id, 0),
                    region=_region(offer.user),
                    languages=frozenset(lang.pk for lang in offer.user.languages.all()),
                )
            )
    # Experts who said they mentor on their profile, without a separate offer: their approved areas.
    for profile in (
        ExpertProfile.objects.filter(is_active=True, mentors=True, user__is_active=True)
        .exclude(user_id__in=offered)
        .select_related("home_city")
        .prefetch_related("approved_areas", "languages")
    ):
        mentors.append(
            matching.Mentor(
                id=profile.user_id,
                person=profile.user_id,
                areas=frozenset(a.pk for a in profile.approved_areas.all()),
                capacity=DEFAULT_EXPERT_CAPACITY,
                load=load.get(profile.user_id, 0),
                region=profile.home_city.region_id,
                languages=frozenset(lang.pk for lang in profile.languages.all()),
            )
        )
    seekers = [
        matching.Seeker(
            id=r.pk,
            person=r.user_id,
            areas=frozenset(a.pk for a in r.areas.all()),
            region=_region(r.user),
            languages=frozenset(lang.pk for lang in r.user.languages.all()),
        )
        for r in requests
    ]
    declined = frozenset(
        Mentorship.objects.filter(state=Mentorship.State.DECLINED).values_list("mentee", "mentor")
    )
    return seekers, mentors, declined, {r.pk: r for r in requests}


# --- opportunities --------------------------------------------------------------------------------


def _opportunities() -> QuerySet[Opportunity]:
    return (
        Opportunity.objects.select_related("organization", "region")
        .prefetch_related("areas")
        .order_by("expires_on", "-pk")
    )


def open_opportunities(
    *, today=None, areas=None, region: str = "", kind: str = "", remote: bool = False
) -> QuerySet[Opportunity]:
    """Published and not expired; `areas` keeps those asking for any of them."""
    today = today or timezone.localdate()
    posts = _opportunities().filter(state=Opportunity.State.PUBLISHED, expires_on__gte=today)
    if areas:
        posts = posts.filter(
            Exists(
                Opportunity.areas.through.objects.filter(
                    opportunity_id=OuterRef("pk"), skillarea_id__in=list(areas)
                )
            )
        )
    if region:
        posts = posts.filter(Q(region_id=region) | Q(remote=True))
    if kind:
        posts = posts.filter(kind=kind)
    if remote:
        posts = posts.filter(remote=True)
    return posts


def person_areas(user) -> list[str]:
    """The areas a person works in: where they have approved evidence, and what they offer as
    an expert."""
    if not getattr(user, "is_authenticated", False):
        return []
    levels = curriculum_selectors.person_standing(user).levels
    offered = set(SkillArea.objects.filter(expertprofile__user=user).values_list("pk", flat=True))
    return sorted(set(levels) | offered)


def opportunity(pk: int) -> Opportunity:
    return _opportunities().select_related("posted_by", "removed_by").get(pk=pk)


def hosted_organizations(user) -> QuerySet[Organization]:
    return (
        Organization.objects.filter(hosts=user).order_by("name")
        if user.is_authenticated
        else Organization.objects.none()
    )


def removed_or_expired(*, today=None) -> QuerySet[Opportunity]:
    today = today or timezone.localdate()
    return _opportunities().filter(Q(state=Opportunity.State.REMOVED) | Q(expires_on__lt=today))
