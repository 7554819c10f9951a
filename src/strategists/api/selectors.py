"""Reads the API serves, with what each list needs loaded up front: a page costs the same
number of queries whatever its length."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from strategists.accounts.models import Organization, User
from strategists.api.models import Tag, Tagging
from strategists.events.models import Event, Registration
from strategists.events.selectors import answers_prefetch


def _events() -> QuerySet[Event]:
    return (
        Event.objects.select_related("organization", "city__subdivision")
        .prefetch_related("languages", "skill_areas")
        .annotate(
            accepted_count=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
            ),
            waitlist_count=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
            ),
        )
    )


def visible_events(user: User) -> QuerySet[Event]:
    """Published events for every token holder; hosts also see their own; coordinators all."""
    events = _events()
    if not user.is_coordinator:
        hosted = Organization.hosts.through.objects.filter(user_id=user.pk).values(
            "organization_id"
        )
        events = events.filter(
            Q(state__in=Event.PUBLISHED_STATES)
            | Q(organization_id__in=hosted)
            | Q(proposed_by_id=user.pk)
        )
    return events.order_by("starts_at", "window_start", "pk")


def events_with_organization() -> QuerySet[Event]:
    """Enough to check permissions on an event (the rules read its organization)."""
    return Event.objects.select_related("organization")


def events_for_permissions() -> QuerySet[Event]:
    """Only the columns the events' permission rules read (state, organization, proposer): for
    views that need the event for nothing else, such as the record_attendance_helper, which
    locks and reads it again to register."""
    return Event.objects.select_related("organization").only(
        "state", "proposed_by_id", "organization__id"
    )


def _queue_rank():
    """A registration's place among those of its event and status, by when they joined the
    waitlist: counted by a subquery (not a window), so a `filter` on the list leaves it whole."""
    ahead = (
        Registration.objects.filter(
            event_id=OuterRef("event_id"),
            status=OuterRef("status"),
            waitlisted_at__lt=OuterRef("waitlisted_at"),
        )
        .order_by()
        .values("event_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(ahead), Value(0)) + 1


def attendances(event: Event) -> QuerySet[Registration]:
    """Every registration at an event, with each waitlisted one's place in the queue."""
    return (
        event.registrations.select_related("person__city__subdivision", "event")
        .prefetch_related(answers_prefetch())
        .annotate(queue_rank=_queue_rank())
        .order_by("created_at", "pk")
    )


def person_attendances(person: User) -> QuerySet[Registration]:
    """Every registration of one person, with each waitlisted one's place in its queue."""
    return (
        Registration.objects.filter(person=person)
        .select_related("person__city__subdivision", "event")
        .prefetch_related(answers_prefetch())
        .annotate(queue_rank=_queue_rank())
        .order_by("created_at", "pk")
    )


def people() -> QuerySet[User]:
    return (
        User.objects.select_related("city__subdivision", "organization")
        .prefetch_related("languages")
        .order_by("date_joined", "pk")
    )


def tags() -> QuerySet[Tag]:
    return Tag.objects.order_by("name", "pk")


def people_taggable_by(user: User) -> QuerySet[User]:
    """Everyone for a coordinator; for a host, the people registered to a training of an
    organization they host for (api/rules.py says the same for one person)."""
    if user.is_coordinator:
        return User.objects.all()
    return User.objects.filter(
        pk__in=Registration.objects.filter(event__organization__hosts=user).values("person_id")
    )


def taggings(tag: Tag, user: User) -> QuerySet[Tagging]:
    """The tag's taggings of the people `user` may tag."""
    found = tag.taggings.select_related("person").order_by("created_at", "pk")
    if not user.is_coordinator:
        found = found.filter(person__in=people_taggable_by(user))
    return found
