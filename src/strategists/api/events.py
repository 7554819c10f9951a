"""osdi:events: list and read for every token holder (what each may see: selectors.visible_events),
create for hosts (for their organization) and coordinators, update with `events.change_event`.

A created event is a proposal, as on the web: a coordinator approves it before it is published
and open for registration (its status reads "tentative" until then)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from strategists.accounts.models import City, Language, Organization, SkillArea
from strategists.api import selectors
from strategists.api.hal import ORIGIN_SYSTEM, ApiError, HalView, get_or_404, iso, paginate
from strategists.api.people import EVENT_ID, PAGE_PARAMETERS
from strategists.events import validation
from strategists.events.models import Event
from strategists.events.services import event_propose, event_update

STATUS = {
    Event.State.PROPOSED: "tentative",
    Event.State.CHANGES_REQUESTED: "tentative",
    Event.State.APPROVED: "confirmed",
    Event.State.COMPLETED: "confirmed",
    Event.State.CANCELLED: "cancelled",
    Event.State.DECLINED: "cancelled",
}
# Model fields named in the services' validation errors, and what the API calls them.
MODEL_TO_API = {
    "starts_at": "start_date",
    "ends_at": "end_date",
    "city": "location",
    "venue": "location.venue",
    "address": "location.address_lines",
    "online_url": "strategists:online_url",
    "format": "strategists:format",
    "duration_minutes": "strategists:duration_minutes",
    "timezone": "location",
    "__all__": "non_field_errors",
}


def event_data(view: HalView, event: Event) -> dict:
    city = event.city
    request = view.request
    data = {
        "identifiers": [f"strategists:{event.pk}"],
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


@extend_schema_field(OpenApiTypes.DATETIME)
class DateTimeText(serializers.Field):
    """ISO 8601 date and time; without an offset it is the event's local time."""

    default_error_messages = {"invalid": "Enter a date and time like 2027-03-06T10:00:00-05:00."}

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 40 or not data.isprintable():
            self.fail("invalid")
        try:
            moment = parse_datetime(data.strip())
        except ValueError:
            moment = None
        if moment is None:
            self.fail("invalid")
        try:
            # Before any arithmetic: year 9999 overflows once moved to UTC or given a duration.
            validation.check_date(moment.date(), field=self.field_name)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict[self.field_name]) from error
        return moment

    def to_representation(self, value):
        return iso(value)


class LocationSerializer(serializers.Serializer):
    venue = serializers.CharField(max_length=validation.VENUE_MAX, required=False, allow_blank=True)
    address_lines = serializers.ListField(
        child=serializers.CharField(max_length=validation.ADDRESS_MAX, allow_blank=True),
        required=False,
        max_length=5,
    )
    locality = serializers.CharField(max_length=120, required=False, allow_blank=True)
    region = serializers.CharField(max_length=80, required=False, allow_blank=True)


def _renamed(fields: dict) -> dict:
    """Serializer fields named with the `strategists:` prefix the API uses for its own fields."""
    return {
        (f"strategists:{name[len('x_') :]}" if name.startswith("x_") else name): field
        for name, field in fields.items()
    }


class EventWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=validation.TITLE_MAX)
    description = serializers.CharField(
        max_length=validation.DESCRIPTION_MAX, required=False, allow_blank=True
    )
    start_date = DateTimeText()
    end_date = DateTimeText(required=False, allow_null=True)
    capacity = serializers.IntegerField(
        min_value=validation.CAPACITY_MIN, max_value=validation.CAPACITY_MAX
    )
    location = LocationSerializer(required=False)
    x_city = serializers.IntegerField(
        required=False,
        help_text="GeoNames id of the city (instead of location.locality and region).",
    )
    x_organization = serializers.IntegerField(
        required=False, help_text="Host organization id; defaults to the one you host for."
    )
    x_format = serializers.ChoiceField(choices=Event.Format.choices, required=False)
    x_online_url = serializers.URLField(
        max_length=validation.ONLINE_URL_MAX, required=False, allow_blank=True
    )
    x_duration_minutes = serializers.IntegerField(
        min_value=validation.DURATION_MIN, max_value=validation.DURATION_MAX, required=False
    )
    x_languages = serializers.ListField(
        child=serializers.CharField(max_length=8), required=False, max_length=10
    )
    x_skill_areas = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=20
    )

    def get_fields(self):
        return _renamed(super().get_fields())

    def __init__(self, *args, event: Event | None = None, **kwargs):
        self.event = event
        super().__init__(*args, partial=event is not None, **kwargs)

    def validate(self, attrs):
        """Turn OSDI fields into the keyword arguments of event_propose/event_update."""
        values, errors = {}, {}
        for name in ("title", "description", "capacity"):
            if name in attrs:
                values[name] = attrs[name]
        for name in ("format", "online_url", "duration_minutes"):
            if f"strategists:{name}" in attrs:
                values[name] = attrs[f"strategists:{name}"]
        location = attrs.get("location", {})
        if "venue" in location:
            values["venue"] = location["venue"]
        if "address_lines" in location:
            address = ", ".join(line.strip() for line in location["address_lines"] if line.strip())
            if len(address) > validation.ADDRESS_MAX:
                errors["location.address_lines"] = (
                    f"The address can have at most {validation.ADDRESS_MAX} characters."
                )
            values["address"] = address
        city = self._city(attrs, location, errors)
        if city is not None:
            values["city"] = city
        zone_name = (city or self.event.city).timezone if (city or self.event) else None
        for name, field in (("start_date", "starts_at"), ("end_date", "ends_at")):
            moment = attrs.get(name)
            if moment is None or zone_name is None:
                continue
            if timezone.is_aware(moment):  # with an offset it is a moment already
                values[field] = moment
                continue
            try:  # without, a time on the clocks of the event's city
                values[field] = validation.local_start(
                    moment.date(), moment.time(), zone_name, date_field=name, time_field=name
                )
            except DjangoValidationError as error:
                errors.update(error.message_dict)
        if "start_date" in errors or "end_date" in errors:
            raise serializers.ValidationError(errors)
        starts = values.get("starts_at", self.event.starts_at if self.event else None)
        if "starts_at" in values:
            _check(errors, lambda: validation.check_not_past(starts, field="start_date"))
        _check(
            errors, lambda: validation.check_end(starts, values.get("ends_at"), field="end_date")
        )
        for name, model, key in (("languages", Language, "code"), ("skill_areas", SkillArea, "id")):
            codes = attrs.get(f"strategists:{name}")
            if codes is None:
                continue
            found = list(model.objects.filter(**{f"{key}__in": codes}))
            missing = sorted(set(codes) - {getattr(item, key) for item in found})
            if missing:
                errors[f"strategists:{name}"] = validation.unknown(missing)
            values[name] = found
        if self.event is None and "languages" not in values:
            values["languages"] = list(Language.objects.filter(code="en"))
        event_format = values.get(
            "format", self.event.format if self.event else Event.Format.IN_PERSON
        )
        online_url = values.get("online_url", self.event.online_url if self.event else "")
        _check(
            errors,
            lambda: validation.check_online_link(
                event_format, online_url, field="strategists:online_url"
            ),
        )
        if errors:
            raise serializers.ValidationError(errors)
        return values

    def _city(self, attrs, location, errors) -> City | None:
        if "strategists:city" in attrs:
            city = (
                City.objects.select_related("subdivision")
                .filter(pk=attrs["strategists:city"])
                .first()
            )
            if city is None:
                errors["strategists:city"] = (
                    f"No city with GeoNames id {attrs['strategists:city']}."
                )
            return city
        locality, region = location.get("locality", "").strip(), location.get("region", "").strip()
        if not (locality or region):
            if self.event is None:
                errors["location.locality"] = (
                    "Say where: location.locality and location.region (state or province code)."
                )
            return None
        if not (locality and region):
            errors["location.region" if locality else "location.locality"] = (
                "Give both location.locality and location.region."
            )
            return None
        city = (
            City.objects.select_related("subdivision")
            .filter(
                Q(name__iexact=locality) | Q(ascii_name__iexact=locality),
                subdivision_id=region.upper(),
            )
            .order_by("-population")
            .first()
        )
        if city is None:
            errors["location.locality"] = f"No city called {locality} in {region.upper()}."
        return city


def _check(errors: dict, rule) -> None:
    """Run one of the shared event rules (events/validation.py), keeping its error by field."""
    try:
        rule()
    except DjangoValidationError as error:
        errors.update(error.message_dict)


def _service_errors(error: DjangoValidationError) -> dict:
    if not hasattr(error, "error_dict"):
        return {"non_field_errors": error.messages}
    return {MODEL_TO_API.get(name, name): messages for name, messages in error.message_dict.items()}


class EventsView(HalView):
    @extend_schema(
        operation_id="events_list",
        summary="List events",
        parameters=PAGE_PARAMETERS,
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        return Response(
            paginate(
                self,
                selectors.visible_events(request.user),
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
        serializer.is_valid(raise_exception=True)
        organization = self._organization(body.get("strategists:organization"))
        try:
            event = event_propose(
                proposer=user, organization=organization, **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(_service_errors(error)) from error
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
        serializer = EventWriteSerializer(data=self.body(), event=event)
        serializer.is_valid(raise_exception=True)
        try:
            event_update(event=event, by=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(_service_errors(error)) from error
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
