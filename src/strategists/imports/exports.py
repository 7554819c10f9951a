"""Exports in the movement's shapes: Action Network's people CSV and Mobilize's attendee CSV,
UTF-8 with a byte-order mark so Excel reads accents right, and no cell a spreadsheet would run
as a formula. Written as they are read: a large export never sits in memory."""

import csv
from collections.abc import Iterable, Iterator

from django.utils import timezone

from strategists.accounts.models import User
from strategists.events.models import Registration
from strategists.imports.formats import AN_COLUMNS, MOBILIZE_COLUMNS, safe_cell, split_name

BOM = "\ufeff"


class _Echo:
    def write(self, value: str) -> str:
        return value


def _lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(header)
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def person_row(person: User) -> list:
    first, last = split_name(person.name)
    city = person.city
    return [
        first,
        last,
        person.email,
        "",  # zip_code: not kept
        "",  # can2_user_address: not kept
        city.name if city else "",
        city.subdivision_id if city else "",
        "",  # can2_county: not kept
        person.phone_number,
    ]


def people_csv(people: Iterable[User]) -> Iterator[str]:
    return _lines(AN_COLUMNS, (person_row(person) for person in people))


def _when(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def registration_row(registration: Registration) -> list:
    event, person = registration.event, registration.person
    first, last = split_name(person.name)
    return [
        event.pk,
        event.title,
        _when(event.starts_at),
        _when(event.ends_at),
        first,
        last,
        person.email,
        person.phone_number,
        "",  # Zip: not kept
        registration.status.upper(),
        "true" if registration.checked_in_at else "false",
    ]


def registrations_csv(registrations: Iterable[Registration]) -> Iterator[str]:
    return _lines(MOBILIZE_COLUMNS, (registration_row(item) for item in registrations))
