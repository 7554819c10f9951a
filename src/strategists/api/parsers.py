"""JSON bodies the API can read, or a clear 400: UTF-8 text, valid JSON, nested no deeper
than any request to this API needs (a deeply nested array would otherwise exhaust the
parser's recursion and answer 500). Form fields sent with a JSON content type (Parsons does,
for some methods) are read as a flat object."""

from urllib.parse import parse_qsl

from django.conf import settings
from django.utils.translation import gettext
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

# The deepest request body the API takes (an event's location.address_lines) is 3 levels.
MAX_DEPTH = 16


def _too_deep(data, limit: int) -> bool:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            stack.extend(
                (item, depth + 1) for item in (value.values() if isinstance(value, dict) else value)
            )
    return False


def _form_fields(text: str) -> dict | None:
    """Form fields sent under a JSON content type, as Parsons' update_event and
    update_attendance send them (requests' `data=` with a dict): read as a flat object of
    strings, or None when the text isn't form fields either."""
    if "=" not in text or text.lstrip()[:1] in '{["':
        return None
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return None
    fields: dict = {}
    for key, value in pairs:
        if key in fields:  # a list sent as repeated fields
            fields[key] = (
                [*fields[key], value] if isinstance(fields[key], list) else [fields[key], value]
            )
        else:
            fields[key] = value
    return fields


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 5 * 1024 * 1024
        raw = stream.read(limit + 1)
        if len(raw) > limit:  # a body sent without a Content-Length the middleware could check
            raise ParseError(gettext("The body is too big."))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError(
                gettext("The body must be JSON in UTF-8; this isn't UTF-8 text.")
            ) from None
        try:
            data = json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except RecursionError:
            raise ParseError(gettext("The JSON is nested too deeply.")) from None
        except ValueError as error:
            data = _form_fields(text)
            if data is None:
                raise ParseError(
                    gettext("This isn't valid JSON: %(problem)s.") % {"problem": error}
                ) from None
        if _too_deep(data, MAX_DEPTH):
            raise ParseError(gettext("The JSON is nested too deeply."))
        return data
