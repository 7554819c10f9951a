"""The parser on anything at all: it never raises, and every problem names its row (and its
column when the column is known)."""

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from strategists.imports import formats

KINDS = st.sampled_from([formats.AN_PEOPLE, formats.AN_ATTENDEES, formats.MOBILIZE])
CELL = st.text(max_size=40) | st.sampled_from(
    ["", "a@example.org", "ANA@Example.org", "yes", "no", "123", "=1+1", "'+1 555", "\x00", "é"]
)


def csv_of(header, rows, delimiter) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def check(parsed: formats.ParsedFile, kind: str) -> None:
    known = set(formats.COLUMNS[kind]) | {""}
    for problem in parsed.problems:
        assert problem.row >= 1
        assert problem.column in known
        assert str(problem).startswith(f"row {problem.row}")
    assert all(row.number >= 2 and row.email for row in parsed.rows)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400), kind=KINDS)
def test_random_bytes_never_raise(data, kind):
    check(formats.parse(data, kind), kind)


@settings(max_examples=300, deadline=None)
@given(
    kind=KINDS,
    extra=st.lists(st.text(max_size=12), max_size=3),
    rows=st.lists(st.lists(CELL, max_size=14), max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_random_rows_under_a_real_header_never_raise(kind, extra, rows, delimiter):
    header = [*formats.COLUMNS[kind], *extra]
    parsed = formats.parse(csv_of(header, rows, delimiter), kind)

    check(parsed, kind)
    if not any(problem.row == 1 for problem in parsed.problems):
        # Every row that isn't blank is either read or named in a problem.
        named = {problem.row for problem in parsed.problems}
        read = {row.number for row in parsed.rows}
        for number, cells in enumerate(rows, start=2):
            if any(cell.strip() for cell in cells):
                assert number in read | named


@settings(max_examples=200, deadline=None)
@given(kind=KINDS, text=st.text(max_size=300))
def test_random_text_in_any_encoding_never_raises(kind, text):
    for encoding in ("utf-8", "utf-8-sig", "latin-1", "utf-16"):
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        check(formats.parse(data, kind), kind)
