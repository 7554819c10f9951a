import csv
import datetime as dt
import io

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategists.common.audit import audit_log
from strategists.common.models import AuditEntry
from tests.audit.conftest import HEADER
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def shown(response) -> list[str]:
    return [row["entry"].action for row in response.context["rows"]]


def test_coordinators_read_the_log_newest_first_with_before_and_after(client_for, log):
    response = client_for("coordinator").get(reverse("audit:log"))

    assert response.status_code == 200
    assert shown(response) == ["offers.expired", "role.granted", "organization.updated"]
    assert response.context["rows"][2]["changes"] == [
        {"field": "name", "had_before": True, "before": "Local 1000", "after": "Local 1001"},
        {"field": "website", "had_before": True, "before": "—", "after": "https://l1001.org"},
    ]
    assert response.context["rows"][1]["details"] == [
        {"field": "role", "value": "host"},
        {"field": "reason", "value": "Elected steward"},
    ]
    html = response.content.decode()
    assert "<strong>name</strong>: <del>Local 1000</del> → <ins>Local 1001</ins>" in html
    assert "<li>reason: Elected steward</li>" in html
    assert "System" in html  # the nightly job had no actor


def test_the_log_has_fifty_entries_a_page(client_for, world):
    AuditEntry.objects.all().delete()
    entries = [audit_log("account.signed_up", world.member, actor=world.member) for _ in range(51)]

    page_one = client_for("coordinator").get(reverse("audit:log"))
    page_two = client_for("coordinator").get(reverse("audit:log"), {"page": 2})

    assert (len(page_one.context["rows"]), page_one.context["page"].paginator.num_pages) == (50, 2)
    assert [row["entry"].pk for row in page_two.context["rows"]] == [entries[0].pk]
    assert 'href="?page=2" rel="next"' in page_one.content.decode()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"person": "coordinator@example.net"}, ["role.granted", "organization.updated"]),
        ({"person": "COORDINATOR@example.net "}, ["role.granted", "organization.updated"]),
        ({"person": "nobody@example.net"}, []),
        ({"action": "role."}, ["role.granted"]),
        ({"action": "organization.updated"}, ["organization.updated"]),
        ({"action": "event."}, []),
        ({"object_type": "accounts.user"}, ["role.granted"]),
        ({"since": "2027-03-02"}, ["offers.expired", "role.granted"]),
        # Whole days in the site's time zone: 23:30 on March 2nd in New York is still March 2nd.
        ({"until": "2027-03-02"}, ["role.granted", "organization.updated"]),
        ({"since": "2027-03-02", "until": "2027-03-04"}, ["role.granted"]),
        (
            {"since": "0001-01-01", "until": "9999-12-31"},
            ["offers.expired", "role.granted", "organization.updated"],
        ),
        ({"page": "not-a-number"}, ["offers.expired", "role.granted", "organization.updated"]),
    ],
)
def test_filters(client_for, log, filters, expected):
    response = client_for("coordinator").get(reverse("audit:log"), filters)

    assert (response.status_code, shown(response)) == (200, expected)


def test_filter_by_person_id_and_by_object(client_for, world, log):
    client = client_for("coordinator")

    by_id = client.get(reverse("audit:log"), {"person": world.coordinator.pk})
    history = client.get(
        reverse("audit:log"),
        {"object_type": "accounts.organization", "object_id": world.organization.pk},
    )
    other = client.get(
        reverse("audit:log"),
        {"object_type": "accounts.organization", "object_id": OrganizationFactory().pk},
    )

    assert shown(by_id) == ["role.granted", "organization.updated"]
    assert shown(history) == ["organization.updated"]
    assert shown(other) == []


@pytest.mark.parametrize(
    ("filters", "field", "message"),
    [
        ({"person": "Cora"}, "person", "Enter the person's email address or their id (a number)."),
        (
            {"person": "9" * 40},
            "person",
            "Enter the person's email address or their id (a number).",
        ),
        ({"person": "²"}, "person", "Enter the person's email address or their id (a number)."),
        ({"since": "2027-02-30"}, "since", "Enter a valid date."),
        ({"until": "10000-01-01"}, "until", "Enter a valid date."),
        (
            {"since": "2027-03-05", "until": "2027-03-01"},
            "until",
            "The end comes before the start.",
        ),
        (
            {"action": "x" * 61},
            "action",
            "Ensure this value has at most 60 characters (it has 61).",
        ),
    ],
)
def test_bad_filters_are_a_form_error_not_a_500(client_for, log, filters, field, message):
    page = client_for("coordinator").get(reverse("audit:log"), filters)
    export = client_for("coordinator").get(reverse("audit:export"), filters)

    assert (page.status_code, page.context["form"].errors[field], shown(page)) == (
        400,
        [message],
        [],
    )
    assert (export.status_code, export.context["form"].errors[field]) == (400, [message])


@pytest.mark.parametrize("count", [1, 3])
def test_log_query_count_does_not_grow(client_for, world, django_assert_num_queries, count):
    AuditEntry.objects.all().delete()
    for _ in range(count):
        audit_log("role.granted", world.host, actor=world.coordinator, after={"state": "active"})
    client = client_for("coordinator")

    # Session, person, the count and the page.
    with django_assert_num_queries(4):
        response = client.get(reverse("audit:log"))

    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_export_query_count_does_not_grow(client_for, world, django_assert_num_queries, count):
    AuditEntry.objects.all().delete()
    for _ in range(count):
        audit_log("role.granted", world.host, actor=world.coordinator)
    client = client_for("coordinator")

    # Session, person, and the entries read in one chunk.
    with django_assert_num_queries(3):
        response = client.get(reverse("audit:export"))
        lines = b"".join(response.streaming_content).decode().splitlines()

    assert len(lines) == count + 1


def parse(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_export_streams_the_filtered_log_as_csv(client_for, world, log):
    response = client_for("coordinator").get(reverse("audit:export"))
    filtered = client_for("coordinator").get(reverse("audit:export"), {"action": "role."})

    assert response.streaming
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "text/csv; charset=utf-8",
        'attachment; filename="audit-log.csv"',
    )
    assert parse(response) == [
        HEADER,
        ["2027-03-05T00:15:00-05:00", "", "offers.expired", "", "", "", "", "", '{"count": 2}', ""],
        [
            "2027-03-02T23:30:00-05:00",
            "Cora Coordinator",
            "role.granted",
            "accounts.user",
            str(world.host.pk),
            "Hana Host",
            '{"state": null}',
            '{"state": "active"}',
            '{"reason": "Elected steward", "role": "host"}',
            "",
        ],
        [
            "2027-03-01T09:00:00-05:00",
            "Cora Coordinator",
            "organization.updated",
            "accounts.organization",
            str(world.organization.pk),
            "Local 1001",
            '{"name": "Local 1000", "website": ""}',
            '{"name": "Local 1001", "website": "https://l1001.org"}',
            "",
            "",
        ],
    ]
    assert [row[2] for row in parse(filtered)] == ["action", "role.granted"]


def test_export_keeps_the_ip_hash_and_defuses_spreadsheet_formulas(client_for, world):
    AuditEntry.objects.all().delete()
    organization = OrganizationFactory(name='=HYPERLINK("http://evil.example")')
    entry = audit_log("organization.created", organization, actor=world.coordinator)
    AuditEntry.objects.filter(pk=entry.pk).update(ip_hash="ab" * 16)

    [_, row] = parse(client_for("coordinator").get(reverse("audit:export")))

    assert (row[5], row[9]) == ('\'=HYPERLINK("http://evil.example")', "ab" * 16)


def test_requests_record_who_and_a_hashed_ip(client_for, world):
    """An entry written while serving a request names its person and hashes its address."""
    AuditEntry.objects.all().delete()

    client_for("coordinator").post(
        reverse("accounts:organization_new"),
        {
            "name": "Local 3003",
            "type": "local-union",
            "parent": "",
            "city": "",
            "website": "",
            "host_emails": "",
        },
        REMOTE_ADDR="203.0.113.9",
    )

    [entry] = AuditEntry.objects.all()
    assert (entry.action, entry.actor, len(entry.ip_hash)) == (
        "organization.created",
        world.coordinator,
        32,
    )
    assert "203.0.113.9" not in entry.ip_hash


def test_coordinators_find_the_log_in_their_navigation(client_for, world):
    link = f'<a href="{reverse("audit:log")}">Audit log</a>'

    assert link in client_for("coordinator").get(reverse("home")).content.decode()
    assert link not in client_for("host").get(reverse("home")).content.decode()


def test_history_url_links_an_object_to_its_entries(world):
    html = Template("{% load history %}{% history_url organization %}").render(
        Context({"organization": world.organization})
    )

    assert (
        html == f"/audit/?object_type=accounts.organization&amp;object_id={world.organization.pk}"
    )


def test_times_are_shown_in_the_site_time_zone(client_for, log):
    response = client_for("coordinator").get(reverse("audit:log"), {"action": "offers."})

    assert response.context["rows"][0]["entry"].created_at == dt.datetime(
        2027, 3, 5, 5, 15, tzinfo=dt.UTC
    )
    assert timezone.get_current_timezone_name() == "America/New_York"
    assert 'datetime="2027-03-05T00:15:00-05:00"' in response.content.decode()


def test_an_organization_page_links_to_its_history(client_for, world):
    url = reverse("accounts:organization_edit", kwargs={"pk": world.organization.pk})

    html = client_for("coordinator").get(url).content.decode()

    assert (
        f'<a class="small" href="/audit/?object_type=accounts.organization&amp;object_id={world.organization.pk}">'
        "History</a>"
    ) in html


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)
DATES = st.one_of(
    TEXT, st.dates().map(str), st.sampled_from(["0001-01-01", "9999-12-31", "2027-02-29", "-1"])
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    filters=st.fixed_dictionaries(
        {},
        optional={
            "person": st.one_of(TEXT, st.integers(min_value=-(10**30), max_value=10**30).map(str)),
            "object_type": TEXT,
            "object_id": TEXT,
            "action": TEXT,
            "since": DATES,
            "until": DATES,
            "page": st.one_of(TEXT, st.integers().map(str)),
        },
    )
)
def test_any_filters_get_the_page_or_a_form_error(client_for, log, filters):
    client = client_for("coordinator")

    page = client.get(reverse("audit:log"), filters)
    export = client.get(reverse("audit:export"), filters)

    assert page.status_code in {200, 400}
    assert (export.status_code, bool(page.context["form"].errors)) == (
        page.status_code,
        page.status_code == 400,
    )
    if export.status_code == 200:
        rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
        assert len(rows) - 1 == page.context["page"].paginator.count
