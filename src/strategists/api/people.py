"""osdi:people: reading people (coordinators, and each person their own record) and the
person_signup_helper (coordinators only).

Hosts can't use the person_signup_helper: a person not signed up for anything is of no use to
a host, and matching by email would let them learn who has an account. They register people
with the record_attendance_helper of their event instead."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from strategists.accounts.models import User
from strategists.api import filters, selectors
from strategists.api.hal import ORIGIN_SYSTEM, HalView, get_or_404, iso, paginate
from strategists.events.registration_services import PersonMatch, person_match_or_create

NAME_MAX = User._meta.get_field("name").max_length


def split_name(name: str) -> tuple[str, str]:
    given, _, family = name.strip().partition(" ")
    return given, family.strip()


def postal_addresses(person: User) -> list[dict]:
    city = person.city
    if city is None:
        return []
    return [
        {
            "primary": True,
            "locality": city.name,
            "region": city.subdivision_id,
            "country": city.subdivision.country,
            "location": {
                "latitude": city.latitude,
                "longitude": city.longitude,
                "accuracy": "Approximate",
            },
        }
    ]


def person_data(view: HalView, person: User, *, languages: bool = True) -> dict:
    given, family = split_name(person.name)
    data = {
        "identifiers": [f"strategists:{person.pk}"],
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
        "postal_addresses": postal_addresses(person),
    }
    if languages:
        data["languages_spoken"] = [language.code for language in person.languages.all()]
    data["_links"] = {"self": view.href("person_detail", person_id=person.pk)}
    return data


class EmailAddressSerializer(serializers.Serializer):
    address = serializers.EmailField(max_length=254)
    primary = serializers.BooleanField(required=False)


class PersonInputSerializer(serializers.Serializer):
    """A person as the helpers take it: matched by email (any case), created when new."""

    given_name = serializers.CharField(max_length=NAME_MAX, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=NAME_MAX, required=False, allow_blank=True)
    email_addresses = serializers.ListField(
        child=EmailAddressSerializer(),
        min_length=1,
        max_length=20,
        error_messages={"required": "A person needs an email address."},
    )

    def validate(self, attrs):
        addresses = attrs["email_addresses"]
        primary = next((a for a in addresses if a.get("primary")), addresses[0])
        name = " ".join(
            part
            for part in (attrs.get("given_name", "").strip(), attrs.get("family_name", "").strip())
            if part
        )
        if len(name) > NAME_MAX:
            raise serializers.ValidationError(
                {"family_name": f"The whole name can have at most {NAME_MAX} characters."}
            )
        return {"email": primary["address"].strip().lower(), "name": name}


class SignupSerializer(serializers.Serializer):
    person = PersonInputSerializer()


def match_person(person: dict) -> PersonMatch:
    """The person with this email (any case), or a new one, and whether they are new."""
    return person_match_or_create(email=person["email"], name=person["name"])


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
        request=SignupSerializer,
        responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        if not request.user.has_perm("accounts.coordinate"):
            self.permission_denied(
                request,
                "Only coordinators can add people; hosts register them for "
                "their event with its record_attendance_helper.",
            )
        serializer = SignupSerializer(data=self.body())
        serializer.is_valid(raise_exception=True)
        match = match_person(serializer.validated_data["person"])
        return Response(
            person_data(self, match.person),
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
