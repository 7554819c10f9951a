"""Reads of survey results, rolled up per training, per trainer and per host organization, each
with its response rate; and the survey a mailed link opens."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from strategists.accounts.models import Organization, SkillArea, User
from strategists.events.models import Event, TrainerAssignment, token_hash
from strategists.surveys.models import AreaRating, SurveyInvitation, SurveyResponse, TrainerRating

MAX_TOKEN_LENGTH = 100
ACCEPTED = TrainerAssignment.Status.ACCEPTED


def response_rate(answered: int, invited: int) -> int | None:
    """Whole percent of those asked who answered; None when nobody was asked."""
    return round(100 * answered / invited) if invited else None


def invitation_by_token(token: str) -> SurveyInvitation | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return (
        SurveyInvitation.objects.select_related("event__city__subdivision", "person")
        .filter(token_hash=token_hash(token))
        .first()
    )


def survey_areas(event: Event) -> list[SkillArea]:
    """The areas the survey asks about: those taught, or those planned when none were marked."""
    return list(event.taught_areas.all()) or list(event.skill_areas.all())


def survey_trainers(event: Event) -> list[User]:
    return list(
        User.objects.filter(
            trainer_assignments__event=event, trainer_assignments__status=ACCEPTED
        ).order_by("name", "pk")
    )


# --- one training --------------------------------------------------------------------------------


@dataclass
class Results:
    invited: int
    answered: int
    overall_mean: float | None
    distribution: list[tuple[int, int]]  # (rating 5..1, how many)
    areas: list[dict] = field(default_factory=list)  # {"name", "mean", "count"}
    trainers: list[dict] = field(default_factory=list)  # {"trainer_id", "name", "mean", "count"}
    improve: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def response_rate(self) -> int | None:
        return response_rate(self.answered, self.invited)


def training_results(event: Event, *, only_trainer: User | None = None) -> Results:
    """Everything one training's survey says. `only_trainer`: keep that trainer's row only (a
    trainer reading a training they taught sees their own ratings, not their co-trainers')."""
    invitations = event.survey_invitations.aggregate(
        invited=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False))
    )
    responses = SurveyResponse.objects.filter(event=event)
    counts = dict(
        responses.order_by().values("overall").annotate(n=Count("pk")).values_list("overall", "n")
    )
    areas = (
        AreaRating.objects.filter(response__event=event)
        .order_by("area__position", "area_id")
        .values("area_id", "area__name")
        .annotate(mean=Avg("rating"), count=Count("pk"))
    )
    trainers = TrainerRating.objects.filter(response__event=event)
    if only_trainer is not None:
        trainers = trainers.filter(trainer=only_trainer)
    trainers = (
        trainers.order_by("trainer__name", "trainer_id")
        .values("trainer_id", "trainer__name")
        .annotate(mean=Avg("rating"), count=Count("pk"))
    )
    texts = list(responses.order_by("submitted_at", "pk").values_list("improve", "comments"))
    return Results(
        invited=invitations["invited"],
        answered=invitations["answered"],
        overall_mean=responses.aggregate(mean=Avg("overall"))["mean"],
        distribution=[(rating, counts.get(rating, 0)) for rating in range(5, 0, -1)],
        areas=[
            {"name": row["area__name"], "mean": row["mean"], "count": row["count"]} for row in areas
        ],
        trainers=[
            {
                "trainer_id": row["trainer_id"],
                "name": row["trainer__name"],
                "mean": row["mean"],
                "count": row["count"],
            }
            for row in trainers
        ],
        improve=[improve for improve, _ in texts if improve],
        comments=[comments for _, comments in texts if comments],
    )


# --- the roll-ups --------------------------------------------------------------------------------


def _scalar(queryset, group: str, expression) -> Subquery:
    """One aggregate of `queryset` (already filtered on OuterRef) as a correlated subquery."""
    return Subquery(
        queryset.order_by().values(group).annotate(value=expression).values("value")[:1]
    )


def _count(queryset, group: str):
    return Coalesce(
        _scalar(queryset, group, Count("pk", distinct=True)), Value(0), output_field=IntegerField()
    )


def _with_rates(rows) -> list:
    rows = list(rows)
    for row in rows:
        row.response_rate = response_rate(row.answered, row.invited)
    return rows


def trainings_with_results(user) -> list[Event]:
    """Completed trainings the person may read results of, newest first, with their counts."""
    events = Event.objects.filter(state=Event.State.COMPLETED)
    if not user.is_coordinator:
        events = events.filter(
            Q(organization__hosts=user)
            | Q(trainer_assignments__trainer=user, trainer_assignments__status=ACCEPTED)
        )
    invitations = SurveyInvitation.objects.filter(event=OuterRef("pk"))
    events = (
        Event.objects.filter(pk__in=events.values("pk"))
        .select_related("organization", "city__subdivision")
        .annotate(
            invited=_count(invitations, "event"),
            answered=_count(invitations.filter(answered_at__isnull=False), "event"),
            overall_mean=_scalar(
                SurveyResponse.objects.filter(event=OuterRef("pk")), "event", Avg("overall")
            ),
        )
        .filter(invited__gt=0)
        .order_by("-starts_at", "-pk")
    )
    return _with_rates(events)


def organizations_with_results(user) -> list[Organization]:
    """Host organizations (all for coordinators, their own for hosts) with their surveys."""
    organizations = Organization.objects.all()
    if not user.is_coordinator:
        organizations = organizations.filter(hosts=user)
    invitations = SurveyInvitation.objects.filter(event__organization=OuterRef("pk"))
    organizations = (
        organizations.annotate(
            trainings=_count(
                Event.objects.filter(
                    organization=OuterRef("pk"),
                    state=Event.State.COMPLETED,
                    survey_invitations__isnull=False,
                ),
                "organization",
            ),
            invited=_count(invitations, "event__organization"),
            answered=_count(invitations.filter(answered_at__isnull=False), "event__organization"),
            overall_mean=_scalar(
                SurveyResponse.objects.filter(event__organization=OuterRef("pk")),
                "event__organization",
                Avg("overall"),
            ),
        )
        .filter(invited__gt=0)
        .order_by("name", "pk")
    )
    return _with_rates(organizations)


def trainers_with_results(user) -> list[User]:
    """Trainers (all for coordinators, the person themselves otherwise) with how those they
    taught rated them, and the response rate of their trainings' surveys."""
    trainers = User.objects.filter(trainer_assignments__status=ACCEPTED)
    if not user.is_coordinator:
        trainers = trainers.filter(pk=user.pk)
    taught = Q(
        event__trainer_assignments__trainer=OuterRef("pk"),
        event__trainer_assignments__status=ACCEPTED,
    )
    invitations = SurveyInvitation.objects.filter(taught)
    ratings = TrainerRating.objects.filter(trainer=OuterRef("pk"))
    trainers = (
        User.objects.filter(pk__in=trainers.values("pk"))
        .annotate(
            invited=_count(invitations, "event__trainer_assignments__trainer"),
            answered=_count(
                invitations.filter(answered_at__isnull=False),
                "event__trainer_assignments__trainer",
            ),
            ratings=_count(ratings, "trainer"),
            rating_mean=_scalar(ratings, "trainer", Avg("rating")),
        )
        .filter(invited__gt=0)
        .order_by("name", "pk")
    )
    return _with_rates(trainers)
