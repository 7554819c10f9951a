"""Exports in Action Network's and Mobilize's shapes: Excel-ready, formula-proof, each person
seeing only what they may, every download in the audit log, and read back unchanged."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from strategists.common.models import AuditEntry
from strategists.events.models import Registration
from strategists.imports import formats
from tests.factories import EventFactory, UserFactory, city

pytestmark = pytest.mark.django_db


def download(client, name, query=""):
    response = client.get(reverse(f"imports:{name}") + query)
    body = b"".join(response.streaming_content)
    return response, body


def rows_of(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def signed_up(world):
    """Two trainings, one per organization, each with one registration; ours was attended."""
    start = timezone.now().replace(microsecond=0) - timezone.timedelta(days=2)
    ours = EventFactory(
        organization=world.organization,
        title="=Lists",
        starts_at=start,
        ends_at=start + timezone.timedelta(hours=6),
    )
    theirs = EventFactory(organization=world.other_organization, title="Elsewhere")
    person = UserFactory(
        name="+Eve Attacker", email="eve@example.net", phone_number="+1 313 555 0100", city=city()
    )
    Registration.objects.create(event=ours, person=person, status="registered", checked_in_at=start)
    Registration.objects.create(event=theirs, person=world.member, status="registered")
    return ours, theirs


def test_the_registrations_export_is_mobilize_shaped_excel_ready_and_formula_proof(
    client, world, signed_up
):
    ours, _theirs = signed_up
    client.force_login(world.host)

    response, body = download(client, "export_registrations")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="registrations.csv"'
    assert body.startswith(b"\xef\xbb\xbf")
    assert rows_of(body) == [
        formats.MOBILIZE_COLUMNS,
        [
            str(ours.pk),
            "'=Lists",
            timezone.localtime(ours.starts_at).isoformat(timespec="seconds"),
            timezone.localtime(ours.ends_at).isoformat(timespec="seconds"),
            "'+Eve",
            "Attacker",
            "eve@example.net",
            "'+1 313 555 0100",
            "",
            "REGISTERED",
            "true",
        ],
    ]


def test_the_people_export_is_action_network_shaped(client, world, signed_up):
    client.force_login(world.host)

    _response, body = download(client, "export_people")

    assert rows_of(body) == [
        formats.AN_COLUMNS,
        ["'+Eve", "Attacker", "eve@example.net", "", "", "Detroit", "MI", "", "'+1 313 555 0100"],
    ]


def test_a_coordinator_exports_everyone_or_one_training(client, world, signed_up):
    _ours, theirs = signed_up
    client.force_login(world.coordinator)

    _r, everyone = download(client, "export_registrations")
    _r, one = download(client, "export_attendance", f"?training={theirs.pk}")

    assert [row[6] for row in rows_of(everyone)[1:]] == ["eve@example.net", "member@example.net"]
    assert rows_of(one) == [formats.MOBILIZE_COLUMNS]  # nobody attended that one


def test_an_export_read_back_by_the_importer_changes_nothing(client, world, signed_up, run):
    client.force_login(world.coordinator)
    _r, body = download(client, "export_registrations")
    _r, people = download(client, "export_people")

    registrations = run(world.coordinator, body, kind=formats.MOBILIZE)
    again = run(world.coordinator, people)

    assert (registrations.state, registrations.changed_rows) == ("done", 0)
    assert (again.state, again.changed_rows) == ("done", 0)


def test_every_download_is_in_the_audit_log(client, world, signed_up):
    ours, _theirs = signed_up
    client.force_login(world.host)

    download(client, "export_people", f"?training={ours.pk}")

    entry = AuditEntry.objects.get(action="export.downloaded")
    assert (entry.actor, entry.object_id, entry.data) == (
        world.host,
        str(ours.pk),
        {"what": "people", "event": ours.pk},
    )


@pytest.mark.parametrize("query", ["?training=abc", "?training=-1", "?training=99999999999999"])
def test_a_bad_training_number_is_a_clear_400(client, world, query):
    client.force_login(world.coordinator)

    response = client.get(reverse("imports:export_people") + query)

    assert response.status_code == 400
    assert "The training must be a training number." in response.content.decode()


def test_exports_are_rate_limited(client, world, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "exports": {"user": "2/h"}}
    client.force_login(world.coordinator)

    statuses = [client.get(reverse("imports:export_people")).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


@pytest.mark.parametrize("name", ["export_registrations", "export_people"])
def test_an_export_of_1_or_3_registrations_takes_the_same_queries(
    client, world, django_assert_num_queries, name
):
    event = EventFactory(organization=world.organization)
    client.force_login(world.host)

    def add():
        Registration.objects.create(event=event, person=UserFactory(), status="registered")

    add()
    # session, user, is a host, the audit entry (in its savepoint), the rows
    with django_assert_num_queries(7):
        _r, one = download(client, name)
    add()
    add()
    with django_assert_num_queries(7):
        _r, three = download(client, name)

    assert (len(rows_of(one)), len(rows_of(three))) == (2, 4)
