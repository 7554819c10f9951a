"""Reads of the audit log: the entries the log page and its export filter, newest first."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from strategists.common.models import AuditEntry


def _day_start(day: dt.date) -> dt.datetime | None:
    """Midnight at the start of `day` in the site's time zone; None beyond what a date and time
    can hold (year 1 or 9999), where the range has no bound on that side."""
    try:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min)).astimezone(dt.UTC)
    except (OverflowError, ValueError):
        return None


def audit_entries(
    *,
    actor_id: int | None = None,
    actor_email: str = "",
    object_type: str = "",
    object_id: str = "",
    action: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """The log, newest first, filtered. `action` is a prefix (`role.` or `event.approved`);
    `since` and `until` are whole days in the site's time zone, both included."""
    entries = AuditEntry.objects.order_by("-created_at", "-pk")
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    if actor_email:
        entries = entries.filter(actor__email=actor_email.strip().lower())
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if action:
        entries = entries.filter(action__startswith=action)
    if since is not None and (start := _day_start(since)) is not None:
        entries = entries.filter(created_at__gte=start)
    if until is not None:
        try:
            end = _day_start(until + dt.timedelta(days=1))
        except OverflowError:
            end = None
        if end is not None:
            entries = entries.filter(created_at__lt=end)
    return entries
