"""The OData `filter` Action Network clients send (`email_address eq 'x@y.org'`,
`modified_date gt '2014-03-25' and modified_date lt '2014-04-01'`), parsed into conditions.

A pure core: no Django, so it is tested on its own (tests/api/test_odata.py, with hypothesis).
It knows the grammar only; which fields a resource takes and what they mean are its caller's."""

import re
from collections.abc import Mapping
from dataclasses import dataclass

MAX_LENGTH = 2000
MAX_CONDITIONS = 10
EQUALITY = frozenset({"eq"})
ORDERING = frozenset({"eq", "gt", "ge", "lt", "le"})
KNOWN_OPERATORS = frozenset({"eq", "ne", "gt", "ge", "lt", "le", "has", "in"})
# A quoted string ('' inside is a quote), a bare word (field, operator or unquoted value), or
# any other single character (parentheses, commas...), which nothing here accepts.
TOKEN = re.compile(r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<word>[^\s'()]+)|(?P<other>\S))")


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: str


class FilterError(ValueError):
    """The filter can't be used; the message says what isn't supported and what is."""


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise FilterError(f"Can't read the filter from character {position + 1} on.")
        kind = match.lastgroup or "other"
        if match.group(kind) == "'":
            start = match.start(kind) + 1
            raise FilterError(f"A quoted value isn't closed (from character {start} on).")
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def _describe(fields: Mapping[str, frozenset[str]]) -> str:
    return ", ".join(f"{name} ({' '.join(sorted(ops))})" for name, ops in sorted(fields.items()))


def parse(text: str, fields: Mapping[str, frozenset[str]]) -> list[Condition]:
    """The conditions of `text`, all of which must hold, or FilterError. `fields` maps each field
    the resource can be filtered on to the operators it takes."""
    if len(text) > MAX_LENGTH:
        raise FilterError(f"The filter can have at most {MAX_LENGTH} characters.")
    tokens = _tokens(text)
    if not tokens:
        raise FilterError("The filter is empty.")
    conditions: list[Condition] = []
    index = 0
    while True:
        if len(tokens) - index < 3:
            raise FilterError(
                "Each condition is a field, an operator and a value, "
                "like email_address eq 'someone@example.org'."
            )
        (field_kind, field), (op_kind, op), (value_kind, value) = tokens[index : index + 3]
        if field_kind != "word":
            raise FilterError(
                f"Expected a field name, found {field}. You can filter on: {_describe(fields)}."
            )
        if field.lower() in {"not", "contains", "startswith", "endswith", "substringof"}:
            raise FilterError(f"{field} is not supported: only eq, gt, ge, lt, le joined by and.")
        if field not in fields:
            raise FilterError(
                f"Filtering on {field} is not supported here. You can filter on: "
                f"{_describe(fields)}."
            )
        if op_kind != "word" or op.lower() not in KNOWN_OPERATORS:
            raise FilterError(f"{op} is not an operator: use eq, gt, ge, lt or le.")
        op = op.lower()
        if op not in fields[field]:
            raise FilterError(
                f"The operator {op} is not supported on {field}: use {' or '.join(sorted(fields[field]))}."
            )
        if value_kind == "string":
            value = value[1:-1].replace("''", "'")
        elif value_kind != "word":
            raise FilterError(f"Expected a value after {field} {op}, found {value}.")
        conditions.append(Condition(field, op, value))
        if len(conditions) > MAX_CONDITIONS:
            raise FilterError(f"A filter can have at most {MAX_CONDITIONS} conditions.")
        index += 3
        if index == len(tokens):
            return conditions
        kind, joiner = tokens[index]
        if kind != "word" or joiner.lower() != "and":
            raise FilterError(f"{joiner} is not supported: join conditions with and.")
        index += 1


def quote(value: str) -> str:
    """`value` as an OData string literal (for clients and tests building a filter)."""
    return "'" + value.replace("'", "''") + "'"
