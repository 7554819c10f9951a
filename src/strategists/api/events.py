"""osdi:events: list and read for every token holder (what each may see: selectors.visible_events),
create for hosts (for their organization) and coordinators, update with `events.change_event`.

A created event is a proposal, as on the web: a coordinator approves it before it is published
and open for registration (its status reads "tentative" until then). `status` is writable as in
OSDI, through the same services as the web: "confirmed" approves a proposal (coordinators),
"cancelled" cancels with `strategists:reason` (hosts, coordinators). Nothing sent is silently
dropped: a read-only or unknown field is a 400 naming it."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from strategists.accounts.models import Organization
from strategists.api import filters, selectors
from strategists.api.event_input import READ_ONLY, EventWriteSerializer, service_errors
from strategists.api.hal import (
    ORIGIN_SYSTEM,
    ApiError,
    HalView,
    check_fields,
    get_or_404,
    identifiers,
    iso,
    paginate,
)
from strategists.api.people import EVENT_ID, PAGE_PARAMETERS
from strategists.events.models import Event
from strategists.events.services import event_approve, event_cancel, event_propose, event_update

STATUS = {
    Event.State.PROPOSED: "tentative",
    Event.State.CHANGES_REQUESTED: "tentative",
    Event.State.APPROVED: "confirmed",
    Event.State.COMPLETED: "confirmed",
    Event.State.CANCELLED: "cancelled",
    Event.State.DECLINED: "cancelled",
}


# Model fields named in the services' validation errors, and what the API calls them.
def event_data(view: HalView, event: Event) -> dict:
    city = event.city
    request = view.request
    data = {
        "identifiers": identifiers(event.pk),
        "origin_system": ORIGIN_SYSTEM,
        "created_date": iso(event.created_at),
        "modified_date": iso(event.updated_at),
        "title": event.title,
        "name": event.title,
        "description": event.description,
        "browser_url": request.build_absolute_uri(
            reverse("events:detail", kwargs={"pk": event.pk})
        ),
        "start_date": iso(event.starts_at),
        "end_date": iso(event.ends_at),
        "status": STATUS[event.state],
        "visibility": "public" if event.is_published else "private",
        "transparence": "opaque",
        "capacity": event.capacity,
        "total_accepted": event.accepted_count,
        "location": {
            "venue": event.venue,
            "address_lines": [event.address] if event.address else [],
            "locality": city.name,
            "region": city.subdivision_id,
            "postal_code": None,
            "country": city.subdivision.country,
            "location": {
                "latitude": city.latitude,
                "longitude": city.longitude,
                "accuracy": "Approximate",
            },
        },
        "strategists:state": event.state,
        "strategists:format": event.format,
        "strategists:timezone": event.timezone,
        "strategists:city": city.pk,
        "strategists:waitlist_count": event.waitlist_count,
        "strategists:window_start": iso(event.window_start),
        "strategists:window_end": iso(event.window_end),
        "strategists:duration_minutes": event.duration_minutes,
        "strategists:organization": {
            "identifiers": [f"strategists:{event.organization_id}"],
            "name": event.organization.name,
        },
        "strategists:languages": [language.code for language in event.languages.all()],
        "strategists:skill_areas": [area.id for area in event.skill_areas.all()],
        "strategists:accessibility": {
            "step_free": event.step_free,
            "asl": event.asl,
            "childcare": event.childcare,
            "interpretation": event.interpretation,
            "notes": event.accessibility_notes,
        },
        "_links": {
            "self": view.href("event_detail", event_id=event.pk),
            "osdi:attendances": view.href("attendances", event_id=event.pk),
            "osdi:record_attendance_helper": view.href("attendances", event_id=event.pk),
        },
    }
    return data


def apply_status(view: HalView, event: Event, wanted: str | None, reason: str) -> None:
    """Move the event to the OSDI status asked for, through the services the web uses; asking
    for the status it already has changes nothing (clients send back what they read)."""
    user = view.request.user
    if wanted is None or wanted == STATUS[event.state]:
        return
    try:
        if wanted == "confirmed":
            if not user.has_perm("events.review_event", event):
                raise ApiError(
                    'Only coordinators approve a training (status "confirmed").', "status", 403
                )
            event_approve(event=event, by=user)
        elif wanted == "cancelled":
            if not user.has_perm("events.change_event", event):
                raise ApiError(
                    "Only this event's hosts and coordinators can cancel it.", "status", 403
                )
            if not reason:
                raise ApiError(
                    "Say why in strategists:reason: the people registered are told.",
                    "strategists:reason",
                )
            event_cancel(event=event, by=user, reason=reason)
        else:
            raise ApiError(
                'A confirmed or cancelled event can\'t become a proposal ("tentative") again.',
                "status",
            )
    except DjangoValidationError as error:
        raise ApiError(" ".join(error.messages), "status") from error


class EventsView(HalView):
    @extend_schema(
        operation_id="events_list",
        summary="List events",
        parameters=[*PAGE_PARAMETERS, filters.parameter("events")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        return Response(
            paginate(
                self,
                filters.apply(request, selectors.visible_events(request.user), "events"),
                rel="osdi:events",
                url_name="events",
                url_kwargs={},
                represent=lambda event: event_data(self, event),
            )
        )

    @extend_schema(
        operation_id="event_create",
        summary="Create an event (hosts for their organization, coordinators)",
        request=EventWriteSerializer,
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        user = request.user
        if not (user.is_coordinator or user.hosted_organizations.exists()):
            self.permission_denied(request, "Only hosts and coordinators can create events.")
        body = self.body()
        serializer = EventWriteSerializer(data=body)
        check_fields(body, serializer.fields, read_only=READ_ONLY)
        serializer.is_valid(raise_exception=True)
        organization = self._organization(body.get("strategists:organization"))
        if serializer.status == "cancelled":
            raise ApiError("A new event can't be cancelled.", "status")
        try:
            with transaction.atomic():
                event = event_propose(
                    proposer=user, organization=organization, **serializer.validated_data
                )
                apply_status(self, event, serializer.status, serializer.reason)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(service_errors(error)) from error
        event = selectors.visible_events(user).get(pk=event.pk)
        data = event_data(self, event)
        return Response(
            data,
            status=status.HTTP_201_CREATED,
            headers={"Location": data["_links"]["self"]["href"]},
        )

    def _organization(self, ref) -> Organization:
        user = self.request.user
        field = "strategists:organization"
        if ref is None:
            if user.is_coordinator:
                return self._program_organization()
            hosted = list(user.hosted_organizations.all()[:2])
            if len(hosted) == 1:
                return hosted[0]
            raise ApiError(
                "Name the host organization by its id."
                if not hosted
                else "You host for several organizations: name one by its id.",
                field,
            )
        if isinstance(ref, bool) or not isinstance(ref, int | str) or not str(ref).isdigit():
            raise ApiError("An organization id is a whole number.", field)
        organization = Organization.objects.filter(pk=int(ref)).first()
        if organization is None:
            raise ApiError(f"No organization with id {ref}.", field)
        if not user.has_perm("accounts.host_for", organization):
            raise ApiError("You don't host for this organization.", field, status=403)
        return organization

    def _program_organization(self) -> Organization:
        """A coordinator's event belongs to the program itself unless they name another."""
        slug = settings.PROGRAM_ORGANIZATION_SLUG
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise ApiError(
                "Name the host organization by its id in strategists:organization: the program "
                f"has no organization of its own yet (one with the slug {slug!r}, set by "
                "STRATEGISTS_PROGRAM_ORGANIZATION_SLUG).",
                "strategists:organization",
            )
        return organization


class EventView(HalView):
    @extend_schema(
        operation_id="event_read",
        summary="Read an event",
        parameters=EVENT_ID,
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, event_id):
        return Response(
            event_data(self, get_or_404(selectors.visible_events(request.user), event_id, "event"))
        )

    @extend_schema(
        operation_id="event_update",
        summary="Update an event (its hosts, coordinators); only the fields sent change",
        parameters=EVENT_ID,
        request=EventWriteSerializer,
        responses=OpenApiTypes.OBJECT,
    )
    def put(self, request, event_id):
        event = get_or_404(selectors.visible_events(request.user), event_id, "event")
        if not request.user.has_perm("events.change_event", event):
            self.permission_denied(
                request, "Only this event's hosts and coordinators can change it."
            )
        body = self.body()
        serializer = EventWriteSerializer(data=body, event=event)
        check_fields(body, serializer.fields, read_only=READ_ONLY)
        serializer.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                if serializer.validated_data:
                    event_update(event=event, by=request.user, **serializer.validated_data)
                apply_status(self, event, serializer.status, serializer.reason)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(service_errors(error)) from error
        return Response(event_data(self, selectors.visible_events(request.user).get(pk=event.pk)))

    @extend_schema(
        operation_id="event_partial_update",
        summary="Update an event (same as PUT)",
        parameters=EVENT_ID,
        request=EventWriteSerializer,
        responses=OpenApiTypes.OBJECT,
    )
    def patch(self, request, event_id):
        return self.put(request, event_id)
