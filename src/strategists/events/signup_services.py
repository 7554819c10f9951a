"""Signing up for a training from its page: signed out with name and email (confirmed by a mailed link before a seat is taken), signed in with one click, and the answers to the training's questions."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.accounts.services import person_create_unclaimed
from strategists.common.audit import audit_log
from strategists.common.mail import mail_queue
from strategists.events.models import (
    Answer,
    Event,
    PendingSignup,
    Registration,
    RegistrationLink,
    new_token,
    token_hash,
)
from strategists.events.registration_services import (
    RegistrationClosed,
    RegistrationResult,
    registration_confirm,
    registration_create,
    waitlist_position,
)
from strategists.events.service_common import _mail_person

ACTIVE = (
    Registration.Status.REGISTERED,
    Registration.Status.WAITLISTED,
    Registration.Status.OFFERED,
)


def _check_open(event: Event) -> None:
    """The same refusal for every address: it depends on the training only."""
    if event.state != Event.State.APPROVED:
        raise RegistrationClosed(_("Registration is closed for this training."))
    if event.starts_at and event.ends_at and event.ends_at < timezone.now():
        raise RegistrationClosed(_("This training is over."))


@transaction.atomic
def signup_request(
    *,
    event: Event,
    email: str,
    name: str,
    answers: dict[int, object] | None = None,
    referrer_data: dict[str, str] | None = None,
) -> str:
    """Someone not signed in asks for a place. Nothing is taken yet and the caller learns
    nothing: the address gets a mail that says what happened, either "confirm your place" with
    a link (which holds the answers and where they came from until then), or, when that address
    is already registered, "you're already registered" with the link to manage it. Returns
    the plain token of the mailed link ("" when none was made), for tests and the demo."""
    _check_open(event)
    email = email.strip().lower()
    person = User.objects.filter(email=email).first()
    registration = (
        Registration.objects.filter(event=event, person=person, status__in=ACTIVE).first()
        if person is not None
        else None
    )
    if registration is not None:
        audit_log("signup.repeated", registration, data={"event": event.pk})
        _mail_person(
            person,
            "events/mail/signup_already",
            {
                "event": event,
                "registration": registration,
                "position": waitlist_position(registration),
            },
            "signup-repeated",
        )
        return ""
    token = new_token()
    values = {
        "name": name.strip()[:150],
        "answers": {str(pk): value for pk, value in (answers or {}).items()},
        "referrer_data": referrer_data or {},
        "token_hash": token_hash(token),
        "created_at": timezone.now(),
    }
    pending = PendingSignup.objects.filter(event=event, email=email).first()
    if pending is None:
        try:
            with transaction.atomic():
                pending = PendingSignup.objects.create(event=event, email=email, **values)
        except IntegrityError:  # the same address at the same moment: the last one wins
            pending = PendingSignup.objects.get(event=event, email=email)
    if pending.token_hash != values["token_hash"]:
        for field, value in values.items():
            setattr(pending, field, value)
        pending.save()
    audit_log("signup.requested", pending, data={"event": event.pk})
    mail_queue(
        to=email,
        template="events/mail/signup_confirm",
        context={"event": event, "name": pending.name, "token": token},
        language=person.preferred_language if person else translation.get_language() or "en",
        kind="signup-confirm",
    )
    return token


@transaction.atomic
def signup_confirm(*, pending: PendingSignup) -> RegistrationResult:
    """The owner of the address opened the mailed link and confirmed: now a seat is taken, or a
    place on the waitlist, under the training's lock like every registration. A new address
    becomes an account they can claim later (the confirmation mail carries the claim link)."""
    pending = PendingSignup.objects.select_for_update().select_related("event").get(pk=pending.pk)
    event = pending.event
    _check_open(event)
    person = User.objects.filter(email=pending.email).first()
    if person is None:
        try:
            with transaction.atomic():
                person = person_create_unclaimed(
                    email=pending.email, name=pending.name, send_claim=False
                )
        except IntegrityError:
            person = User.objects.get(email=pending.email)
    result = registration_create(event=event, person=person, source=Registration.Source.WEB)
    registration = result.registration
    if result.created:
        _answers_save(registration, {int(pk): v for pk, v in pending.answers.items()})
        _referrer_save(registration, pending.referrer_data)
    # The person confirmed it themselves: the hosts may see who they are.
    if registration.confirmed_at is None:
        registration.confirmed_at = timezone.now()
        registration.save(update_fields=["confirmed_at", "updated_at"])
    audit_log(
        "signup.confirmed",
        registration,
        actor=None,
        data={"event": event.pk, "status": result.status, "created": result.created},
    )
    pending.delete()
    return result


@transaction.atomic
def registration_create_with_answers(
    *,
    event: Event,
    person: User,
    answers: dict[int, object] | None = None,
    referrer_data: dict[str, str] | None = None,
) -> RegistrationResult:
    """A signed-in person registers in one click, with their answers and where they came from
    (kept only on a new registration: registering twice changes nothing)."""
    result = registration_create(event=event, person=person, source=Registration.Source.WEB)
    if result.created:
        _answers_save(result.registration, answers or {})
        _referrer_save(result.registration, referrer_data or {})
    elif result.registration.confirmed_at is None and result.registration.guest_name:
        # A host had added them by email: registering themselves, they confirm who they are.
        registration_confirm(registration=result.registration)
    return result


@transaction.atomic
def answers_update(*, registration: Registration, answers: dict[int, object]) -> Registration:
    """The person changes their answers (from their registration's page)."""
    changed = _answers_save(registration, answers, replace=True)
    # Which questions, never the answers: they are sensitive, and the log is read more widely.
    audit_log("registration.answers_changed", registration, data={"questions": changed})
    return registration


def _answers_save(
    registration: Registration, answers: dict[int, object], *, replace: bool = False
) -> list[int]:
    """Save the answers to this training's questions (others are ignored); `replace` removes
    the answers not given. Returns the ids of the questions answered or cleared."""
    questions = {q.pk: q for q in registration.event.questions.all()}
    given = {pk: value for pk, value in answers.items() if pk in questions}
    existing = {a.question_id: a for a in registration.answers.all()}
    changed = []
    for pk, value in given.items():
        answer = existing.get(pk)
        if answer is None:
            Answer.objects.create(registration=registration, question_id=pk, value=value)
        elif answer.value != value:
            answer.value = value
            answer.save(update_fields=["value"])
        else:
            continue
        changed.append(pk)
    if replace:
        gone = [pk for pk in existing if pk not in given]
        registration.answers.filter(question_id__in=gone).delete()
        changed.extend(gone)
    return sorted(changed)


def _referrer_save(registration: Registration, referrer_data: dict[str, str]) -> None:
    if referrer_data:
        registration.referrer_data = referrer_data
        registration.save(update_fields=["referrer_data", "updated_at"])


# An unconfirmed sign-up holds a name, an address and perhaps answers about someone's health or
# family: it is kept no longer than its link could be used, and never past this.
PENDING_KEPT = dt.timedelta(days=RegistrationLink.DAYS_UNDATED)


@transaction.atomic
def pending_signups_purge(*, now: dt.datetime | None = None) -> int:
    """Drop the sign-ups whose link was never confirmed and no longer works (periodic job)."""
    now = now or timezone.now()
    stale = [
        pending.pk
        for pending in PendingSignup.objects.select_related("event").filter(
            created_at__lt=now - dt.timedelta(days=1)
        )
        if not pending.is_valid(now) or pending.created_at < now - PENDING_KEPT
    ]
    if stale:
        PendingSignup.objects.filter(pk__in=stale).delete()
        audit_log("signup.purged", None, actor=None, data={"count": len(stale)})
    return len(stale)
