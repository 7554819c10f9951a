"""HAL+JSON plumbing shared by every resource: renderers, the base view, links, pagination and
the error format (`{"error": ..., "field": ..., "errors": {...}}`)."""

import logging
import math
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import Resolver404, resolve, reverse
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler, set_rollback

from strategists.api.auth import OSDITokenAuthentication
from strategists.api.parsers import JSONParser

logger = logging.getLogger("django.request")

MAX_PER_PAGE = 25
MAX_ID = 2**63 - 1  # BigAutoField
ORIGIN_SYSTEM = "1000 Strategists"
CURIES = [
    {
        "name": "osdi",
        "href": "https://opensupporter.github.io/osdi-docs/{rel}.html",
        "templated": True,
    },
]


class HalJSONRenderer(JSONRenderer):
    media_type = "application/hal+json"
    format = "hal"


class HalJSONParser(JSONParser):
    media_type = "application/hal+json"


class ApiError(exceptions.APIException):
    """A refusal that names the field at fault."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None, status: int = 400):
        self.status_code = status
        self.field = field
        super().__init__(message)


def _first_error(detail, path=()):
    """The first message in a DRF error structure, and the dotted path of its field."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if value:
                inner = () if key in {"non_field_errors", "detail"} else (str(key),)
                return _first_error(value, path + inner)
    if isinstance(detail, list):
        for index, value in enumerate(detail):
            if value:
                # An error inside a list of objects: name the item, email_addresses.0.address.
                step = (str(index),) if isinstance(value, dict) else ()
                return _first_error(value, path + step)
    return str(detail), ".".join(path) or None


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) if exc.args else None)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.NotAuthenticated):
        exc.detail = "Send your API token in the OSDI-API-Token header."
    response = exception_handler(exc, context)
    if response is None:
        # Nothing expected this: log it as Django would, and answer JSON, never a page.
        logger.error("Unhandled error in the API", exc_info=exc)
        set_rollback()
        return Response(
            {
                "error": "Something went wrong on our side. It was logged; please try again later.",
                "field": None,
            },
            status=500,
        )
    if isinstance(exc, ApiError):
        message, field = str(exc.detail), exc.field
    else:
        message, field = _first_error(response.data)
    body = {"error": message, "field": field}
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        body["errors"] = response.data
    response.data = body
    return response


class HalView(APIView):
    """Token-authenticated, HAL+JSON in and out, errors in one JSON shape."""

    authentication_classes = [OSDITokenAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [HalJSONRenderer, JSONRenderer]
    parser_classes = [JSONParser, HalJSONParser]
    slash_alias = False  # set on the trailing-slash twin of each URL, left out of the schema

    def get_exception_handler(self):
        return api_exception_handler

    def href(self, url_name: str, **kwargs) -> dict:
        return {"href": self.request.build_absolute_uri(reverse(f"api:{url_name}", kwargs=kwargs))}

    def body(self) -> dict:
        """The parsed JSON body, which must be an object."""
        data = self.request.data
        if not isinstance(data, dict):
            raise ApiError("The body must be a JSON object.")
        return data


def check_fields(data: dict, fields, *, read_only=frozenset(), prefix: str = "") -> None:
    """Nothing a client sends is silently dropped: a read-only or unknown field, at any depth of
    the serializer's nested objects and lists of objects, is a 400 naming it. `read_only` holds
    dotted names (`location.location`)."""
    for key, value in data.items():
        name = f"{prefix}{key}"
        if name in read_only:
            raise ApiError(f"{name} is read-only: leave it out.", name)
        field = fields.get(key)
        if field is None:
            known = ", ".join(sorted(fields))
            raise ApiError(f"Unknown field {name}. The fields you can send: {known}.", name)
        if isinstance(field, serializers.Serializer) and isinstance(value, dict):
            check_fields(value, field.fields, read_only=read_only, prefix=f"{name}.")
        elif (
            isinstance(field, serializers.ListField)
            and isinstance(field.child, serializers.Serializer)
            and isinstance(value, list)
        ):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    check_fields(
                        item, field.child.fields, read_only=read_only, prefix=f"{name}.{index}."
                    )


def linked_id(body: dict, rel: str, url_name: str, kwarg: str) -> int | None:
    """The id in `_links[rel].href`, a URL of this API (`.../people/12`), or None when the body
    has no such link; a 400 naming the link when it isn't one of ours."""
    links = body.get("_links")
    if links is None:
        return None
    field = f"_links.{rel}.href"
    if not isinstance(links, dict) or set(links) - {rel}:
        raise ApiError(f"_links can hold only {rel} here.", "_links")
    link = links.get(rel)
    href = link.get("href") if isinstance(link, dict) and set(link) <= {"href"} else None
    if not isinstance(href, str) or len(href) > 500:
        raise ApiError(f'Give {rel} as {{"href": URL}}.', field)
    path = urlsplit(href).path
    try:
        match = resolve(path.rstrip("/") or "/")
    except Resolver404:
        match = None
    if match is None or match.view_name != f"api:{url_name}":
        raise ApiError(f"{href} is not the URL of a {rel.split(':')[-1]} of this API.", field)
    found = int(match.kwargs[kwarg])
    if found > MAX_ID:
        raise ApiError(f"{href} is not the URL of a {rel.split(':')[-1]} of this API.", field)
    return found


def get_or_404(queryset, pk, what: str):
    if not 0 < int(pk) <= MAX_ID:  # a larger number overflows the database's integer
        raise exceptions.NotFound(f"Couldn't find {what} with id = {pk}.")
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise exceptions.NotFound(f"Couldn't find {what} with id = {pk}.")
    return obj


def _positive_int(request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ApiError(f"{name} must be a whole number of at least 1.", name)
    return value


def paginate(
    view: HalView,
    queryset,
    *,
    rel: str,
    url_name: str,
    url_kwargs: dict,
    represent,
    count: int | None = None,
) -> dict:
    """An OSDI collection page: page, per_page (at most 25), total_pages, total_records,
    _links (self, next, previous, and the items) and _embedded[rel]. A page past the end is
    empty, not an error: Action Network clients page until they get an empty one."""
    request = view.request
    page = _positive_int(request, "page", 1)
    per_page = min(_positive_int(request, "per_page", MAX_PER_PAGE), MAX_PER_PAGE)
    total = queryset.count() if count is None else count
    total_pages = max(1, math.ceil(total / per_page))
    start = (page - 1) * per_page
    items = (
        [represent(item) for item in queryset[start : start + per_page]] if start < total else []
    )
    base = request.build_absolute_uri(reverse(f"api:{url_name}", kwargs=url_kwargs))

    others = request.query_params.copy()
    others.pop("page", None)
    others.pop("per_page", None)
    others = f"&{others.urlencode()}" if others else ""

    def page_link(number):
        return {"href": f"{base}?page={number}&per_page={per_page}{others}"}

    links = {"self": page_link(page)}
    if page < total_pages:
        links["next"] = page_link(page + 1)
    if page > 1:
        links["previous"] = page_link(min(page - 1, total_pages))
    links[rel] = [item["_links"]["self"] for item in items]
    links["curies"] = CURIES
    return {
        "total_pages": total_pages,
        "per_page": per_page,
        "page": page,
        "total_records": total,
        "_links": links,
        "_embedded": {rel: items},
    }


def identifiers(pk: int) -> list[str]:
    """Ours, and the same id as `action_network:`, which Parsons reads ids from (its add_tag
    fails without one): with its base URL pointed here, this server is its Action Network."""
    return [f"strategists:{pk}", f"action_network:{pk}"]


def iso(moment) -> str | None:
    if moment is None:
        return None
    return moment.isoformat().replace("+00:00", "Z")
