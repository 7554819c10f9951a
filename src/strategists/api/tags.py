"""osdi:tags and osdi:taggings: labels hosts and coordinators put on people, as Action Network
clients use them (Parsons' get_tags, add_tag, get_taggings, create_tagging, delete_tagging).

Tags are shared names, read and created by hosts and coordinators. A tagging names a person, so
a host reads and makes taggings only of people registered to a training of an organization they
host for (api.tag_person); coordinators of anyone."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from strategists.api import filters, selectors
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
from strategists.api.models import Tag, Tagging
from strategists.api.people import PAGE_PARAMETERS
from strategists.api.services import tag_create, tagging_create, tagging_delete

TAG_ID = [OpenApiParameter("tag_id", int, OpenApiParameter.PATH)]
TAGGING_ID = [*TAG_ID, OpenApiParameter("tagging_id", int, OpenApiParameter.PATH)]
READ_ONLY = {"identifiers", "origin_system", "created_date", "modified_date", "_links"}


def tag_data(view: HalView, tag: Tag) -> dict:
    return {
        "identifiers": identifiers(tag.pk),
        "origin_system": ORIGIN_SYSTEM,
        "created_date": iso(tag.created_at),
        "modified_date": iso(tag.updated_at),
        "name": tag.name,
        "_links": {
            "self": view.href("tag_detail", tag_id=tag.pk),
            "osdi:taggings": view.href("taggings", tag_id=tag.pk),
        },
    }


def tagging_data(view: HalView, tagging: Tagging) -> dict:
    return {
        "identifiers": identifiers(tagging.pk),
        "origin_system": ORIGIN_SYSTEM,
        "created_date": iso(tagging.created_at),
        "modified_date": iso(tagging.updated_at),
        "item_type": "osdi:person",
        "_links": {
            "self": view.href("tagging_detail", tag_id=tagging.tag_id, tagging_id=tagging.pk),
            "osdi:tag": view.href("tag_detail", tag_id=tagging.tag_id),
            "osdi:person": view.href("person_detail", person_id=tagging.person_id),
        },
    }


class TagSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)

    def validate_name(self, value):
        if not value.strip():
            raise serializers.ValidationError("A tag needs a name.")
        return value


class TaggingSerializer(serializers.Serializer):
    _links = serializers.DictField(
        help_text='{"osdi:person": {"href": "<this API>/people/<id>"}}: the person to tag.'
    )


class TagsBase(HalView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not request.user.has_perm("api.use_tags"):
            self.permission_denied(request, "Only hosts and coordinators use tags.")


class TagsView(TagsBase):
    @extend_schema(
        operation_id="tags_list",
        summary="List tags (hosts, coordinators)",
        parameters=[*PAGE_PARAMETERS, filters.parameter("tags")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        return Response(
            paginate(
                self,
                filters.apply(request, selectors.tags(), "tags"),
                rel="osdi:tags",
                url_name="tags",
                url_kwargs={},
                represent=lambda tag: tag_data(self, tag),
            )
        )

    @extend_schema(
        operation_id="tag_create",
        summary="Create a tag (hosts, coordinators); the same name again is the same tag",
        request=TagSerializer,
        responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        body = self.body()
        serializer = TagSerializer(data=body)
        check_fields(body, serializer.fields, read_only=READ_ONLY)
        serializer.is_valid(raise_exception=True)
        tag, created = tag_create(name=serializer.validated_data["name"], by=request.user)
        return Response(
            tag_data(self, tag), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class TagView(TagsBase):
    @extend_schema(
        operation_id="tag_read",
        summary="Read a tag (hosts, coordinators)",
        parameters=TAG_ID,
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, tag_id):
        return Response(tag_data(self, get_or_404(selectors.tags(), tag_id, "tag")))


class TaggingsView(TagsBase):
    @extend_schema(
        operation_id="taggings_list",
        summary="List a tag's taggings of the people you may tag",
        parameters=[*TAG_ID, *PAGE_PARAMETERS, filters.parameter("taggings")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, tag_id):
        tag = get_or_404(selectors.tags(), tag_id, "tag")
        return Response(
            paginate(
                self,
                filters.apply(request, selectors.taggings(tag, request.user), "taggings"),
                rel="osdi:taggings",
                url_name="taggings",
                url_kwargs={"tag_id": tag.pk},
                represent=lambda tagging: tagging_data(self, tagging),
            )
        )

    @extend_schema(
        operation_id="tagging_create",
        summary="Tag a person (coordinators; hosts, people registered to their trainings)",
        parameters=TAG_ID,
        request=TaggingSerializer,
        responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT},
    )
    def post(self, request, tag_id):
        tag = get_or_404(selectors.tags(), tag_id, "tag")
        body = self.body()
        check_fields(body, TaggingSerializer().fields, read_only=READ_ONLY - {"_links"})
        person_id = linked_id(body, "osdi:person", "person_detail", "person_id")
        if person_id is None:
            raise ApiError("Name the person in _links.osdi:person.href.", "_links")
        # The same answer whether or not the id exists, for anyone who may not tag that person.
        person = selectors.people_taggable_by(request.user).filter(pk=person_id).first()
        if person is None or not request.user.has_perm("api.tag_person", person):
            raise ApiError(
                "You may tag only people registered to a training of an organization you host for.",
                "_links.osdi:person.href",
                status=403,
            )
        tagging, created = tagging_create(tag=tag, person=person, by=request.user)
        return Response(
            tagging_data(self, tagging),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class TaggingView(TagsBase):
    def _tagging(self, tag_id: int, tagging_id: int) -> Tagging:
        tag = get_or_404(selectors.tags(), tag_id, "tag")
        return get_or_404(selectors.taggings(tag, self.request.user), tagging_id, "tagging")

    @extend_schema(
        operation_id="tagging_read",
        summary="Read a tagging",
        parameters=TAGGING_ID,
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, tag_id, tagging_id):
        return Response(tagging_data(self, self._tagging(tag_id, tagging_id)))

    @extend_schema(
        operation_id="tagging_delete",
        summary="Take a tag off a person",
        parameters=TAGGING_ID,
        request=None,
        responses=OpenApiTypes.OBJECT,
    )
    def delete(self, request, tag_id, tagging_id):
        tagging_delete(tagging=self._tagging(tag_id, tagging_id), by=request.user)
        return Response({"notice": "This tagging was successfully deleted."})
