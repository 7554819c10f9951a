"""osdi:attendances of an event, and its record_attendance_helper.

Reading attendances needs `events.view_attendees` (the event's hosts, coordinators). Recording
one is open to them and, for a published event, to any token holder: that is how sign-up forms
on other sites register people. Those callers get one and the same answer (202, no status,
dates, ids or names) whether or not the address had an account or a registration already:
anything more would tell them who is registered or signed up."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from strategists.api import filters, selectors
from strategists.api.hal import ORIGIN_SYSTEM, ApiError, HalView, get_or_404, iso, paginate
from strategists.api.people import (
    EVENT_ID,
    PAGE_PARAMETERS,
    PersonInputSerializer,
    split_name,
)
from strategists.api.throttles import throttled
from strategists.common import ratelimits
from strategists.events.models import Event, Registration
from strategists.events.registration_services import (
    RegistrationClosed,
    check_in,
    check_in_undo,
    registration_cancel,
    registration_create_by_email,
    waitlist_position,
)

STATUS = {
    Registration.Status.REGISTERED: "accepted",
    Registration.Status.WAITLISTED: "tentative",
    Registration.Status.OFFERED: "needs action",
    Registration.Status.CANCELLED: "declined",
}
ATTENDANCE_ID = [*EVENT_ID, OpenApiParameter("attendance_id", int, OpenApiParameter.PATH)]


def attendance_data(
    view: HalView, registration: Registration, *, manager: bool, position: int | None
) -> dict:
    """`manager`: the caller may see who registered (the event's hosts and coordinators)."""
    data = {
        "identifiers": [f"strategists:{registration.pk}"],
        "origin_system": ORIGIN_SYSTEM,
        "created_date": iso(registration.created_at),
        "modified_date": iso(registration.updated_at),
        "status": STATUS[registration.status],
        "attended": registration.checked_in_at is not None,
        "strategists:status": registration.status,
        "strategists:event_id": registration.event_id,
    }
    if registration.status == Registration.Status.WAITLISTED:
        data["strategists:waitlist_position"] = position
    if registration.status == Registration.Status.OFFERED:
        data["strategists:offer_expires_date"] = iso(registration.offer_expires_at)
    links = {
        "self": view.href(
            "attendance_detail", event_id=registration.event_id, attendance_id=registration.pk
        ),
        "osdi:event": view.href("event_detail", event_id=registration.event_id),
    }
    if manager:
        data["strategists:source"] = registration.source
        data["strategists:checked_in_date"] = iso(registration.checked_in_at)
        person = registration.person
        if person is not None:
            given, family = split_name(person.name)
            data["strategists:person_id"] = person.pk
            data["person"] = {
                "given_name": given,
                "family_name": family,
                "email_addresses": [{"primary": True, "address": person.email}],
            }
            links["osdi:person"] = view.href("person_detail", person_id=person.pk)
        else:
            given, family = split_name(registration.guest_name)
            data["person"] = {"given_name": given, "family_name": family, "email_addresses": []}
    data["_links"] = links
    return data


def accepted_data(view: HalView, event: Event) -> dict:
    """The record_attendance_helper's answer to a caller who may not see the attendees."""
    return {
        "origin_system": ORIGIN_SYSTEM,
        "strategists:event_id": event.pk,
        "message": gettext(
            "Thank you. The person is registered or on the waitlist, and hears from us by email."
        ),
        "_links": {"osdi:event": view.href("event_detail", event_id=event.pk)},
    }


def _event(view: HalView, event_id: int, queryset=None) -> tuple[Event, bool]:
    """The event, if the caller may see it, and whether they may see its attendees."""
    user = view.request.user
    event = get_or_404(
        selectors.events_with_organization() if queryset is None else queryset, event_id, "event"
    )
    if not user.has_perm("events.view_event", event):
        raise ApiError(f"Couldn't find event with id = {event_id}.", status=404)
    return event, user.has_perm("events.view_attendees", event)


class RecordAttendanceSerializer(serializers.Serializer):
    person = PersonInputSerializer()


class AttendanceUpdateSerializer(serializers.Serializer):
    attended = serializers.BooleanField(required=False, help_text="Check in, or undo a check-in.")
    status = serializers.ChoiceField(
        choices=["declined"],
        required=False,
        help_text='Only "declined" (cancel the registration) can be set.',
    )


class AttendancesView(HalView):
    @extend_schema(
        operation_id="attendances_list",
        summary="List an event's attendances (its hosts, coordinators)",
        parameters=[*EVENT_ID, *PAGE_PARAMETERS, filters.parameter("attendances")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, event_id):
        event, manager = _event(self, event_id)
        if not manager:
            self.permission_denied(
                request, "Only this event's hosts and coordinators can see who registered."
            )
        registrations = filters.apply(request, selectors.attendances(event), "attendances")
        return Response(
            paginate(
                self,
                registrations,
                rel="osdi:attendances",
                url_name="attendances",
                url_kwargs={"event_id": event.pk},
                # Counted without the queue ranks (a window over every row) when unfiltered.
                count=None if "filter" in request.query_params else event.registrations.count(),
                represent=lambda r: attendance_data(self, r, manager=True, position=r.queue_rank),
            )
        )

    @extend_schema(
        operation_id="record_attendance_helper",
        summary="record_attendance_helper: register a person (matched by email, created if new)",
        description="Honors capacity: when the event is full the person joins the waitlist "
        '(status "tentative", with strategists:waitlist_position). Open to the '
        "event's hosts and coordinators (201 new, 200 already registered, with "
        "the attendance), and to any token holder for a published event (always "
        "202 and the same body: no one's registration or personal data).",
        parameters=EVENT_ID,
        request=RecordAttendanceSerializer,
        responses={
            200: OpenApiTypes.OBJECT,
            201: OpenApiTypes.OBJECT,
            202: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
        },
    )
    def post(self, request, event_id):
        event, manager = _event(self, event_id, selectors.events_for_permissions())
        if not (manager or event.is_published):
            self.permission_denied(request, "This event isn't published yet.")
        serializer = RecordAttendanceSerializer(data=self.body())
        serializer.is_valid(raise_exception=True)
        person = serializer.validated_data["person"]
        if not manager:
            # A sign-up form may register someone a few times an hour, not mail them without end.
            # Every address counts alike, so the limit tells nothing about who is registered.
            try:
                ratelimits.check(request, "api_attendance", email=person["email"])
            except ratelimits.RateLimited as error:
                raise throttled(error.wait, address=True) from None
        try:
            # One transaction, one commit: the new person and their registration land together.
            result = registration_create_by_email(
                event=event,
                email=person["email"],
                name=person["name"],
                source=Registration.Source.API,
            )
        except RegistrationClosed as error:
            raise ApiError(" ".join(error.messages), status=409) from error
        if not manager:
            return Response(accepted_data(self, event), status=status.HTTP_202_ACCEPTED)
        return Response(
            attendance_data(
                self, result.registration, manager=manager, position=result.waitlist_position
            ),
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class AttendanceView(HalView):
    def _registration(self, event_id: int, attendance_id: int) -> Registration:
        _, manager = _event(self, event_id, selectors.events_for_permissions())
        if not manager:
            self.permission_denied(
                self.request, "Only this event's hosts and coordinators can see who registered."
            )
        registrations = Registration.objects.filter(event_id=event_id).select_related("person")
        return get_or_404(registrations, attendance_id, "attendance")

    def _respond(self, registration: Registration) -> Response:
        return Response(
            attendance_data(
                self, registration, manager=True, position=waitlist_position(registration)
            )
        )

    @extend_schema(
        operation_id="attendance_read",
        summary="Read an attendance (the event's hosts, coordinators)",
        parameters=ATTENDANCE_ID,
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, event_id, attendance_id):
        return self._respond(self._registration(event_id, attendance_id))

    @extend_schema(
        operation_id="attendance_update",
        summary="Check in (attended), or cancel (status declined)",
        parameters=ATTENDANCE_ID,
        request=AttendanceUpdateSerializer,
        responses=OpenApiTypes.OBJECT,
    )
    def put(self, request, event_id, attendance_id):
        registration = self._registration(event_id, attendance_id)
        serializer = AttendanceUpdateSerializer(data=self.body())
        serializer.is_valid(raise_exception=True)
        changes = serializer.validated_data
        try:
            if changes.get("status") == "declined":
                registration = registration_cancel(registration=registration)
            if "attended" in changes:
                registration = (check_in if changes["attended"] else check_in_undo)(
                    registration=registration
                )
        except DjangoValidationError as error:
            raise serializers.ValidationError({"non_field_errors": error.messages}) from error
        return self._respond(Registration.objects.select_related("person").get(pk=registration.pk))
