"""Reads for the planner's pages and the command line."""

from django.db.models import Count, Prefetch, QuerySet

from strategists.events.models import TrainerAssignment
from strategists.planner.models import CalendarEntry, PlanningYear, PlanRun, Replacement


def current_year() -> PlanningYear | None:
    """The year being planned: the one that starts last (ties: the newest)."""
    return PlanningYear.objects.order_by("-start_date", "-pk").first()


def year_list() -> QuerySet[PlanningYear]:
    return (
        PlanningYear.objects.annotate(run_count=Count("runs", distinct=True))
        .select_related("accepted_run")
        .order_by("-start_date", "-pk")
    )


def year_detail(pk: int) -> PlanningYear:
    return PlanningYear.objects.prefetch_related(
        "region_limits__region",
        Prefetch("calendar", queryset=CalendarEntry.objects.prefetch_related("regions")),
    ).get(pk=pk)


def runs_for(year: PlanningYear) -> QuerySet[PlanRun]:
    return year.runs.select_related("created_by").defer("instance", "plan")


def replacements_for(year: PlanningYear) -> QuerySet[Replacement]:
    return (
        Replacement.objects.filter(
            status=Replacement.Status.SUGGESTED,
            declined__event__starts_at__date__gte=year.start_date,
            declined__event__starts_at__date__lte=year.end_date,
        )
        .select_related("declined__trainer", "declined__event__city", "suggested")
        .order_by("created_at", "pk")
    )


def trainer_requests(user) -> QuerySet[TrainerAssignment]:
    return (
        TrainerAssignment.objects.filter(trainer=user)
        .select_related("event__city", "event__organization")
        .order_by("event__starts_at", "pk")
    )
