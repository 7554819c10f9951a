"""What each collection can be filtered on with OData `filter` (parsed by odata.py), as queryset
filters: eq on email address, identifiers and names; eq, gt, ge, lt, le on created_date and
modified_date (each resource's real last change); conditions joined by and. Anything else is
a 400 naming what isn't supported, never a filter silently ignored."""

import datetime as dt
import re

from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import OpenApiParameter

from strategists.api import odata
from strategists.api.hal import ApiError

FIELD = "filter"
# Identifiers the API hands out: ours, and the action_network: twin Parsons reads ids from.
OWN_SYSTEMS = ("strategists", "action_network")
LOOKUPS = {"eq": "exact", "gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}


def _identifier(column: str):
    def q(value: str) -> Q:
        system, _, number = value.partition(":")
        if system not in OWN_SYSTEMS or not number.isdigit() or len(number) > 18:
            return Q(pk__in=[])  # another system's id: nothing here has it
        return Q(**{column: int(number)})

    return q


def _moment(value: str) -> dt.datetime:
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = dt.datetime.combine(day, dt.time.min) if day else None
    except ValueError:
        moment = None
    if moment is None or not 1900 <= moment.year <= 9000:
        raise ApiError(
            f"{value!r} is not a date: use a date like '2027-03-25' or '2027-03-25T10:00:00Z'.",
            FIELD,
        )
    if moment.tzinfo is None:  # a date or time without an offset is UTC, as in Action Network
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _date(column: str):
    def q(value: str, op: str) -> Q:
        return Q(**{f"{column}__{LOOKUPS[op]}": _moment(value)})

    return q


def _exact(column: str):
    return lambda value: Q(**{column: value})


def _given_name(column: str):
    # One name column: the given name is its first word (people.split_name).
    return lambda value: Q(**{f"{column}__iregex": rf"^{re.escape(value)}( .*)?$"})


def _family_name(column: str):
    return lambda value: Q(**{f"{column}__iregex": rf"^[^ ]+ {re.escape(value)}$"})


def _email(column: str):
    return lambda value: Q(**{column: value.strip().lower()})


def _dates(created: str, modified: str) -> dict:
    return {
        "created_date": (odata.ORDERING, _date(created)),
        "modified_date": (odata.ORDERING, _date(modified)),
    }


RESOURCES = {
    "people": {
        "email_address": (odata.EQUALITY, _email("email")),
        "identifier": (odata.EQUALITY, _identifier("pk")),
        "given_name": (odata.EQUALITY, _given_name("name")),
        "family_name": (odata.EQUALITY, _family_name("name")),
        **_dates("date_joined", "updated_at"),
    },
    "events": {
        "identifier": (odata.EQUALITY, _identifier("pk")),
        "title": (odata.EQUALITY, _exact("title")),
        "name": (odata.EQUALITY, _exact("title")),
        **_dates("created_at", "updated_at"),
    },
    "attendances": {
        "identifier": (odata.EQUALITY, _identifier("pk")),
        "email_address": (odata.EQUALITY, _email("person__email")),
        "given_name": (odata.EQUALITY, _given_name("person__name")),
        "family_name": (odata.EQUALITY, _family_name("person__name")),
        **_dates("created_at", "updated_at"),
    },
    "tags": {
        "identifier": (odata.EQUALITY, _identifier("pk")),
        "name": (odata.EQUALITY, _exact("name")),
        **_dates("created_at", "updated_at"),
    },
    "taggings": {
        "identifier": (odata.EQUALITY, _identifier("pk")),
        "email_address": (odata.EQUALITY, _email("person__email")),
        **_dates("created_at", "created_at"),
    },
}


def apply(request, queryset, resource: str):
    """`queryset` narrowed by the request's `filter`, if it has one."""
    text = request.query_params.get(FIELD)
    if text is None:
        return queryset
    spec = RESOURCES[resource]
    try:
        conditions = odata.parse(text, {name: ops for name, (ops, _) in spec.items()})
    except odata.FilterError as error:
        raise ApiError(str(error), FIELD) from error
    for condition in conditions:
        build = spec[condition.field][1]
        if condition.op == "eq" and condition.field not in {"created_date", "modified_date"}:
            queryset = queryset.filter(build(condition.value))
        else:
            queryset = queryset.filter(build(condition.value, condition.op))
    return queryset


def parameter(resource: str) -> OpenApiParameter:
    fields = ", ".join(sorted(RESOURCES[resource]))
    return OpenApiParameter(
        FIELD,
        str,
        description=f"OData filter: {fields}; eq (and gt, ge, lt, le on the dates), joined by and. "
        "Example: email_address eq 'someone@example.org'.",
    )
