"""What a person may be sent as, in the person_signup_helper and `PUT /people/{id}`: names, email
addresses, one mobile number, one postal address, languages, and tags to add; turned into the
arguments of api.services.person_update. Nothing sent is dropped: what isn't kept is a 400."""

import re

from django.db.models import Q
from rest_framework import serializers

from strategists.accounts.models import City, Language, User
from strategists.api.hal import ApiError
from strategists.api.models import Tag

NAME_MAX = User._meta.get_field("name").max_length
PHONE_MAX = User._meta.get_field("phone_number").max_length
STREET_MAX = User._meta.get_field("street_address").max_length
POSTAL_CODE_MAX = User._meta.get_field("postal_code").max_length
# Read back in every answer; a client sending a person back unchanged may include them.
READ_ONLY = {
    "identifiers",
    "origin_system",
    "created_date",
    "modified_date",
    "_links",
    "person.identifiers",
    "person.origin_system",
    "person.created_date",
    "person.modified_date",
    "person._links",
}


class EmailAddressSerializer(serializers.Serializer):
    address = serializers.EmailField(max_length=254)
    primary = serializers.BooleanField(required=False)
    status = serializers.ChoiceField(
        choices=["subscribed"],
        required=False,
        help_text="Only subscribed: this server keeps no other email status.",
    )
    x_verified = serializers.BooleanField(required=False, help_text="Read back; ignored.")

    def get_fields(self):
        fields = super().get_fields()
        fields["strategists:verified"] = fields.pop("x_verified")
        return fields


class PhoneNumberSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=PHONE_MAX)
    primary = serializers.BooleanField(required=False)
    number_type = serializers.ChoiceField(choices=["Mobile"], required=False)
    status = serializers.ChoiceField(
        choices=["unsubscribed"],
        required=False,
        help_text="unsubscribed withdraws the person's consent to texts; only the person "
        "themself can give it.",
    )

    def validate_number(self, value):
        digits = re.sub(r"[^\d+]", "", value)
        if not re.fullmatch(r"\+?\d{7,15}", digits):
            raise serializers.ValidationError("Enter a phone number of 7 to 15 digits.")
        return digits


class PostalAddressSerializer(serializers.Serializer):
    primary = serializers.BooleanField(required=False)
    address_lines = serializers.ListField(
        child=serializers.CharField(max_length=STREET_MAX, allow_blank=True),
        required=False,
        max_length=5,
    )
    locality = serializers.CharField(max_length=120, required=False, allow_blank=True)
    region = serializers.CharField(max_length=80, required=False, allow_blank=True)
    postal_code = serializers.CharField(
        max_length=POSTAL_CODE_MAX, required=False, allow_blank=True
    )
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)


class PersonSerializer(serializers.Serializer):
    given_name = serializers.CharField(max_length=NAME_MAX, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=NAME_MAX, required=False, allow_blank=True)
    email_addresses = serializers.ListField(
        child=EmailAddressSerializer(), min_length=1, max_length=20, required=False
    )
    phone_numbers = serializers.ListField(
        child=PhoneNumberSerializer(), max_length=1, required=False
    )
    postal_addresses = serializers.ListField(
        child=PostalAddressSerializer(), max_length=1, required=False
    )
    languages_spoken = serializers.ListField(
        child=serializers.CharField(max_length=8), max_length=10, required=False
    )
    custom_fields = serializers.DictField(
        required=False,
        help_text="Must be empty: this server keeps no custom fields (Parsons always sends {}).",
    )

    def validate_custom_fields(self, value):
        if value:
            raise serializers.ValidationError(
                f"Custom fields aren't kept here ({', '.join(sorted(value))}): leave them out."
            )
        return value


class SignupSerializer(serializers.Serializer):
    person = PersonSerializer()
    add_tags = serializers.ListField(
        child=serializers.CharField(max_length=100),
        max_length=50,
        required=False,
        help_text="Names of existing tags to put on the person.",
    )


def primary_email(addresses: list[dict]) -> str:
    primary = next((a for a in addresses if a.get("primary")), addresses[0])
    return primary["address"].strip().lower()


def _city(address: dict, field: str) -> City | None:
    locality, region = address.get("locality", "").strip(), address.get("region", "").strip()
    if not (locality or region):
        return None
    if not (locality and region):
        raise ApiError("Give both locality and region.", field)
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
        raise ApiError(f"No city called {locality} in {region.upper()}.", f"{field}.locality")
    country = address.get("country", "").strip().upper()
    if country and country != city.subdivision.country:
        raise ApiError("The country must be the city's country.", f"{field}.country")
    return city


def person_values(data: dict, person: User | None = None, prefix: str = "") -> dict:
    """The arguments of person_update for a validated PersonSerializer's data; errors name
    fields after `prefix` (`person.` inside the helpers' bodies)."""
    values: dict = {}
    if "given_name" in data or "family_name" in data:
        old_given, _, old_family = (person.name if person else "").partition(" ")
        given = data.get("given_name", old_given).strip()
        family = data.get("family_name", old_family).strip()
        name = " ".join(part for part in (given, family) if part)
        if len(name) > NAME_MAX:
            raise ApiError(
                f"The whole name can have at most {NAME_MAX} characters.", f"{prefix}family_name"
            )
        if name:
            values["name"] = name
    emails = data.get("email_addresses")
    if person is not None and emails and primary_email(emails) != person.email:
        raise ApiError(
            "An email address can't be changed through the API: the person changes it "
            "on their account page.",
            f"{prefix}email_addresses",
        )
    for phone in data.get("phone_numbers", []):
        values["phone_number"] = phone["number"]
        if phone.get("status") == "unsubscribed":
            values["sms_unsubscribe"] = True
    for address in data.get("postal_addresses", []):
        lines = [line.strip() for line in address.get("address_lines", []) if line.strip()]
        street = ", ".join(lines)
        if len(street) > STREET_MAX:
            raise ApiError(
                f"The address can have at most {STREET_MAX} characters.",
                f"{prefix}postal_addresses.0.address_lines",
            )
        if "address_lines" in address:
            values["street_address"] = street
        if "postal_code" in address:
            values["postal_code"] = address["postal_code"].strip()
        city = _city(address, f"{prefix}postal_addresses.0")
        if city is not None:
            values["city"] = city
    if "languages_spoken" in data:
        codes = data["languages_spoken"]
        found = list(Language.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {language.code for language in found})
        if missing:
            raise ApiError(
                f"Unknown language codes: {', '.join(missing)}.", f"{prefix}languages_spoken"
            )
        values["languages"] = found
    return values


def existing_tags(names: list[str]) -> list[Tag]:
    """The tags named (any case), or a 400 naming the first that doesn't exist: Action Network's
    add_tags applies existing tags only."""
    tags = []
    for index, name in enumerate(names):  # at most 50
        tag = Tag.objects.filter(name__iexact=" ".join(name.split())).first()
        if tag is None:
            raise ApiError(
                f"No tag called {name}: create it first (POST /api/v2/tags).", f"add_tags.{index}"
            )
        tags.append(tag)
    return tags
