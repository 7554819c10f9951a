"""The log as CSV, one entry a line, written as it is read (a large log never sits in memory).
Shared by `/audit/export.csv` and `strategists audit-log --csv`."""

import csv
import json
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from strategists.common.models import AuditEntry

COLUMNS = [
    _("when"),
    _("who"),
    _("action"),
    _("object type"),
    _("object id"),
    _("object"),
    _("before"),
    _("after"),
    _("details"),
    _("IP hash"),
]
# A spreadsheet runs a cell that starts with one of these as a formula; labels come from people.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_START) else text


def _json(value) -> str:
    return "" if value in (None, {}, []) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def split_data(entry: AuditEntry) -> tuple:
    """(before, after, the other details) of an entry."""
    data = dict(entry.data) if isinstance(entry.data, dict) else {"value": entry.data}
    return data.pop("before", None), data.pop("after", None), data


def entry_row(entry: AuditEntry) -> list[str]:
    before, after, details = split_data(entry)
    when = timezone.localtime(entry.created_at).isoformat(timespec="seconds")
    cells = [
        entry.actor_label,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.object_label,
        _json(before),
        _json(after),
        _json(details),
    ]
    return [when, *(_cell(cell) for cell in cells), entry.ip_hash]


class _Echo:
    """A file that hands back what is written to it, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(entries: Iterable[AuditEntry]) -> Iterator[str]:
    """The header (in the current language, decided now) and one line per entry."""
    header = [str(column) for column in COLUMNS]
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for entry in entries:
            yield writer.writerow(entry_row(entry))

    return lines()
