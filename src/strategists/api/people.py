"""osdi:people: reading people (coordinators, and each person their own record), changing them
(`PUT /people/{id}`: the same), each person's attendances, and the person_signup_helper
(coordinators only), which also adds tags (`add_tags`).

Hosts can't use the person_signup_helper: a person not signed up for anything is of no use to
a host, and matching by email would let them learn who has an account. They register people
with the record_attendance_helper of their event instead."""

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
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
    paginate,
)
from strategists.api.services import person_update, tagging_create
from strategists.events.registration_services import person_match_or_create

NAME_MAX = User._meta.get_field("name").max_length


def split_name(name: str) -> tuple[str, str]:
    given, _, family = name.strip().partition(" ")
    return given, family.strip()


def postal_addresses(person: User) -> list[dict]:
    city = person.city
    if city is None and not (person.street_address or person.postal_code):
        return []
    address = {
        "primary": True,
        "address_lines": [person.street_address] if person.street_address else [],
        "postal_code": person.postal_code or None,
    }
    if city is not None:
        address |= {
            "locality": city.name,
            "region": city.subdivision_id,
            "country": city.subdivision.country,
            "location": {
                "latitude": city.latitude,
                "longitude": city.longitude,
                "accuracy": "Approximate",
            },
        }
    return [address]


def phone_numbers(person: User) -> list[dict]:
    if not person.phone_number:
        return []
    return [
        {
            "primary": True,
            "number": person.phone_number,
            "number_type": "Mobile",
            # Consent is the person's own, given on their account page, never through the API.
            "status": "subscribed" if person.sms_consent_at else "unsubscribed",
        }
    ]


def custom_fields(person: User) -> dict:
    """The hook for what other apps learn about a person that Action Network keeps as custom
    fields (for instance the answers to a training's registration questions, when the events
    app keeps them): read them here with one prefetch in selectors.people(). None yet."""
    return {}


def person_data(view: HalView, person: User, *, languages: bool = True) -> dict:
    given, family = split_name(person.name)
    data = {
        "identifiers": identifiers(person.pk),
        "origin_system": ORIGIN_SYSTEM,
        "created_date": iso(person.date_joined),
        "modified_date": iso(person.updated_at),
        "given_name": given,
        "family_name": family,
        "email_addresses": [
            {
                "primary": True,
                "address": person.email,
                "strategists:verified": person.email_verified_at is not None,
            }
        ],
        "phone_numbers": phone_numbers(person),
        "postal_addresses": postal_addresses(person),
        "custom_fields": custom_fields(person),
    }
    if languages:
        data["languages_spoken"] = [language.code for language in person.languages.all()]
    data["_links"] = {
        "self": view.href("person_detail", person_id=person.pk),
        "osdi:attendances": view.href("person_attendances", person_id=person.pk),
    }
    return data


PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("per_page", int, description="Items per page, at most 25."),
]
PERSON_ID = [OpenApiParameter("person_id", int, OpenApiParameter.PATH)]
EVENT_ID = [OpenApiParameter("event_id", int, OpenApiParameter.PATH)]


class PeopleView(HalView):
    @extend_schema(
        operation_id="people_list",
        summary="List people (coordinators)",
        parameters=[*PAGE_PARAMETERS, filters.parameter("people")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        if not request.user.has_perm("accounts.coordinate"):
            self.permission_denied(request, "Only coordinators can list people.")
        return Response(
            paginate(
                self,
                filters.apply(request, selectors.people(), "people"),
                rel="osdi:people",
                url_name="people",
                url_kwargs={},
                represent=lambda person: person_data(self, person),
            )
        )

    @extend_schema(
        operation_id="person_signup_helper",
        summary="person_signup_helper: create or match a person by email (coordinators)",
        description="Matches by email (any case) or creates the person; the fields sent "
        "(names, one mobile number, one postal address, languages) are kept, and add_tags "
        "puts existing tags on them. Consent to texts is never given through the API.",
        request=person_input.SignupSerializer,
        responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        user = request.user
        if not user.has_perm("accounts.coordinate"):
            self.permission_denied(
                request,
                "Only coordinators can add people; hosts register them for "
                "their event with its record_attendance_helper.",
            )
        body = self.body()
        serializer = person_input.SignupSerializer(data=body)
        check_fields(body, serializer.fields, read_only=person_input.READ_ONLY)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data["person"]
        if not data.get("email_addresses"):
            raise ApiError("A person needs an email address.", "person.email_addresses")
        tag_names = serializer.validated_data.get("add_tags", [])
        tags = person_input.existing_tags(tag_names)
        with transaction.atomic():
            values = person_input.person_values(data, prefix="person.")
            match = person_match_or_create(
                email=person_input.primary_email(data["email_addresses"]),
                name=values.get("name", ""),
            )
            person = person_update(person=match.person, by=user, values=values)
            for tag in tags:
                tagging_create(tag=tag, person=person, by=user)
        return Response(
            person_data(self, selectors.people().get(pk=person.pk)),
            status=status.HTTP_201_CREATED if match.created else status.HTTP_200_OK,
        )


class PersonView(HalView):
    @extend_schema(
        operation_id="person_read",
        summary="Read a person (coordinators, or the person themself)",
        parameters=PERSON_ID,
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, person_id):
        # Refuse before looking the id up, so refusals don't tell which ids exist.
        if person_id != request.user.pk and not request.user.has_perm("accounts.coordinate"):
            self.permission_denied(request, "Only coordinators can read other people's records.")
        person = get_or_404(selectors.people(), person_id, "person")
        return Response(person_data(self, person))

    @extend_schema(
        operation_id="person_update",
        summary="Change a person (coordinators, or the person themself); only the fields sent change",
        description="Names, one mobile number, one postal address, languages. The email address "
        "and consent to texts are the person's own to change.",
        parameters=PERSON_ID,
        request=person_input.PersonSerializer,
        responses=OpenApiTypes.OBJECT,
    )
    def put(self, request, person_id):
        if person_id != request.user.pk and not request.user.has_perm("accounts.coordinate"):
            self.permission_denied(request, "Only coordinators can change other people's records.")
        person = get_or_404(selectors.people(), person_id, "person")
        body = self.body()
        serializer = person_input.PersonSerializer(data=body)
        check_fields(body, serializer.fields, read_only=person_input.READ_ONLY)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            values = person_input.person_values(serializer.validated_data, person)
            person_update(person=person, by=request.user, values=values)
        return Response(person_data(self, selectors.people().get(pk=person.pk)))
