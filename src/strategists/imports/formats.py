"""Reading the movement's CSV files: Action Network's people and attendee exports and Mobilize's
attendee export, decoded, sniffed and checked cell by cell, so that every problem is named by row
and column and nothing else can go wrong (no database here: plan.py matches the rows).

Rows are counted as a spreadsheet shows them: the header is row 1, the first person row 2.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

AN_PEOPLE = "an-people"
AN_ATTENDEES = "an-attendees"
MOBILIZE = "mobilize"
KINDS = [
    (AN_PEOPLE, gettext_lazy("Action Network: people")),
    (AN_ATTENDEES, gettext_lazy("Action Network: an event's attendees")),
    (MOBILIZE, gettext_lazy("Mobilize: attendees")),
]

# Action Network's people export (and an event's attendee report, which has the same columns).
AN_COLUMNS = [
    "first_name",
    "last_name",
    "email",
    "zip_code",
    "can2_user_address",
    "can2_user_city",
    "can2_state_abbreviated",
    "can2_county",
    "can2_phone",
]
# Mobilize's attendee export, as far as this platform reads and writes it.
MOBILIZE_COLUMNS = [
    "Event ID",
    "Event name",
    "Timeslot start",
    "Timeslot end",
    "First name",
    "Last name",
    "Email",
    "Phone",
    "Zip",
    "Status",
    "Attended",
]
# Our field -> the column that carries it, per format.
FIELDS = {
    AN_PEOPLE: {
        "first_name": "first_name",
        "last_name": "last_name",
        "email": "email",
        "phone": "can2_phone",
        "city": "can2_user_city",
        "state": "can2_state_abbreviated",
    },
    MOBILIZE: {
        "event": "Event ID",
        "timeslot_start": "Timeslot start",
        "first_name": "First name",
        "last_name": "Last name",
        "email": "Email",
        "phone": "Phone",
        "status": "Status",
        "attended": "Attended",
    },
}
FIELDS[AN_ATTENDEES] = FIELDS[AN_PEOPLE]
COLUMNS = {AN_PEOPLE: AN_COLUMNS, AN_ATTENDEES: AN_COLUMNS, MOBILIZE: MOBILIZE_COLUMNS}

MAX_ROWS = 20_000
MAX_CELL = 1000
NAME_MAX = 150
PHONE = re.compile(r"^\+?[0-9 ().\-/]{4,31}$")
TRUE = {"true", "yes", "y", "1", "attended", "x", "t"}
FALSE = {"false", "no", "n", "0", "", "f", "not attended", "no-show", "no show"}
# Mobilize's signup statuses (and ours, as exports write them): who holds a place.
REGISTERED = {"", "registered", "confirmed", "attended"}
NOT_REGISTERED = {"cancelled", "canceled", "waitlisted", "offered", "declined", "no_show"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def __str__(self):
        if not self.column:
            return _("row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return _("row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Row:
    number: int
    email: str
    name: str = ""
    phone: str = ""
    city: str = ""
    state: str = ""
    event_id: int | None = None
    registered: bool = True
    attended: bool = False
    timeslot_start: dt.datetime | None = None


@dataclass
class ParsedFile:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings): UTF-8 with or without its byte-order mark, else Latin-1 (what
    older Excel writes), which always decodes, with a warning to check accented names."""
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError:
        warning = _(
            "The file is not UTF-8; it was read as Latin-1 (Western European). "
            "Check that accented names look right below."
        )
        return data.decode("latin-1"), "latin-1", [warning]


def sniff_delimiter(header_line: str) -> str:
    """Comma, semicolon (Excel in much of Europe and Quebec) or tab: whichever the header uses
    most. A header has no quoted commas in practice, and the counts decide cleanly."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _unquote(value: str) -> str:
    """Exports protect cells from spreadsheets with a leading quote ('+1 555...); read it back."""
    if value.startswith("'") and value[1:2] and value[1:2] in "=+-@":
        return value[1:]
    return value


def _parse_datetime(value: str) -> dt.datetime | None:
    text = value.strip().replace("Z", "+00:00")
    for parse in (
        dt.datetime.fromisoformat,
        lambda t: dt.datetime.strptime(t, "%m/%d/%Y %I:%M %p"),
        lambda t: dt.datetime.strptime(t, "%m/%d/%Y %H:%M"),
    ):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


def parse(data: bytes, kind: str) -> ParsedFile:
    """Read a whole file. Never raises: what can't be read becomes a Problem with its row and
    column (row 1 and no column for the file itself)."""
    result = ParsedFile()
    if kind not in COLUMNS:
        result.problems.append(Problem(1, "", _("unknown file format")))
        return result
    if b"\x00" in data:
        result.problems.append(
            Problem(1, "", _("this is not a CSV file (it contains binary data)"))
        )
        return result
    text, result.encoding, result.warnings = decode(data)
    first_line = text.split("\n", 1)[0]
    result.delimiter = sniff_delimiter(first_line)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=result.delimiter))
    except csv.Error as error:
        result.problems.append(
            Problem(1, "", _("the file is not valid CSV (%(error)s)") % {"error": error})
        )
        return result
    if not records or not any(cell.strip() for cell in records[0]):
        result.problems.append(Problem(1, "", _("the file is empty: no header row")))
        return result
    header = [cell.strip() for cell in records[0]]
    wanted = FIELDS[kind]
    known = {column.lower() for column in COLUMNS[kind]}
    position = {}
    for index, name in enumerate(header):
        position.setdefault(name.lower(), index)
    result.ignored_columns = [name for name in header if name and name.lower() not in known]
    required = [wanted["email"]]
    if kind == MOBILIZE:
        required.append(wanted["event"])
    missing = [column for column in required if column.lower() not in position]
    for column in missing:
        result.problems.append(
            Problem(1, column, _("this column is missing; the file's header must name it"))
        )
    if missing:
        return result
    body = records[1:]
    if len(body) > MAX_ROWS:
        result.problems.append(
            Problem(
                MAX_ROWS + 2,
                "",
                _("the file has more than %(max)d rows; split it into smaller files")
                % {"max": MAX_ROWS},
            )
        )
        return result
    for offset, record in enumerate(body):
        if not any(cell.strip() for cell in record):
            continue  # a blank line (spreadsheets leave them at the end)
        row = _parse_row(offset + 2, record, kind, wanted, position, result.problems)
        if row is not None:
            result.rows.append(row)
    return result


def _parse_row(number, record, kind, wanted, position, problems) -> Row | None:
    def cell(name: str) -> str:
        column = wanted.get(name)
        index = position.get(column.lower()) if column else None
        if index is None or index >= len(record):
            return ""
        return _unquote(record[index].strip())

    before = len(problems)

    def problem(name: str, message: str) -> None:
        problems.append(Problem(number, wanted[name], message))

    for name, column in wanted.items():
        if len(cell(name)) > MAX_CELL:
            problems.append(Problem(number, column, _("too long")))
            return None
    email = cell("email").lower()
    if not email:
        problem("email", _("empty; every row needs an email address"))
    else:
        try:
            validate_email(email)
        except ValidationError:
            problem("email", _("not an email address"))
    name = " ".join(part for part in (cell("first_name"), cell("last_name")) if part)
    if len(name) > NAME_MAX:
        problem("first_name", _("the name is longer than %(max)d characters") % {"max": NAME_MAX})
    phone = cell("phone")
    if phone and not PHONE.match(phone):
        problem("phone", _("not a phone number"))
    row = Row(number=number, email=email, name=name, phone=phone)
    if kind in (AN_PEOPLE, AN_ATTENDEES):
        row.city, row.state = cell("city")[:120], cell("state").upper()[:2]
    if kind == MOBILIZE:
        event = cell("event")
        if not event.isdigit() or len(event) > 12:
            problem("event", _("not a training number"))
        else:
            row.event_id = int(event)
        status = cell("status").lower()
        if status in REGISTERED:
            row.registered = True
        elif status in NOT_REGISTERED:
            row.registered = False
        else:
            problem("status", _("unknown status (use registered or cancelled)"))
        attended = cell("attended").lower()
        if attended in TRUE:
            row.attended = True
        elif attended not in FALSE:
            problem("attended", _("not yes or no"))
        start = cell("timeslot_start")
        if start:
            row.timeslot_start = _parse_datetime(start)
            if row.timeslot_start is None:
                problem("timeslot_start", _("not a date and time"))
    if "\x00" in name or len(problems) > before:
        return None
    return row


def safe_cell(value) -> str:
    """A cell a spreadsheet will show, not run: text starting with = + - @ gets a leading quote."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def split_name(name: str) -> tuple[str, str]:
    first, _space, last = (name or "").strip().partition(" ")
    return first, last
