"""Reads shared by the views and the feeds."""

from collections import defaultdict

from django.db.models import Avg, Count, Max, Min, Prefetch, Q

from strategists.accounts.models import ExpertApplication, RoleGrant, User
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
    Track,
)


def conference_for(slug: str) -> Conference:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Conference.objects.select_related("city"), slug=slug)


def sessions(conference: Conference):
    return (
        Session.objects.filter(conference=conference)
        .select_related("track", "track__skill_area", "room")
        .prefetch_related(Prefetch("speakers", queryset=User.objects.order_by("name")), "languages")
    )


def published_sessions(conference: Conference):
    return sessions(conference).filter(state=Session.State.PUBLISHED, room__isnull=False)


def agenda(conference: Conference) -> list[dict]:
    """[{day, tracks: [{track, sessions}]}] for the published, placed sessions, in the conference's
    own days (a session at 23:30 local belongs to that local day)."""
    zone = conference.zone
    by_day: dict = defaultdict(lambda: defaultdict(list))
    tracks = {}
    for session in published_sessions(conference):
        day = session.starts_at.astimezone(zone).date()
        by_day[day][session.track_id].append(session)
        tracks[session.track_id] = session.track
    ordered_tracks = sorted(tracks.values(), key=lambda t: (t.position, t.pk))
    return [
        {
            "day": day,
            "tracks": [
                {"track": t, "sessions": by_day[day][t.pk]}
                for t in ordered_tracks
                if by_day[day][t.pk]
            ],
        }
        for day in sorted(by_day)
    ]


def organizations_of(user_ids) -> dict[int, set[int]]:
    """Each person's organizations for conflicts of interest: the one they declared (it can only
    add exclusions), those they host for by an active grant, and an approved expert
    application's."""
    found: dict[int, set[int]] = defaultdict(set)
    ids = {i for i in user_ids if i}
    for pk, org in User.objects.filter(pk__in=ids, organization__isnull=False).values_list(
        "pk", "organization_id"
    ):
        found[pk].add(org)
    for pk, org in RoleGrant.objects.filter(
        user_id__in=ids,
        role=RoleGrant.Kind.HOST,
        state=RoleGrant.State.ACTIVE,
        organization__isnull=False,
    ).values_list("user_id", "organization_id"):
        found[pk].add(org)
    for pk, org in ExpertApplication.objects.filter(
        user_id__in=ids, state=ExpertApplication.State.APPROVED, organization__isnull=False
    ).values_list("user_id", "organization_id"):
        found[pk].add(org)
    return found


def _speaker_ids(proposals) -> dict[int, set[int]]:
    """The people behind each proposal: its proposer, and every invited co-speaker who has an
    account (accepted or not)."""
    speakers = {p.pk: {p.proposer_id} for p in proposals}
    invitations = SpeakerInvitation.objects.filter(proposal__in=[p.pk for p in proposals])
    emails = defaultdict(set)
    for invitation in invitations:
        if invitation.user_id:
            speakers[invitation.proposal_id].add(invitation.user_id)
        emails[invitation.email.lower()].add(invitation.proposal_id)
    if emails:
        query = Q()
        for email in emails:
            query |= Q(email__iexact=email)
        for pk, email in User.objects.filter(query).values_list("pk", "email"):
            for proposal_id in emails[email.lower()]:
                speakers[proposal_id].add(pk)
    return speakers


def reviewable(user, proposals) -> list:
    """The proposals this person may review: not theirs, none of their organizations involved."""
    proposals = list(proposals)
    if not proposals:
        return []
    speakers = _speaker_ids(proposals)
    everyone = {user.pk} | set().union(*speakers.values())
    organizations = organizations_of(everyone)
    mine = organizations.get(user.pk, set())
    result = []
    for proposal in proposals:
        people = speakers[proposal.pk]
        if user.pk in people:
            continue
        if mine and any(mine & organizations.get(pk, set()) for pk in people):
            continue
        result.append(proposal)
    return result


def conflicted(user, proposal) -> bool:
    return not reviewable(user, [proposal])


def review_queue(conference: Conference, user):
    """What a reviewer sees: the proposals under review they may score, with their own review."""
    proposals = (
        Proposal.objects.filter(conference=conference, state=Proposal.State.SUBMITTED)
        .select_related("track")
        .order_by("created_at", "pk")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.filter(reviewer=user), to_attr="my_reviews")
        )
    )
    return reviewable(user, proposals)


def proposals_with_scores(conference: Conference):
    return (
        Proposal.objects.filter(conference=conference)
        .select_related("track", "proposer", "proposer__organization")
        .annotate(
            review_count=Count("reviews"),
            score_min=Min("reviews__total"),
            score_max=Max("reviews__total"),
            score_mean=Avg("reviews__total"),
        )
        .order_by("state", "-created_at", "pk")
    )


def reviewers(conference: Conference):
    return ConferenceReviewer.objects.filter(conference=conference).select_related(
        "user", "granted_by"
    )


def my_proposals(conference: Conference, user):
    return (
        Proposal.objects.filter(conference=conference, proposer=user)
        .select_related("track")
        .order_by("-created_at", "pk")
    )


def grid(conference: Conference) -> dict:
    """The schedule grid: time slots as rows, rooms as columns, the placed sessions in their cell,
    and the sessions waiting for a place."""
    rooms = list(Room.objects.filter(conference=conference))
    slots = list(TimeSlot.objects.filter(conference=conference))
    all_sessions = list(sessions(conference))
    placed = [s for s in all_sessions if s.is_placed]
    rows = []
    for slot in slots:
        cells = []
        for room in rooms:
            here = [
                s
                for s in placed
                if s.room_id == room.pk and slot.starts_at <= s.starts_at < slot.ends_at
            ]
            cells.append({"room": room, "sessions": here})
        rows.append({"slot": slot, "cells": cells})
    return {
        "rooms": rooms,
        "rows": rows,
        "sessions": all_sessions,
        "unplaced": [s for s in all_sessions if not s.is_placed],
    }


def tracks(conference: Conference):
    return Track.objects.filter(conference=conference).select_related("skill_area")


def my_schedule(conference: Conference, person):
    """The published sessions a person added to their schedule, in time order."""
    return (
        published_sessions(conference)
        .filter(followers__person=person)
        .order_by("starts_at", "room__position")
    )


def feed_by_token(conference: Conference, token: str) -> ScheduleFeed | None:
    from strategists.events.models import token_hash

    return (
        ScheduleFeed.objects.select_related("person")
        .filter(conference=conference, token_hash=token_hash(token))
        .first()
    )


def schedule_feed_for(conference: Conference, person) -> ScheduleFeed | None:
    return ScheduleFeed.objects.filter(conference=conference, person=person).first()


def following(conference: Conference, person) -> set[int]:
    if not person.is_authenticated:
        return set()
    return set(
        ScheduleEntry.objects.filter(person=person, session__conference=conference).values_list(
            "session_id", flat=True
        )
    )


def delegations_for(conference: Conference, user):
    from strategists.convening.models import Delegation

    blocks = (
        Delegation.objects.filter(conference=conference)
        .select_related("organization")
        .annotate(named=Count("registrations"))
        .order_by("organization__name")
    )
    return blocks if user.is_coordinator else blocks.filter(organization__hosts=user)


def conference_index(today) -> tuple[list[Conference], list[Conference]]:
    """Upcoming (soonest first, including one under way) and past (latest first), in one query:
    a program holds a handful of conferences a year."""
    conferences = list(Conference.objects.select_related("city").order_by("starts_on", "pk"))
    upcoming = [c for c in conferences if c.ends_on >= today]
    past = [c for c in reversed(conferences) if c.ends_on < today]
    return upcoming, past
