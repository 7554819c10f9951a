"""Every write in mentoring: offers, requests, proposed matches, answers to them and the check-ins."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.common.audit import audit_log
from strategists.common.mail import mail_person
from strategists.community import selectors
from strategists.community.core import matching
from strategists.community.models import (
    MentorOffer,
    MentorRequest,
    Mentorship,
)

# --- mentoring ------------------------------------------------------------------------------------

CHECKINS = ((30, "checkin_30_sent_at"), (90, "checkin_90_sent_at"))


def _mail_pair(mentorship: Mentorship, template: str, kind: str, **context) -> None:
    for person, other in (
        (mentorship.mentor, mentorship.mentee),
        (mentorship.mentee, mentorship.mentor),
    ):
        mail_person(
            person,
            template=f"community/mail/{template}",
            kind=kind,
            context={
                "person": person,
                "other": other,
                "mentorship": mentorship,
                "is_mentor": person.pk == mentorship.mentor_id,
                **context,
            },
        )


@transaction.atomic
def mentor_offer_save(
    *, user: User, areas, capacity: int, active: bool = True, note: str = ""
) -> MentorOffer:
    if not selectors.may_mentor(user):
        raise PermissionDenied(_("Certified strategists and experts can offer mentoring."))
    areas = list(areas)
    if not areas:
        raise ValidationError(_("Choose at least one area."))
    offer, created = MentorOffer.objects.select_for_update().get_or_create(
        user=user, defaults={"capacity": capacity}
    )
    before = (
        None
        if created
        else {
            "capacity": offer.capacity,
            "active": offer.active,
            "areas": sorted(offer.areas.values_list("pk", flat=True)),
        }
    )
    offer.capacity, offer.active, offer.note = capacity, active, note.strip()
    offer.full_clean()
    offer.save()
    offer.areas.set(areas)
    audit_log(
        "mentor_offer.saved",
        offer,
        actor=user,
        before=before,
        after={"capacity": capacity, "active": active, "areas": sorted(a.pk for a in areas)},
    )
    return offer


@transaction.atomic
def mentor_request_create(*, user: User, areas, note: str = "") -> MentorRequest:
    areas = list(areas)
    if not areas:
        raise ValidationError(_("Choose at least one area."))
    if (
        MentorRequest.objects.select_for_update()
        .filter(user=user, state__in=[MentorRequest.State.OPEN, MentorRequest.State.MATCHED])
        .exists()
    ):
        raise ValidationError(_("You already asked for a mentor."))
    request = MentorRequest.objects.create(user=user, note=note.strip())
    request.areas.set(areas)
    audit_log(
        "mentor_request.created", request, actor=user, after={"areas": sorted(a.pk for a in areas)}
    )
    return request


@transaction.atomic
def mentor_request_withdraw(*, request: MentorRequest, by: User) -> MentorRequest:
    if request.user_id != by.pk:
        raise PermissionDenied
    if request.state != MentorRequest.State.WITHDRAWN:
        before = request.state
        request.state = MentorRequest.State.WITHDRAWN
        request.save(update_fields=["state", "updated_at"])
        Mentorship.objects.filter(request=request, state=Mentorship.State.PROPOSED).update(
            state=Mentorship.State.DECLINED, declined_by=by
        )
        audit_log(
            "mentor_request.withdrawn",
            request,
            actor=by,
            before={"state": before},
            after={"state": request.state},
        )
    return request


@transaction.atomic
def matches_propose(*, by: User | None = None) -> list[Mentorship]:
    """Propose a mentor to everyone waiting, by area, region, language and load (see
    core/matching.py); both sides are mailed and asked to accept."""
    seekers, mentors, declined, requests = selectors.matching_input()
    # Lock the requests so two runs at once can't propose twice.
    open_ids = set(
        MentorRequest.objects.select_for_update()
        .filter(pk__in=list(requests), state=MentorRequest.State.OPEN)
        .values_list("pk", flat=True)
    )
    made = []
    for pair in matching.propose(
        [s for s in seekers if s.id in open_ids], mentors, excluded=declined
    ):
        request = requests[pair.seeker]
        mentorship = Mentorship.objects.create(
            request=request, mentor_id=pair.mentor, mentee_id=request.user_id
        )
        mentorship.areas.set(pair.areas)
        request.state = MentorRequest.State.MATCHED
        request.save(update_fields=["state", "updated_at"])
        mentorship = Mentorship.objects.select_related("mentor", "mentee").get(pk=mentorship.pk)
        _mail_pair(mentorship, "mentoring_proposed", "mentoring-proposed")
        audit_log(
            "mentorship.proposed",
            mentorship,
            actor=by,
            data={"areas": list(pair.areas), "score": pair.score},
        )
        made.append(mentorship)
    return made


@transaction.atomic
def mentorship_respond(*, mentorship: Mentorship, by: User, accept: bool) -> Mentorship:
    """Each side accepts or declines; the pair starts when both accepted. A decline sends the
    request back to the queue, and this pair is never proposed again."""
    mentorship = (
        Mentorship.objects.select_for_update()
        .select_related("mentor", "mentee", "request")
        .get(pk=mentorship.pk)
    )
    if by.pk not in (mentorship.mentor_id, mentorship.mentee_id):
        raise PermissionDenied
    if mentorship.state != Mentorship.State.PROPOSED:
        raise ValidationError(_("This pair is no longer waiting for an answer."))
    now = timezone.now()
    if not accept:
        mentorship.state, mentorship.declined_by = Mentorship.State.DECLINED, by
        mentorship.save(update_fields=["state", "declined_by", "updated_at"])
        if mentorship.request.state == MentorRequest.State.MATCHED:
            mentorship.request.state = MentorRequest.State.OPEN
            mentorship.request.save(update_fields=["state", "updated_at"])
        audit_log("mentorship.declined", mentorship, actor=by)
        return mentorship
    field = "mentor_accepted_at" if by.pk == mentorship.mentor_id else "mentee_accepted_at"
    setattr(mentorship, field, getattr(mentorship, field) or now)
    if mentorship.mentor_accepted_at and mentorship.mentee_accepted_at:
        mentorship.state, mentorship.started_at = Mentorship.State.ACTIVE, now
        _mail_pair(mentorship, "mentoring_started", "mentoring-started")
    mentorship.save()
    audit_log("mentorship.accepted", mentorship, actor=by, after={"state": mentorship.state})
    return mentorship


def checkins_send_due(*, now: dt.datetime | None = None) -> int:
    """Mail both sides of every pair 30 and 90 days after it started. Idempotent."""
    now = now or timezone.now()
    sent = 0
    for days, field in CHECKINS:
        due = Mentorship.objects.filter(
            state=Mentorship.State.ACTIVE,
            started_at__lte=now - dt.timedelta(days=days),
            **{f"{field}__isnull": True},
        ).values_list("pk", flat=True)
        for pk in list(due):
            sent += _checkin_send(pk=pk, days=days, field=field, now=now)
    return sent


@transaction.atomic
def _checkin_send(*, pk: int, days: int, field: str, now: dt.datetime) -> int:
    mentorship = (
        Mentorship.objects.select_for_update()
        .select_related("mentor", "mentee")
        .filter(pk=pk, **{f"{field}__isnull": True})
        .first()
    )
    if mentorship is None:
        return 0
    setattr(mentorship, field, now)
    mentorship.save(update_fields=[field, "updated_at"])
    _mail_pair(mentorship, "mentoring_checkin", f"mentoring-checkin-{days}", days=days)
    audit_log("mentorship.checkin_sent", mentorship, data={"days": days})
    return 1


def matches_propose_due() -> int:
    """The daily job: propose mentors to everyone still waiting."""
    return len(matches_propose())
