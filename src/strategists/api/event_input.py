"""What an event write may say and how it becomes the events services' arguments: the OSDI
fields of a POST or PUT, checked with the same rules as the web form (events/validation.py)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from strategists.accounts.models import City, Language, SkillArea
from strategists.api.hal import iso
from strategists.events import validation
from strategists.events.models import Event

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
# What a client may read but not write (it comes back in every answer, so round-trips are common).
READ_ONLY = {
    "identifiers",
    "origin_system",
    "created_date",
    "modified_date",
    "name",
    "browser_url",
    "visibility",
    "transparence",
    "total_accepted",
    "_links",
    "_embedded",
    "location.location",
    "strategists:state",
    "strategists:timezone",
    "strategists:waitlist_count",
    "strategists:window_start",
    "strategists:window_end",
    "strategists:accessibility",
}
# The web form's default, for clients that don't say (Parsons' create_event sends no capacity).
DEFAULT_CAPACITY = 30


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
    postal_code = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="Kept with the address."
    )
    country = serializers.CharField(
        max_length=2, required=False, allow_blank=True, help_text="Must be the city's country."
    )


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
        min_value=validation.CAPACITY_MIN,
        max_value=validation.CAPACITY_MAX,
        required=False,
        help_text=f"Seats; {DEFAULT_CAPACITY} when a new event doesn't say.",
    )
    status = serializers.ChoiceField(
        choices=["tentative", "confirmed", "cancelled"],
        required=False,
        help_text='"confirmed" approves a proposal (coordinators); "cancelled" cancels it '
        "(hosts, coordinators; with strategists:reason); a new event is tentative.",
    )
    x_reason = serializers.CharField(
        max_length=2000,
        required=False,
        help_text='Why the event is cancelled (with status "cancelled"); told to the people registered.',
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
        self.status = attrs.get("status")
        self.reason = attrs.get("strategists:reason", "").strip()
        if "strategists:reason" in attrs and self.status != "cancelled":
            errors["strategists:reason"] = 'A reason goes with status "cancelled".'
        for name in ("title", "description", "capacity"):
            if name in attrs:
                values[name] = attrs[name]
        if self.event is None and "capacity" not in values:
            values["capacity"] = DEFAULT_CAPACITY
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
        postal_code = location.get("postal_code", "").strip()
        if postal_code:
            # No column of its own: kept at the end of the address, where a reader looks for it.
            address = values.get("address", self.event.address if self.event else "")
            values["address"] = ", ".join(part for part in (address, postal_code) if part)
            if len(values["address"]) > validation.ADDRESS_MAX:
                errors["location.postal_code"] = (
                    f"The address can have at most {validation.ADDRESS_MAX} characters."
                )
        city = self._city(attrs, location, errors)
        if city is not None:
            values["city"] = city
        country = location.get("country", "").strip().upper()
        if (
            country
            and (city or self.event)
            and country != (city or self.event.city).subdivision.country
        ):
            errors["location.country"] = "The country must be the city's country."
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


def service_errors(error: DjangoValidationError) -> dict:
    if not hasattr(error, "error_dict"):
        return {"non_field_errors": error.messages}
    return {MODEL_TO_API.get(name, name): messages for name, messages in error.message_dict.items()}
