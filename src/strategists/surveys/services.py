"""Every write after a training: survey links and "we missed you" mail when the host completes
it, and an attendee's answers. Mail is queued through the outbox (common/mail.py) in the same
transaction and leaves after commit. Both mails are program mail (kinds `survey` and
`no-show`), not transactional: an unsubscribe preference may hold them back."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.common.audit import audit_log
from strategists.common.mail import mail_person
from strategists.events import selectors as event_selectors
from strategists.events.models import Event, Registration, new_token, token_hash
from strategists.surveys.models import (
    AreaRating,
    NoShowNotice,
    SurveyInvitation,
    SurveyResponse,
    TrainerRating,
)

MAIL_KIND_SURVEY = "survey"
MAIL_KIND_NO_SHOW = "no-show"
NEARBY_COUNT = 3


def _attendees(event: Event):
    return (
        event.registrations.filter(
            person__isnull=False, person__is_active=True, checked_in_at__isnull=False
        )
        .exclude(person__survey_invitations__event=event)
        .select_related("person")
        .order_by("pk")
    )


def _no_shows(event: Event):
    return (
        event.registrations.filter(
            person__isnull=False,
            person__is_active=True,
            status=Registration.Status.REGISTERED,
            checked_in_at__isnull=True,
        )
        .exclude(person__no_show_notices__event=event)
        .select_related("person__city")
        .order_by("pk")
    )


def _nearby(upcoming: list[Event], person, event: Event) -> list[Event]:
    """The next trainings nearest the person's city (or, without one, the training's)."""
    city = person.city if person.city_id else event.city
    return event_selectors.sort_by_distance(upcoming, (city.latitude, city.longitude))[
        :NEARBY_COUNT
    ]


@transaction.atomic
def after_training_send(*, event: Event, by=None) -> tuple[int, int]:
    """Survey links to each checked-in attendee and "we missed you" to each registered person
    who was not checked in, each at most once per training (a unique constraint holds it when
    the training is completed again after a correction). Returns (surveys, notices) sent now."""
    if event.state != Event.State.COMPLETED:
        return 0, 0
    surveys = 0
    for registration in _attendees(event):
        token = new_token()
        SurveyInvitation.objects.create(
            event=event, person=registration.person, token_hash=token_hash(token)
        )
        mail_person(
            registration.person,
            template="surveys/mail/survey",
            context={
                "event": event,
                "url": settings.PUBLIC_URL + reverse("surveys:answer", kwargs={"token": token}),
            },
            kind=MAIL_KIND_SURVEY,
        )
        surveys += 1
    no_shows = list(_no_shows(event))
    upcoming = list(event_selectors.upcoming_events().exclude(pk=event.pk)) if no_shows else []
    for registration in no_shows:
        NoShowNotice.objects.create(event=event, person=registration.person)
        mail_person(
            registration.person,
            template="surveys/mail/missed",
            context={
                "event": event,
                "nearby": _nearby(upcoming, registration.person, event),
                "trainings_url": settings.PUBLIC_URL + reverse("events:list"),
            },
            kind=MAIL_KIND_NO_SHOW,
        )
    if surveys or no_shows:
        audit_log(
            "survey.sent",
            event,
            actor=by,
            data={"surveys": surveys, "no_show_notices": len(no_shows)},
        )
    return surveys, len(no_shows)


@transaction.atomic
def survey_answer(
    *,
    invitation: SurveyInvitation,
    overall: int,
    areas: dict | None = None,
    trainers: dict | None = None,
    improve: str = "",
    comments: str = "",
) -> SurveyResponse:
    """Record one attendee's answers, once. `areas` {area id: 1-5}, `trainers` {person id: 1-5}:
    only the areas and trainers the survey asked about are kept."""
    invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.answered_at is not None:
        raise ValidationError(_("This survey was already answered. Thank you!"))
    if not invitation.is_valid():
        raise ValidationError(_("This survey is closed."))
    response = SurveyResponse.objects.create(
        invitation=invitation,
        event_id=invitation.event_id,
        overall=overall,
        improve=improve,
        comments=comments,
    )
    AreaRating.objects.bulk_create(
        AreaRating(response=response, area_id=area, rating=rating)
        for area, rating in (areas or {}).items()
        if rating
    )
    TrainerRating.objects.bulk_create(
        TrainerRating(response=response, trainer_id=trainer, rating=rating)
        for trainer, rating in (trainers or {}).items()
        if rating
    )
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["answered_at"])
    # No actor and no answers in the log: the survey is confidential, the log says only that
    # one more attendee answered.
    audit_log("survey.answered", response, actor=None, data={"event": invitation.event_id})
    return response
