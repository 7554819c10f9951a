"""Every write at a conference: proposals, reviews, decisions, reviewer grants, the schedule.
Each one is atomic and audited; mail goes to the outbox."""

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.common.audit import audit_log
from strategists.common.mail import mail_person, mail_queue
from strategists.convening.models import (
    Conference,
    ConferenceReviewer,
    Proposal,
    Review,
    Room,
    ScheduleEntry,
    ScheduleFeed,
    Session,
    SpeakerInvitation,
    TimeSlot,
)
from strategists.events.models import new_token, token_hash

PROPOSAL_FIELDS = ("title", "abstract", "format", "level", "track", "duration_minutes", "outcomes")


def _invite(proposal: Proposal, emails: list[str], by) -> None:
    existing = {i.email.lower() for i in proposal.invitations.all()}
    for email in emails:
        email = email.strip().lower()
        if not email or email in existing or email == by.email.lower():
            continue
        existing.add(email)
        invitation = SpeakerInvitation.objects.create(
            proposal=proposal, email=email, token=secrets.token_urlsafe(24)
        )
        audit_log("proposal.speaker_invited", proposal, actor=by, data={"email": email})
        mail_queue(
            to=email,
            template="convening/mail/invitation",
            kind="convening.invitation",
            context={
                "proposal": proposal,
                "by": by,
                "invitation": invitation,
                "conference": proposal.conference,
            },
            language=by.preferred_language,
        )


@transaction.atomic
def proposal_submit(
    *,
    conference: Conference,
    proposer,
    title: str,
    abstract: str,
    format: str,
    level: str,
    track,
    duration_minutes: int,
    outcomes: str,
    co_speakers: list[str] = (),
) -> Proposal:
    if not conference.cfp_open():
        raise ValidationError(_("The call for proposals is closed."))
    if track.conference_id != conference.pk:
        raise ValidationError(_("Pick one of this conference's tracks."))
    proposal = Proposal.objects.create(
        conference=conference,
        proposer=proposer,
        title=title,
        abstract=abstract,
        format=format,
        level=level,
        track=track,
        duration_minutes=duration_minutes,
        outcomes=outcomes,
    )
    audit_log(
        "proposal.submitted", proposal, actor=proposer, after={"title": title, "track": track.name}
    )
    _invite(proposal, list(co_speakers), proposer)
    return proposal


@transaction.atomic
def proposal_edit(*, proposal: Proposal, by, co_speakers: list[str] = (), **values) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != Proposal.State.SUBMITTED or not proposal.conference.cfp_open():
        raise ValidationError(_("This proposal can no longer be changed."))
    if values["track"].conference_id != proposal.conference_id:
        raise ValidationError(_("Pick one of this conference's tracks."))
    before = {name: getattr(proposal, name) for name in PROPOSAL_FIELDS}
    for name in PROPOSAL_FIELDS:
        setattr(proposal, name, values[name])
    proposal.save()
    after = {name: getattr(proposal, name) for name in PROPOSAL_FIELDS}
    changed = [name for name in PROPOSAL_FIELDS if before[name] != after[name]]
    audit_log(
        "proposal.edited",
        proposal,
        actor=by,
        before={n: before[n] for n in changed},
        after={n: after[n] for n in changed},
    )
    _invite(proposal, list(co_speakers), by)
    return proposal


@transaction.atomic
def invitation_accept(*, invitation: SpeakerInvitation, user) -> SpeakerInvitation:
    invitation = (
        SpeakerInvitation.objects.select_for_update()
        .select_related("proposal")
        .get(pk=invitation.pk)
    )
    if invitation.accepted_at and invitation.user_id != user.pk:
        raise ValidationError(_("Someone else already accepted this invitation."))
    if invitation.proposal.state in {Proposal.State.DECLINED, Proposal.State.WITHDRAWN}:
        raise ValidationError(_("This proposal is closed."))
    if invitation.accepted_at is None:
        invitation.user = user
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["user", "accepted_at"])
        if invitation.proposal.session_id:
            invitation.proposal.session.speakers.add(user)
        audit_log(
            "proposal.speaker_joined",
            invitation.proposal,
            actor=user,
            data={"email": invitation.email},
        )
    return invitation


@transaction.atomic
def reviewer_grant(*, conference: Conference, user, by) -> ConferenceReviewer:
    if not by.is_coordinator:
        raise ValidationError(_("Only coordinators grant the reviewer role."))
    grant, created = ConferenceReviewer.objects.select_for_update().get_or_create(
        conference=conference, user=user, defaults={"granted_by": by}
    )
    if not created:
        if grant.revoked_at is None:
            return grant
        grant.revoked_at = None
        grant.granted_by = by
        grant.granted_at = timezone.now()
        grant.save(update_fields=["revoked_at", "granted_by", "granted_at"])
    audit_log(
        "conference.reviewer_granted",
        grant,
        actor=by,
        data={"conference": conference.slug, "person": user.email},
    )
    return grant


@transaction.atomic
def reviewer_revoke(*, grant: ConferenceReviewer, by) -> ConferenceReviewer:
    if not by.is_coordinator:
        raise ValidationError(_("Only coordinators revoke the reviewer role."))
    grant = ConferenceReviewer.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        audit_log("conference.reviewer_revoked", grant, actor=by, data={"person": grant.user.email})
    return grant


@transaction.atomic
def review_save(
    *, proposal: Proposal, reviewer, relevance: int, clarity: int, practice: int, comment: str = ""
) -> Review:
    from strategists.convening.selectors import conflicted

    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != Proposal.State.SUBMITTED:
        raise ValidationError(_("This proposal is no longer under review."))
    if not proposal.conference.reviewers.filter(user=reviewer, revoked_at__isnull=True).exists():
        raise ValidationError(_("You are not a reviewer for this conference."))
    if conflicted(reviewer, proposal):
        raise ValidationError(
            _("You may not review a proposal from yourself or your own organization.")
        )
    for value in (relevance, clarity, practice):
        if not 1 <= value <= 5:
            raise ValidationError(_("Scores run from 1 to 5."))
    values = {
        "relevance": relevance,
        "clarity": clarity,
        "practice": practice,
        "total": relevance + clarity + practice,
        "comment": comment,
    }
    review, created = Review.objects.update_or_create(
        proposal=proposal, reviewer=reviewer, defaults=values
    )
    audit_log(
        "proposal.reviewed",
        proposal,
        actor=reviewer,
        after={"relevance": relevance, "clarity": clarity, "practice": practice, "new": created},
    )
    return review


@transaction.atomic
def proposal_decide(*, proposal: Proposal, by, accept: bool, message: str = "") -> Proposal:
    if not by.is_coordinator:
        raise ValidationError(_("Only coordinators decide on proposals."))
    proposal = (
        Proposal.objects.select_for_update()
        .select_related("conference", "proposer")
        .get(pk=proposal.pk)
    )
    if proposal.state != Proposal.State.SUBMITTED:
        raise ValidationError(_("This proposal was already decided."))
    before = proposal.state
    proposal.state = Proposal.State.ACCEPTED if accept else Proposal.State.DECLINED
    proposal.message = message
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    if accept:
        session = Session.objects.create(
            conference=proposal.conference,
            title=proposal.title,
            abstract=proposal.abstract,
            format=proposal.format,
            level=proposal.level,
            track=proposal.track,
            duration_minutes=proposal.duration_minutes,
        )
        speakers = [
            proposal.proposer_id,
            *proposal.invitations.filter(user__isnull=False).values_list("user_id", flat=True),
        ]
        session.speakers.set(speakers)
        proposal.session = session
    proposal.save()
    audit_log(
        "proposal.accepted" if accept else "proposal.declined",
        proposal,
        actor=by,
        before={"state": before},
        after={"state": proposal.state},
        data={"message": message},
    )
    mail_person(
        proposal.proposer,
        template="convening/mail/accepted" if accept else "convening/mail/declined",
        kind="convening.decision",
        context={"proposal": proposal, "conference": proposal.conference},
    )
    return proposal


@transaction.atomic
def proposal_confirm(*, proposal: Proposal, by) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.proposer_id != by.pk:
        raise ValidationError(_("Only the speaker confirms."))
    if proposal.state != Proposal.State.ACCEPTED:
        raise ValidationError(_("Only an accepted proposal can be confirmed."))
    proposal.state = Proposal.State.CONFIRMED
    proposal.confirmed_at = timezone.now()
    proposal.save(update_fields=["state", "confirmed_at", "updated_at"])
    audit_log(
        "proposal.confirmed",
        proposal,
        actor=by,
        before={"state": "accepted"},
        after={"state": "confirmed"},
    )
    return proposal


def _placement_conflict(
    session: Session, room: Room, starts_at: dt.datetime, ends_at: dt.datetime
) -> str | None:
    overlapping = Session.objects.filter(
        conference=session.conference,
        room__isnull=False,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).exclude(pk=session.pk)
    in_room = overlapping.filter(room=room).first()
    if in_room:
        return _("%(room)s already has “%(other)s” at that time.") % {
            "room": room.name,
            "other": in_room.title,
        }
    speaker_ids = list(session.speakers.values_list("pk", flat=True))
    clash = overlapping.filter(speakers__in=speaker_ids).select_related("room").distinct().first()
    if clash:
        person = clash.speakers.filter(pk__in=speaker_ids).order_by("name").first()
        return _("%(person)s already speaks in “%(other)s” (%(room)s) at that time.") % {
            "person": person.name,
            "other": clash.title,
            "room": clash.room.name,
        }
    return None


def _notify_followers(session: Session, what: str) -> None:
    for entry in ScheduleEntry.objects.filter(session=session).select_related("person"):
        mail_person(
            entry.person,
            template="convening/mail/session_changed",
            kind="convening.session_changed",
            context={"session": session, "conference": session.conference, "what": what},
        )


@transaction.atomic
def session_place(*, session: Session, room: Room, slot: TimeSlot, by) -> Session:
    """Put a session in a room at a slot's start. Refused, with the reason, when the room is taken,
    a speaker is elsewhere then, or the session runs longer than the slot."""
    if not by.is_coordinator:
        raise ValidationError(_("Only coordinators place sessions."))
    session = Session.objects.select_for_update().select_related("conference").get(pk=session.pk)
    if room.conference_id != session.conference_id or slot.conference_id != session.conference_id:
        raise ValidationError(_("That room or time is not part of this conference."))
    if session.duration_minutes > slot.minutes:
        raise ValidationError(
            _("“%(title)s” runs %(length)s minutes; this slot has only %(slot)s.")
            % {"title": session.title, "length": session.duration_minutes, "slot": slot.minutes}
        )
    starts_at = slot.starts_at
    ends_at = starts_at + dt.timedelta(minutes=session.duration_minutes)
    reason = _placement_conflict(session, room, starts_at, ends_at)
    if reason:
        raise ValidationError(reason)
    before = {
        "room": session.room.name if session.room_id else None,
        "starts_at": session.starts_at,
    }
    session.room, session.starts_at, session.ends_at = room, starts_at, ends_at
    session.save(update_fields=["room", "starts_at", "ends_at"])
    audit_log(
        "session.placed",
        session,
        actor=by,
        before=before,
        after={"room": room.name, "starts_at": starts_at},
    )
    if session.is_published:
        _notify_followers(session, "moved")
    return session


@transaction.atomic
def session_unplace(*, session: Session, by) -> Session:
    if not by.is_coordinator:
        raise ValidationError(_("Only coordinators change the schedule."))
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not session.is_placed:
        return session
    before = {"room": session.room.name, "starts_at": session.starts_at, "state": session.state}
    was_published = session.is_published
    session.room = session.starts_at = session.ends_at = None
    session.state = Session.State.DRAFT
    session.save(update_fields=["room", "starts_at", "ends_at", "state"])
    audit_log("session.unplaced", session, actor=by, before=before, after={"state": session.state})
    if was_published:
        _notify_followers(session, "removed")
    return session


@transaction.atomic
def schedule_publish(*, conference: Conference, by) -> int:
    """Publish every placed session; the conference's schedule is public from now on."""
    if not by.is_coordinator:
        raise ValidationError(_("Only coordinators publish the schedule."))
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    count = Session.objects.filter(
        conference=conference, room__isnull=False, state=Session.State.DRAFT
    ).update(state=Session.State.PUBLISHED)
    first = conference.schedule_published_at is None
    if first:
        conference.schedule_published_at = timezone.now()
        conference.save(update_fields=["schedule_published_at"])
    audit_log(
        "conference.schedule_published",
        conference,
        actor=by,
        data={"sessions": count, "first": first},
    )
    return count


@transaction.atomic
def schedule_add(*, person, session: Session) -> ScheduleEntry:
    entry, created = ScheduleEntry.objects.get_or_create(person=person, session=session)
    if created:
        audit_log("schedule.added", session, actor=person)
    return entry


@transaction.atomic
def schedule_remove(*, person, session: Session) -> None:
    deleted, _count = ScheduleEntry.objects.filter(person=person, session=session).delete()
    if deleted:
        audit_log("schedule.removed", session, actor=person)


@transaction.atomic
def schedule_feed_rotate(*, person, conference: Conference) -> tuple[ScheduleFeed, str]:
    """Make the person's private feed for this conference, or a new one that retires the old
    URL at once. Returns the feed and the plain token, to be shown once."""
    token = new_token()
    feed = (
        ScheduleFeed.objects.select_for_update()
        .filter(person=person, conference=conference)
        .first()
    )
    if feed is None:
        feed = ScheduleFeed.objects.create(
            person=person, conference=conference, token_hash=token_hash(token)
        )
        audit_log("schedule_feed.created", feed, actor=person)
    else:
        feed.token_hash, feed.created_at = token_hash(token), timezone.now()
        feed.save(update_fields=["token_hash", "created_at"])
        audit_log("schedule_feed.rotated", feed, actor=person)
    return feed, token
