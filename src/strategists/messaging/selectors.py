"""Reads for the message pages: the log with delivery counts, one message's progress, the
trainings a sender may write to."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from strategists.common.models import OutgoingMail
from strategists.events.models import Event
from strategists.messaging.models import Delivery, Message, Unsubscription

LOG_LIMIT = 100
SENT = OutgoingMail.Status.SENT
SKIPPED = OutgoingMail.Status.SKIPPED
FAILED = OutgoingMail.Status.FAILED


def messages_for(user) -> QuerySet[Message]:
    """The log: every message for coordinators, one's own for hosts; with delivery counts in
    the same query."""
    messages = Message.objects.select_related("sender", "event").annotate(
        sent=Count("deliveries", filter=Q(deliveries__mail__status=SENT)),
        skipped=Count("deliveries", filter=Q(deliveries__mail__status=SKIPPED)),
    )
    if not user.is_coordinator:
        messages = messages.filter(sender=user)
    return messages.order_by("-created_at", "-pk")


def message_progress(message: Message) -> dict:
    """How many of its mails have left, were skipped (opted out) or failed: one query."""
    counts = Delivery.objects.filter(message=message).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(mail__status=SENT)),
        skipped=Count("pk", filter=Q(mail__status=SKIPPED)),
        failed=Count("pk", filter=Q(mail__status=FAILED)),
    )
    # Deliveries with no mail yet are still being written to the outbox (fanout.py).
    counts["done"] = counts["sent"] + counts["skipped"] + counts["failed"]
    counts["finished"] = counts["done"] >= counts["total"]
    counts["percent"] = round(100 * counts["done"] / counts["total"]) if counts["total"] else 100
    return counts


def trainings_to_message(user, *, now: dt.datetime | None = None) -> QuerySet[Event]:
    """Trainings whose registrants the user may write to: their organizations' (all of them
    for coordinators), from three months back on, soonest first."""
    now = now or timezone.now()
    events = Event.objects.filter(
        state__in=Event.PUBLISHED_STATES, starts_at__gte=now - dt.timedelta(days=90)
    ).select_related("organization")
    if not user.is_coordinator:
        events = events.filter(organization__hosts=user)
    return events.order_by("starts_at", "pk")


def refused_categories(person) -> set[str]:
    return set(Unsubscription.objects.filter(person=person).values_list("category", flat=True))
