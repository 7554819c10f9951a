"""osdi:attendances of an event, and its record_attendance_helper.

Reading attendances needs `events.view_attendees` (the event's hosts, coordinators). Recording
one is open to them and, for a published event, to any token holder: that is how sign-up forms
on other sites register people. Those callers get one and the same answer (202, no status,
dates, ids or names) whether or not the address had an account or a registration already:
anything more would tell them who is registered or signed up.

A coordinator (or the person themself) may name the person by `_links.osdi:person` instead, as
Action Network clients do; `referrer_data` says where the sign-up came from. Each person's own
attendances are at people/{id}/attendances (the person, coordinators)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from strategists.accounts.models import User
from strategists.api import filters, person_input, selectors
from strategists.api.hal import (
    ORIGIN_SYSTEM,
    ApiError,
    HalView,
    check_fields,
    get_or_404,
    identifiers,
    iso,
    linked_id,
    paginate,
)
from strategists.api.people import (
    EVENT_ID,
    PAGE_PARAMETERS,
    PERSON_ID,
    split_name,
)
from strategists.api.services import person_update, registration_referrer_set, tagging_create
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
from strategists.events.signup_selectors import question_responses

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
        "identifiers": identifiers(registration.pk),
        "origin_system": ORIGIN_SYSTEM,
        "created_date": iso(registration.created_at),
        "modified_date": iso(registration.updated_at),
        "action_date": iso(registration.created_at),
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
        data["referrer_data"] = registration.referrer_data
        data["action_network:referrer_data"] = registration.referrer_data
        data["strategists:checked_in_date"] = iso(registration.checked_in_at)
        # The training's own questions (access needs...), in OSDI's add_questions_responses shape.
        data["strategists:questions_responses"] = question_responses(registration)
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


REFERRER_KEYS = {"source", "referrer", "website"}
UTM_KEYS = {"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id"}
READ_ONLY = {
    "identifiers",
    "origin_system",
    "created_date",
    "modified_date",
    "action_date",
    "attended",
    "status",
    "person.identifiers",
}


class ReferrerDataField(serializers.DictField):
    """Action Network's referrer_data: source, referrer, website and the utm_* parameters."""

    child = serializers.CharField(max_length=500, allow_blank=True)

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        unknown = sorted(set(data) - REFERRER_KEYS - UTM_KEYS)
        if unknown:
            raise serializers.ValidationError(
                f"Unknown key {unknown[0]}: use source, referrer, website or "
                f"{', '.join(sorted(UTM_KEYS))}."
            )
        return {key: value for key, value in data.items() if value}


class RecordAttendanceSerializer(serializers.Serializer):
    person = person_input.PersonSerializer(required=False)
    add_tags = serializers.ListField(
        child=serializers.CharField(max_length=100),
        max_length=50,
        required=False,
        help_text="Names of existing tags to put on the person (the event's hosts, coordinators).",
    )
    referrer_data = ReferrerDataField(required=False)
    x_referrer_data = ReferrerDataField(
        required=False, help_text="The same as referrer_data (Action Network's name)."
    )
    _links = serializers.DictField(
        required=False,
        help_text='{"osdi:person": {"href": "<this API>/people/<id>"}}, instead of person '
        "(coordinators, or the person themself).",
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["action_network:referrer_data"] = fields.pop("x_referrer_data")
        return fields


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
        body = self.body()
        serializer = RecordAttendanceSerializer(data=body)
        check_fields(body, serializer.fields, read_only=READ_ONLY)
        serializer.is_valid(raise_exception=True)
        person = self._person(body, serializer.validated_data)
        tags = person_input.existing_tags(serializer.validated_data.get("add_tags", []))
        if tags and not manager:
            raise ApiError(
                "Only this event's hosts and coordinators put tags on people.", "add_tags", 403
            )
        referrer_data = serializer.validated_data.get("referrer_data") or (
            serializer.validated_data.get("action_network:referrer_data") or {}
        )
        if not manager:
            # A sign-up form may register someone a few times an hour, not mail them without end.
            # Every address counts alike, so the limit tells nothing about who is registered.
            try:
                ratelimits.check(request, "api_attendance", email=person["email"])
            except ratelimits.RateLimited as error:
                raise throttled(error.wait, address=True) from None
        try:
            # One transaction, one commit: the new person, their registration and where it came
            # from land together.
            with transaction.atomic():
                new_person = not User.objects.filter(email=person["email"]).exists()
                result = registration_create_by_email(
                    event=event,
                    email=person["email"],
                    name=person["values"].get("name", ""),
                    source=Registration.Source.API,
                )
                # A new person's record is what the sign-up says; an existing one is theirs
                # (and a coordinator's) to change, never a sign-up form's.
                if new_person or request.user.has_perm("accounts.coordinate"):
                    person_update(
                        person=result.registration.person,
                        by=request.user,
                        values={k: v for k, v in person["values"].items() if k != "name"},
                    )
                for tag in tags:
                    tagging_create(tag=tag, person=result.registration.person, by=request.user)
                if result.created:
                    registration_referrer_set(
                        registration=result.registration,
                        referrer_data=referrer_data,
                        by=request.user,
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

    def _person(self, body: dict, data: dict) -> dict:
        """The email to register and what else was said about the person (person_update's
        values): from `person`, or from the person linked."""
        person_id = linked_id(body, "osdi:person", "person_detail", "person_id")
        if person_id is None:
            if "person" not in data:
                raise ApiError(
                    "Say who: person (with email_addresses) or _links.osdi:person.", "person"
                )
            if not data["person"].get("email_addresses"):
                raise ApiError("A person needs an email address.", "person.email_addresses")
            return {
                "email": person_input.primary_email(data["person"]["email_addresses"]),
                "values": person_input.person_values(data["person"], prefix="person."),
            }
        if "person" in data:
            raise ApiError("Send person or _links.osdi:person, not both.", "_links")
        user = self.request.user
        if person_id != user.pk and not user.has_perm("accounts.coordinate"):
            raise ApiError(
                "Only coordinators register someone by their link; send person with an email "
                "address instead.",
                "_links.osdi:person.href",
                status=403,
            )
        linked = get_or_404(User.objects.all(), person_id, "person")
        return {"email": linked.email, "values": {}}


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
        body = self.body()
        serializer = AttendanceUpdateSerializer(data=body)
        check_fields(body, serializer.fields, read_only=READ_ONLY - {"attended", "status"})
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


def _person_for(view: HalView, person_id: int) -> User:
    """The person, for themself and coordinators; refused before the id is looked up, so a
    refusal doesn't tell which ids exist."""
    user = view.request.user
    if person_id != user.pk and not user.has_perm("accounts.coordinate"):
        view.permission_denied(
            view.request, "Only coordinators can read other people's attendances."
        )
    return get_or_404(User.objects.all(), person_id, "person")


class PersonAttendancesView(HalView):
    @extend_schema(
        operation_id="person_attendances_list",
        summary="List a person's attendances (the person, coordinators)",
        parameters=[*PERSON_ID, *PAGE_PARAMETERS, filters.parameter("attendances")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, person_id):
        person = _person_for(self, person_id)
        return Response(
            paginate(
                self,
                filters.apply(request, selectors.person_attendances(person), "attendances"),
                rel="osdi:attendances",
                url_name="person_attendances",
                url_kwargs={"person_id": person.pk},
                represent=lambda r: attendance_data(self, r, manager=True, position=r.queue_rank),
            )
        )


class PersonAttendanceView(HalView):
    @extend_schema(
        operation_id="person_attendance_read",
        summary="Read one of a person's attendances (the person, coordinators)",
        parameters=[*PERSON_ID, OpenApiParameter("attendance_id", int, OpenApiParameter.PATH)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, person_id, attendance_id):
        person = _person_for(self, person_id)
        registration = get_or_404(selectors.person_attendances(person), attendance_id, "attendance")
        return Response(
            attendance_data(self, registration, manager=True, position=registration.queue_rank)
        )
