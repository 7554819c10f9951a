"""How large and how complex a credential may be before we refuse to process it.

Verifying means canonicalizing (RDFC-1.0) what anyone pastes, and canonicalization is
exponential in the worst case: a 1 kB graph of seven blank nodes that all look alike costs
seconds of CPU, eight cost a minute. So input is measured before any expensive work, with
bounds derived from the credentials the platform issues, and canonicalization itself gets a
work budget (see :mod:`.dataintegrity`).

What we issue (an Open Badges 3.0 ``OpenBadgeCredential`` with its proof, as
``bench/verify.py`` measures and prints it): about 2.4 kB pretty-printed, 6 levels of JSON nesting, 57 JSON
values, 2 ``@context`` entries, 35 quads of which 4 blank nodes, and no two blank nodes alike.
The W3C eddsa-rdfc-2022 vectors are smaller. The bounds leave room for the richest credentials
Open Badges 3.0 allows (results, evidence, endorsements embedded in an achievement) and refuse
anything a credential cannot be.

Pure Python, no Django: :class:`LimitExceeded` carries a ``code`` and the numbers, and the
caller words the refusal in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_BYTES = 64 * 1024  # 27 times the largest credential we issue
MAX_DEPTH = 16  # ours: 6; an achievement with an embedded endorsement: about 11
# JSON objects, arrays and scalars; ours: 57. pyld's node map compares each value of a
# property with all the others (quadratic): 1,000 values cost about 0.2 s, 2,000 nearly 1 s.
MAX_VALUES = 1_000
MAX_CONTEXTS = 8  # @context entries in the whole document; ours: 2
MAX_QUADS = 1_000  # ours: 35
MAX_BLANK_NODES = 200  # ours: 4
# Units of canonicalization work (see dataintegrity._BoundedCanonicalizer), about a
# microsecond each: a credential we issue spends 18; seven blank nodes that all point at
# each other would spend 3.7 million (4 s), a ring of 100 alike ones 1.1 million.
CANONICALIZATION_BUDGET = 100_000

TOO_LARGE = "too_large"
TOO_DEEP = "too_deep"
TOO_MANY_VALUES = "too_many_values"
TOO_MANY_CONTEXTS = "too_many_contexts"
TOO_MANY_QUADS = "too_many_quads"
TOO_MANY_BLANK_NODES = "too_many_blank_nodes"
TOO_MUCH_WORK = "too_much_work"
BOUNDS = {
    TOO_LARGE: MAX_BYTES,
    TOO_DEEP: MAX_DEPTH,
    TOO_MANY_VALUES: MAX_VALUES,
    TOO_MANY_CONTEXTS: MAX_CONTEXTS,
    TOO_MANY_QUADS: MAX_QUADS,
    TOO_MANY_BLANK_NODES: MAX_BLANK_NODES,
    TOO_MUCH_WORK: CANONICALIZATION_BUDGET,
}
# Not a size: a control character whose canonical form differs between implementations.
UNSTABLE_CHARACTER = "unstable_character"

_MESSAGES = {
    TOO_LARGE: "it is {found} bytes long; a credential is at most {limit}",
    TOO_DEEP: "its JSON is nested more than {limit} levels deep; a credential needs far fewer",
    TOO_MANY_VALUES: "it holds more than {limit} JSON values; a credential holds far fewer",
    TOO_MANY_CONTEXTS: "it has {found} @context entries; a credential needs at most {limit}",
    TOO_MANY_QUADS: "it makes {found} RDF statements; a credential makes at most {limit}",
    TOO_MANY_BLANK_NODES: "it has {found} unnamed nodes; a credential has at most {limit}",
    TOO_MUCH_WORK: "canonicalizing it would take more work than any credential needs",
}


class LimitExceeded(ValueError):
    """The input is larger or more complex than any credential; ``code`` says which bound."""

    def __init__(self, code: str, *, limit: int, found: int | None = None) -> None:
        self.code = code
        self.limit = limit
        self.found = found
        super().__init__(_MESSAGES[code].format(limit=limit, found=found))


# The characters that matter for nesting: brackets, and the quotes and backslashes that say
# whether a bracket is inside a string. (A regular expression for whole strings backtracks
# quadratically on an unterminated string full of escaped quotes.)
_SIGNIFICANT = re.compile(r'[\[\]{}"\\]')


def check_text(text: str | bytes) -> None:
    """Refuse text that is too long or nested too deep, before it is parsed.

    Only the size and the bracket nesting are measured, in one linear pass; whether it is
    JSON at all is left to the parser that runs next.
    """
    size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    if size > MAX_BYTES:
        raise LimitExceeded(TOO_LARGE, limit=MAX_BYTES, found=size)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    depth = 0
    in_string = False
    escaped_until = -1  # a backslash in a string makes the next character literal
    for match in _SIGNIFICANT.finditer(text):
        char, position = match.group(), match.start()
        if in_string:
            if position < escaped_until:
                continue
            if char == "\\":
                escaped_until = position + 2
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise LimitExceeded(TOO_DEEP, limit=MAX_DEPTH)
        elif char in "]}":
            depth -= 1


def check_document(document: Any) -> None:
    """Refuse a parsed document nested too deep, with too many values or contexts.

    Walks the document without recursion, so no input can exhaust the stack here.
    """
    values = contexts = 0
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        values += 1
        if values > MAX_VALUES:
            raise LimitExceeded(TOO_MANY_VALUES, limit=MAX_VALUES)
        if isinstance(value, Mapping):
            children: Any = value.values()
            if "@context" in value:
                context = value["@context"]
                contexts += len(context) if isinstance(context, list) else 1
                if contexts > MAX_CONTEXTS:
                    raise LimitExceeded(TOO_MANY_CONTEXTS, limit=MAX_CONTEXTS, found=contexts)
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth + 1 > MAX_DEPTH:
            raise LimitExceeded(TOO_DEEP, limit=MAX_DEPTH)
        stack.extend((child, depth + 1) for child in children)


# RDFC-1.0 writes canonical N-Quads (RDF 1.2): U+0008 and U+000C as \b and \f, the other
# control characters below U+0020 and U+007F as \uXXXX. pyld (and older processors) write
# them raw, so a literal containing one has a canonical form, and a signature, that differs
# between implementations. Tab, line feed and carriage return are escaped alike everywhere.
# An unpaired surrogate (JSON allows "\ud800") has no UTF-8 form at all, so cannot be hashed.
_UNSTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True)
class UnstableCharacter:
    path: str
    character: str

    @property
    def code_point(self) -> str:
        return f"U+{ord(self.character):04X}"

    def __str__(self) -> str:
        what = (
            "an unpaired surrogate"
            if 0xD800 <= ord(self.character) <= 0xDFFF
            else "the control character"
        )
        return f"{self.path or '/'} contains {what} {self.code_point}"


def find_unstable_character(document: Any) -> UnstableCharacter | None:
    """The first string (value or key) holding a control character RDFC-1.0 implementations
    write differently, or an unpaired surrogate; None when there is none."""
    stack: list[tuple[Any, str]] = [(document, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            found = _UNSTABLE.search(value)
            if found:
                return UnstableCharacter(path, found.group())
        elif isinstance(value, Mapping):
            for key, child in value.items():
                found = _UNSTABLE.search(key) if isinstance(key, str) else None
                if found:
                    return UnstableCharacter(f"{path}/{key!r}", found.group())
                stack.append((child, f"{path}/{key}"))
        elif isinstance(value, list):
            stack.extend((child, f"{path}[{index}]") for index, child in enumerate(value))
    return None


def strip_unstable_characters(text: str) -> str:
    """``text`` without the control characters that :func:`find_unstable_character` refuses:
    for text the platform composes (a person's name in a description), where such a character
    is never meant and should not stop a credential from being issued."""
    return _UNSTABLE.sub("", text)
