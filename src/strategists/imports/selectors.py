"""Reads for the import pages and the exports, narrowed to what each person may see: hosts
their own imports and their organizations' trainings, coordinators everything."""

from django.db.models import QuerySet

from strategists.accounts.models import User
from strategists.events.models import Event, Registration
from strategists.imports.models import ImportJob


def import_history(user: User) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.select_related("created_by", "event").defer("content", "preview")
    return jobs if user.is_coordinator else jobs.filter(created_by=user)


def import_job(pk: int) -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("created_by", "event").filter(pk=pk)


def importable_events(user: User) -> QuerySet[Event]:
    """Trainings an importer may add people to: approved or completed, theirs if a host."""
    events = Event.objects.filter(state__in=Event.PUBLISHED_STATES).select_related("organization")
    if not user.is_coordinator:
        events = events.filter(organization__hosts=user)
    return events.order_by("-starts_at", "pk")


def export_registrations(
    user: User, *, event: Event | None = None, attended_only: bool = False
) -> QuerySet[Registration]:
    registrations = (
        Registration.objects.filter(person__isnull=False)
        .select_related("event", "person")
        .order_by("event__starts_at", "event_id", "pk")
    )
    if event is not None:
        registrations = registrations.filter(event=event)
    elif not user.is_coordinator:
        registrations = registrations.filter(event__organization__hosts=user)
    if attended_only:
        registrations = registrations.filter(checked_in_at__isnull=False)
    return registrations


def export_people(user: User, *, event: Event | None = None) -> QuerySet[User]:
    """Everyone for coordinators; for a host (or one training) the people registered there."""
    people = User.objects.select_related("city").order_by("pk")
    if event is not None:
        return people.filter(registrations__event=event).distinct()
    if user.is_coordinator:
        return people.filter(is_active=True)
    return people.filter(registrations__event__organization__hosts=user).distinct()
