"""Reads shared by the pages, the commands and the API."""

from django.db.models import Avg, Count, Max, Min, Prefetch, Q, QuerySet

from strategists.accounts.constants import SUBDIVISION_NAMES
from strategists.referrals.models import Answer, Question, Resource, ResourceChange, Review, Routing

CANADIAN = {"AB", "BC", "MB", "NB", "NL", "NS", "ON", "PE", "QC", "SK", "YT", "NT", "NU"}
COUNTRY_OF_SUBDIVISION = {
    name: ("canada" if code in CANADIAN else "us") for code, name in SUBDIVISION_NAMES.items()
}
VISIBLE = Q(reviews__hidden_at__isnull=True)


def with_ratings(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    """Average rating, review count and the range of costs members reported (visible reviews)."""
    return resources.annotate(
        review_count=Count("reviews", filter=VISIBLE, distinct=True),
        average_rating=Avg("reviews__rating", filter=VISIBLE),
        cost_low=Min("reviews__cost_paid", filter=VISIBLE),
        cost_high=Max("reviews__cost_paid", filter=VISIBLE),
        recommend_count=Count(
            "reviews", filter=VISIBLE & Q(reviews__would_recommend=True), distinct=True
        ),
    )


def _listed() -> QuerySet[Resource]:
    return Resource.objects.filter(status=Resource.Status.APPROVED).prefetch_related("skill_areas")


def directory(
    *, area: str = "", kind: str = "", cost: str = "", served: str = ""
) -> QuerySet[Resource]:
    """Listed resources for browsing. A state or province also shows country-wide and
    international resources, since they serve it too."""
    resources = _listed()
    if area:
        resources = resources.filter(skill_areas__id=area)
    if kind:
        resources = resources.filter(kind=kind)
    if cost:
        resources = resources.filter(cost=cost)
    if served in COUNTRY_OF_SUBDIVISION:
        resources = resources.filter(
            region__in=[served, COUNTRY_OF_SUBDIVISION[served], "international"]
        )
    elif served:
        resources = resources.filter(region=served)
    return with_ratings(resources).order_by("name", "pk")


def resources_in_order(public_ids: list[str]) -> list[Resource]:
    by_id = {r.public_id: r for r in with_ratings(_listed().filter(public_id__in=public_ids))}
    return [by_id[pid] for pid in public_ids if pid in by_id]


def resource_page(resource: Resource, *, show_hidden: bool) -> tuple[Resource, list[Review]]:
    resource = (
        with_ratings(
            Resource.objects.filter(pk=resource.pk).select_related("suggested_by", "merged_into")
        )
        .prefetch_related("skill_areas")
        .get()
    )
    reviews = resource.reviews.select_related("author", "hidden_by").order_by("-updated_at", "-pk")
    if not show_hidden:
        reviews = reviews.filter(hidden_at__isnull=True)
    return resource, list(reviews)


def follow_merges(resource: Resource) -> Resource:
    seen = set()
    while (
        resource.status == Resource.Status.MERGED
        and resource.merged_into_id
        and resource.pk not in seen
    ):
        seen.add(resource.pk)
        resource = Resource.objects.get(pk=resource.merged_into_id)
    return resource


def curation_queue() -> QuerySet[Resource]:
    return (
        Resource.objects.filter(status=Resource.Status.PENDING)
        .select_related("suggested_by")
        .prefetch_related("skill_areas")
        .order_by("created_at", "pk")
    )


def pending_changes() -> QuerySet[ResourceChange]:
    """New web addresses waiting for a second curator, oldest first."""
    return (
        ResourceChange.objects.filter(state=ResourceChange.State.PENDING)
        .select_related("resource", "proposed_by")
        .order_by("created_at", "pk")
    )


def pending_change(resource: Resource) -> ResourceChange | None:
    return pending_changes().filter(resource=resource).first()


def hidden_reviews() -> QuerySet[Review]:
    return Review.objects.filter(hidden_at__isnull=False).select_related(
        "resource", "author", "hidden_by"
    )


def _questions() -> QuerySet[Question]:
    return (
        Question.objects.select_related("asker", "accepted_answer__author")
        .prefetch_related("skill_areas")
        .annotate(answer_count=Count("answers", distinct=True))
    )


def my_questions(user) -> QuerySet[Question]:
    return _questions().filter(asker=user).order_by("-created_at", "-pk")


def inbox(user) -> QuerySet[Question]:
    """Open questions routed to this expert, oldest first."""
    return (
        _questions()
        .filter(routings__expert=user, status=Question.Status.OPEN)
        .order_by("created_at", "pk")
    )


def question_page(question: Question) -> Question:
    answers = Answer.objects.select_related("author").prefetch_related(
        Prefetch("cited", queryset=Resource.objects.order_by("name"))
    )
    return (
        Question.objects.select_related("asker__city", "accepted_answer")
        .prefetch_related(
            "skill_areas",
            Prefetch("answers", queryset=answers),
            Prefetch("routings", queryset=Routing.objects.select_related("expert")),
        )
        .get(pk=question.pk)
    )


def openable_questions(user, questions: list[Question]) -> set[int]:
    """Which of these questions the person may open (``referrals.view_question``), in one query."""
    if not (user.is_authenticated and user.is_active):
        return set()
    if user.is_coordinator:
        return {q.pk for q in questions}
    mine = {q.pk for q in questions if q.asker_id == user.pk}
    others = [q.pk for q in questions if q.pk not in mine]
    routed = set(
        Routing.objects.filter(question_id__in=others, expert=user).values_list(
            "question_id", flat=True
        )
    )
    return mine | routed


def answered_questions(pks: list[int]) -> list[Question]:
    cited = Prefetch(
        "accepted_answer__cited",
        queryset=Resource.objects.filter(status=Resource.Status.APPROVED).order_by("name"),
    )
    by_pk = {
        q.pk: q
        for q in Question.objects.filter(pk__in=pks, status=Question.Status.ANSWERED)
        .select_related("accepted_answer__author")
        .prefetch_related(cited)
    }
    return [by_pk[pk] for pk in pks if pk in by_pk]
