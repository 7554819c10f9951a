"""Reads of trainings and registrations that views and the API share, with seat counts."""

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from strategists.common.geo import haversine_km
from strategists.events.models import (
    Answer,
    CalendarFeed,
    Event,
    Registration,
    RegistrationLink,
    token_hash,
)

SEAT_HOLDING = (Registration.Status.REGISTERED, Registration.Status.OFFERED)


def with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(
        seats_taken=Count(
            "registrations", filter=Q(registrations__status__in=SEAT_HOLDING), distinct=True
        ),
        waitlist_count=Count(
            "registrations",
            filter=Q(registrations__status=Registration.Status.WAITLISTED),
            distinct=True,
        ),
        attended_count=Count(
            "registrations", filter=Q(registrations__checked_in_at__isnull=False), distinct=True
        ),
    )


def _base() -> QuerySet[Event]:
    return Event.objects.select_related(
        "organization", "city__subdivision", "city__region"
    ).prefetch_related("languages", "skill_areas")


def upcoming_events(
    *,
    region: str = "",
    month: str = "",
    skill_area: str = "",
    language: str = "",
    format: str = "",
    now: dt.datetime | None = None,
) -> QuerySet[Event]:
    now = now or timezone.now()
    events = with_counts(
        _base().filter(state=Event.State.APPROVED, starts_at__gte=now - dt.timedelta(hours=6))
    )
    if region:
        events = events.filter(city__region_id=region)
    if month:
        try:
            year, number = (int(part) for part in month.split("-"))
            events = events.filter(starts_at__year=year, starts_at__month=number)
        except ValueError:
            pass
    if skill_area:
        events = events.filter(skill_areas__id=skill_area)
    if language:
        events = events.filter(languages__code=language)
    if format:
        events = events.filter(format=format)
    return events.order_by("starts_at", "pk")


def sort_by_distance(events, origin: tuple[float, float]) -> list[Event]:
    events = list(events)
    for event in events:
        event.distance_km = haversine_km(origin, (event.city.latitude, event.city.longitude))
    return sorted(events, key=lambda e: (e.distance_km, e.starts_at))


def event_detail(pk: int) -> Event:
    return with_counts(
        _base().select_related("proposed_by").prefetch_related("co_sponsors", "taught_areas")
    ).get(pk=pk)


def coordinator_queue() -> QuerySet[Event]:
    return (
        _base()
        .filter(state__in=[Event.State.PROPOSED, Event.State.CHANGES_REQUESTED])
        .select_related("proposed_by")
        .order_by("created_at")
    )


def host_events(user) -> QuerySet[Event]:
    return with_counts(_base().filter(organization__hosts=user)).order_by("-created_at")


def answers_prefetch() -> Prefetch:
    """A registration's answers with their questions, in the order the form asks them (the
    attendee page, the CSV, the API's attendances)."""
    return Prefetch(
        "answers",
        queryset=Answer.objects.select_related("question").order_by(
            "question__position", "question_id"
        ),
    )


def attendees(event: Event) -> QuerySet[Registration]:
    return (
        event.registrations.select_related("person__organization")
        .prefetch_related(answers_prefetch())
        .order_by("status", "created_at", "pk")
    )


def checkin_list(event: Event, query: str = "") -> QuerySet[Registration]:
    registrations = event.registrations.exclude(
        status=Registration.Status.CANCELLED
    ).select_related("person")
    if query:
        # An account's own name is searched only where the hosts may see it (shows_person).
        registrations = registrations.filter(
            Q(person__name__icontains=query) & (Q(guest_name="") | Q(confirmed_at__isnull=False))
            | Q(guest_name__icontains=query)
            | Q(person__email__icontains=query)
        )
    return registrations.order_by("person__name", "guest_name", "pk")


def my_registrations(user) -> QuerySet[Registration]:
    return user.registrations.select_related(
        "event__city__subdivision", "event__organization"
    ).order_by("-event__starts_at")


def calendar_feed_for(user) -> CalendarFeed | None:
    """The person's private feed, if they made one (its URL is not recoverable from it)."""
    return CalendarFeed.objects.filter(person=user).first()


# Longer than any token we hand out: anything longer is not ours, and is not hashed.
MAX_TOKEN_LENGTH = 100


def calendar_feed_by_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return CalendarFeed.objects.filter(token_hash=token_hash(token)).first()


def registration_link(token: str) -> RegistrationLink | None:
    """The mailed link this token opens (expired or not), with what its page shows."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return (
        RegistrationLink.objects.select_related(
            "registration__event__city__subdivision",
            "registration__person",
        )
        .filter(token_hash=token_hash(token))
        .first()
    )


def feed_events(feed: CalendarFeed) -> QuerySet[Event]:
    return (
        Event.objects.filter(
            registrations__person_id=feed.person_id,
            registrations__status__in=SEAT_HOLDING,
            starts_at__isnull=False,
        )
        .select_related("city__subdivision")
        .distinct()
    )


def program_events() -> QuerySet[Event]:
    return Event.objects.filter(
        state__in=Event.PUBLISHED_STATES, starts_at__isnull=False
    ).select_related("city__subdivision")
