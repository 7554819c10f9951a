"""Survey results on the demo's completed trainings: most attendees answered, some didn't;
each training, trainer and host organization has its means and response rate. No mail is
queued: the trainings were completed before the surveys existed."""

import datetime as dt
import random

from django.db import transaction

from strategists.accounts.models import User
from strategists.events.models import Event, Registration, TrainerAssignment, new_token, token_hash
from strategists.surveys.models import (
    AreaRating,
    NoShowNotice,
    SurveyInvitation,
    SurveyResponse,
    TrainerRating,
)

LOGINS = [
    ("coordinator@example.org", "survey results by training, trainer and host: /survey/results/"),
    ("expert@example.org", "trained at past trainings: their own ratings at /survey/results/"),
]
IMPROVE = [
    "More hands-on time with our own lists, less lecture.",
    "Send the slides a few days before, so we can read them on the bus.",
    "The wifi dropped twice in the afternoon. A hotspot as a backup would help.",
    "A longer lunch break: we had no time to talk to other locals.",
    "Spanish interpretation for the afternoon sessions.",
    "Start a bit later on a Saturday: 10:00 is early for people on night shift.",
    "A printed cheat sheet for the CRM exports.",
    "More examples from building trades, not only public sector.",
]
COMMENTS = [
    "Best training our local has been to in years.",
    "I finally understand how to segment our list by worksite.",
    "The security check-up on our own phones was an eye-opener.",
    "Please come back for a level 2 in the spring.",
    "Meeting the other stewards was worth the trip alone.",
    "Our organizing committee is already using the texting script.",
]


def _staff_past_trainings(events, rng: random.Random) -> int:
    """Two trainers at each completed training that has none accepted (the demo expert at the
    first few), so the results have trainers to rate."""
    experts = list(User.objects.filter(expert_profile__is_active=True).order_by("pk"))
    demo_expert = next((e for e in experts if e.email == "expert@example.org"), None)
    if len(experts) < 2:
        return 0
    staffed = set(
        TrainerAssignment.objects.filter(
            event__in=events, status=TrainerAssignment.Status.ACCEPTED
        ).values_list("event_id", flat=True)
    )
    assignments = []
    for index, event in enumerate(events):
        if event.pk in staffed:
            continue
        pair = rng.sample(experts, 2)
        if demo_expert is not None and index < 4 and demo_expert not in pair:
            pair[0] = demo_expert
        TrainerAssignment.objects.filter(event=event, trainer__in=pair).delete()
        assignments += [
            TrainerAssignment(
                event=event,
                trainer=trainer,
                status=TrainerAssignment.Status.ACCEPTED,
                responded_at=event.starts_at - dt.timedelta(days=21),
            )
            for trainer in pair
        ]
    TrainerAssignment.objects.bulk_create(assignments)
    return len(assignments)


def _rating(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.8))))


@transaction.atomic
def build(*, log=print, seed: int = 1000) -> None:
    if SurveyInvitation.objects.exists():
        log(f"{SurveyInvitation.objects.count()} surveys already there")
        return
    rng = random.Random(seed)
    events = (
        Event.objects.filter(state=Event.State.COMPLETED)
        .prefetch_related("taught_areas")
        .order_by("starts_at", "pk")
    )
    staffed = _staff_past_trainings(list(events), rng)
    invitations, answers, notices = [], [], []
    for event in events:
        sent = (event.ends_at or event.starts_at) + dt.timedelta(hours=1)
        quality = rng.uniform(3.4, 4.6)
        answer_rate = rng.uniform(0.45, 0.85)
        trainers = {
            trainer: quality + rng.uniform(-0.6, 0.5)
            for trainer in TrainerAssignment.objects.filter(
                event=event, status=TrainerAssignment.Status.ACCEPTED
            ).values_list("trainer_id", flat=True)
        }
        areas = list(event.taught_areas.all())
        registrations = event.registrations.filter(person__isnull=False).order_by("pk")
        for registration in registrations:
            if registration.checked_in_at is None:
                if registration.status == Registration.Status.REGISTERED:
                    notices.append(
                        NoShowNotice(event=event, person_id=registration.person_id, sent_at=sent)
                    )
                continue
            answered = rng.random() < answer_rate
            invitation = SurveyInvitation(
                event=event,
                person_id=registration.person_id,
                token_hash=token_hash(new_token()),
                sent_at=sent,
                answered_at=sent + dt.timedelta(hours=rng.randint(2, 96)) if answered else None,
            )
            invitations.append(invitation)
            if answered:
                answers.append((invitation, event, quality, areas, trainers))
    SurveyInvitation.objects.bulk_create(invitations, batch_size=500)
    NoShowNotice.objects.bulk_create(notices, batch_size=500)
    responses = [
        SurveyResponse(
            invitation=invitation,
            event=event,
            overall=_rating(rng, quality),
            improve=rng.choice(IMPROVE) if rng.random() < 0.35 else "",
            comments=rng.choice(COMMENTS) if rng.random() < 0.25 else "",
            submitted_at=invitation.answered_at,
        )
        for invitation, event, quality, _, _ in answers
    ]
    SurveyResponse.objects.bulk_create(responses, batch_size=500)
    area_ratings, trainer_ratings = [], []
    for response, (_, _, quality, areas, trainers) in zip(responses, answers, strict=True):
        area_ratings += [
            AreaRating(response=response, area=area, rating=_rating(rng, quality))
            for area in areas
            if rng.random() < 0.9
        ]
        trainer_ratings += [
            TrainerRating(response=response, trainer_id=trainer, rating=_rating(rng, mean))
            for trainer, mean in trainers.items()
            if rng.random() < 0.85
        ]
    AreaRating.objects.bulk_create(area_ratings, batch_size=1000)
    TrainerRating.objects.bulk_create(trainer_ratings, batch_size=1000)
    log(
        f"{len(invitations)} surveys on {len(events)} completed trainings, "
        f"{len(responses)} answered; {len(notices)} 'we missed you'; {staffed} trainers staffed"
    )
