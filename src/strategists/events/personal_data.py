"""A person's registrations, trainings they proposed or were asked to train, for their export;
on deletion, upcoming seats are given back, the calendar feed and the answers to trainings'
questions go. Past registrations stay, attached to the anonymous person, so every training's
counts and the progress toward 1,000 stay right."""

from django.utils import timezone

from strategists.common.personal_data import isoformat, register
from strategists.events.models import (
    Answer,
    CalendarFeed,
    Event,
    PendingSignup,
    Registration,
    TrainerAssignment,
)
from strategists.events.selectors import answers_prefetch


def _event(event: Event) -> dict:
    return {
        "id": event.pk,
        "title": event.title,
        "starts": isoformat(event.starts_at),
        "city": str(event.city) if event.city_id else None,
    }


def _export(person) -> dict:
    registrations = (
        Registration.objects.filter(person=person)
        .select_related("event__city__subdivision")
        .prefetch_related(answers_prefetch())
    )
    return {
        "registrations": [
            {
                "event": _event(r.event),
                "status": r.status,
                "source": r.source,
                "registered": isoformat(r.created_at),
                "checked_in": isoformat(r.checked_in_at),
                "cancelled": isoformat(r.cancelled_at),
                "came_from": r.referrer_data,
                "answers": [
                    {"question": a.question.label, "answer": a.value} for a in r.answers.all()
                ],
            }
            for r in registrations.order_by("created_at", "pk")
        ],
        "trainings_proposed": [
            _event(event)
            for event in Event.objects.filter(proposed_by=person)
            .select_related("city__subdivision")
            .order_by("created_at", "pk")
        ],
        "asked_to_train": [
            {
                "event": _event(a.event),
                "status": a.status,
                "note": a.note,
                "answered": isoformat(a.responded_at),
            }
            for a in TrainerAssignment.objects.filter(trainer=person)
            .select_related("event__city__subdivision")
            .order_by("created_at", "pk")
        ],
        "calendar_feed": CalendarFeed.objects.filter(person=person).exists(),
    }


def _erase(person, *, keep_credentials: bool) -> None:
    from strategists.events.registration_services import registration_cancel

    CalendarFeed.objects.filter(person=person).delete()
    # Answers can be about health, family or language: they go with the account.
    Answer.objects.filter(registration__person=person).delete()
    PendingSignup.objects.filter(email=person.email).delete()
    upcoming = (
        Registration.objects.filter(
            person=person,
            event__state=Event.State.APPROVED,
            event__starts_at__gt=timezone.now(),
        )
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event")
    )
    for registration in upcoming:
        registration_cancel(registration=registration)
    TrainerAssignment.objects.filter(trainer=person).update(note="")


register("trainings", exporter=_export, eraser=_erase, order=10)
