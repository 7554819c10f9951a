"""The demo's goals, so the progress page and the dashboard show a believable program.

A program year that began with the first demo training, a target for every kind of organization and
a few roles (about 1,000 in all), and trainers at most trainings so the dashboard shows a mix of
done and not done. Runs after the events and curriculum demos."""

import random

from django.db import transaction
from django.utils import timezone

from strategists.accounts.constants import OrganizationType as T
from strategists.accounts.constants import Role as R
from strategists.accounts.models import User
from strategists.curriculum.models import Certification
from strategists.events.models import Event, Registration, TrainerAssignment
from strategists.goals import services
from strategists.goals.defaults import default_year_start, year_ending, year_name
from strategists.goals.models import ConstituencyTarget, ProgramYear

TARGETS = {
    T.INTERNATIONAL_UNION: {R.WEBMASTER: 30, R.ONLINE_CAMPAIGNER: 30, R.COMMUNICATIONS: 30},
    T.STATE_FEDERATION: {R.WEBMASTER: 25, R.COMMUNICATIONS: 25},
    T.CENTRAL_LABOR_COUNCIL: {R.COMMUNICATIONS: 60, R.ORGANIZER: 40},
    T.LOCAL_UNION: {R.ORGANIZER: 150, R.COMMUNICATIONS: 100, R.ELECTED_LEADER: 50},
    T.CAMPAIGN_OR_AFFILIATE: {R.ONLINE_CAMPAIGNER: 40, R.ORGANIZER: 20},
    T.WORKER_CENTER: {R.ORGANIZER: 50, R.COMMUNICATIONS: 15},
    T.NON_UNION_LABOR: {R.ORGANIZER: 30},
    T.ONLINE_PROGRESSIVE: {R.ONLINE_CAMPAIGNER: 40},
    T.LABOR_VENDOR: {R.VENDOR: 15},
    T.CONSULTING_FIRM: {R.CONSULTANT: 30},
    T.LABOR_STUDIES: {R.ACADEMIC: 20, R.STUDENT: 25},
    T.LABOR_MEDIA: {R.JOURNALIST: 15},
    T.STUDENT_GROUP: {R.STUDENT: 30, R.INTERN: 20},
    T.CANADIAN_COUNTERPART: {R.COMMUNICATIONS: 40, R.WEBMASTER: 20},
    T.OTHER: {R.STAFF: 20},
}


@transaction.atomic
def build(*, log=print, seed: int = 1000) -> None:
    rng = random.Random(seed)
    year = _year()
    created = 0
    for organization_type, roles in TARGETS.items():
        for role, target in roles.items():
            _item, new = ConstituencyTarget.objects.get_or_create(
                program_year=year,
                organization_type=organization_type,
                role=role,
                defaults={"target": target},
            )
            created += new
    log(
        f"program year {year.name} ({year.starts_on} to {year.ends_on}, target {year.target}); "
        f"{created} constituency targets added, {year.targets.count()} in all"
    )
    log(f"{_trainers(rng)} trainer assignments added")
    log(
        f"{_certified_attended(rng, year)} certified people checked in at a training before their certificate"
    )
    # The forecast normally comes from the worker; compute it now so the first page view has it.
    snapshot = services.forecast_refresh(year=year)
    log(f"forecast computed in {snapshot.seconds:.1f}s")


def _year() -> ProgramYear:
    """The current year, moved to start with the first training if it began later (the data
    migration ran on an empty database)."""
    year = services.program_year_ensure()
    start = default_year_start(Event)
    if start < year.starts_on:
        end = year_ending(start)
        ProgramYear.objects.filter(pk=year.pk).update(
            starts_on=start, ends_on=end, name=year_name(start, end), updated_at=timezone.now()
        )
        year.refresh_from_db()
    return year


def _trainers(rng: random.Random) -> int:
    """Two trainers at past trainings; upcoming ones: most staffed, some short, a few with none."""
    if TrainerAssignment.objects.exists():
        return 0
    experts = list(User.objects.filter(expert_profile__is_active=True).order_by("pk"))
    if len(experts) < 2:
        return 0
    now = timezone.now()
    assignments = []
    events = Event.objects.filter(
        state__in=[Event.State.COMPLETED, Event.State.APPROVED], starts_at__isnull=False
    ).order_by("starts_at", "pk")
    for index, event in enumerate(events):
        trainers = rng.sample(experts, 2)
        if event.starts_at < now:
            statuses = ["accepted", "accepted"]
        else:
            statuses = [
                ["accepted", "accepted"],
                ["accepted", "requested"],
                ["requested", "declined"],
                ["accepted", "accepted"],
            ][index % 4]
        for trainer, status in zip(trainers, statuses, strict=True):
            assignments.append(
                TrainerAssignment(
                    event=event,
                    trainer=trainer,
                    status=status,
                    responded_at=None if status == "requested" else now,
                )
            )
    TrainerAssignment.objects.bulk_create(assignments)
    return len(assignments)


def _certified_attended(rng: random.Random, year: ProgramYear) -> int:
    """The curriculum demo certifies people at random; certified strategists come out of
    trainings, so each one who attended none gets a check-in at a training a month or more
    before their certificate (that is what the forecast learns its rates from)."""
    trainings = list(
        Event.objects.filter(state=Event.State.COMPLETED, starts_at__isnull=False).order_by(
            "starts_at", "pk"
        )
    )
    attended = set(
        Registration.objects.filter(checked_in_at__isnull=False).values_list("person_id", flat=True)
    )
    added = []
    for certification in (
        Certification.objects.filter(status=Certification.Status.CERTIFIED)
        .exclude(person_id__in=attended)
        .order_by("pk")
    ):
        before = [
            t
            for t in trainings
            if t.starts_at <= certification.certified_at - timezone.timedelta(days=28)
        ]
        if not before:
            continue
        training = rng.choice(before[-6:])
        added.append(
            Registration(
                event=training,
                person_id=certification.person_id,
                status=Registration.Status.REGISTERED,
                source=Registration.Source.HOST,
                checked_in_at=training.starts_at,
            )
        )
    Registration.objects.bulk_create(added, ignore_conflicts=True)
    return len(added)
