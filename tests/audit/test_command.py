import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from strategists.__main__ import main
from tests.audit.conftest import HEADER

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("audit_log", *args, stdout=out)
    return out.getvalue()


def test_csv_is_the_same_as_the_coordinators_export(client_for, log):
    export = client_for("coordinator").get(
        reverse("audit:export"), {"since": "2027-03-02", "action": "role."}
    )

    printed = run("--since", "2027-03-02", "--action", "role.", "--csv")

    assert printed == b"".join(export.streaming_content).decode()
    assert [row[2] for row in csv.reader(io.StringIO(printed))] == ["action", "role.granted"]


def test_without_csv_one_readable_line_per_entry(world, log):
    printed = run("--until", "2027-03-02").splitlines()

    assert printed == [
        f"2027-03-02T23:30:00-05:00 Cora Coordinator role.granted accounts.user:{world.host.pk} Hana Host "
        "state: — -> active; role: host; reason: Elected steward",
        f"2027-03-01T09:00:00-05:00 Cora Coordinator organization.updated accounts.organization:{world.organization.pk} "
        "Local 1001 name: Local 1000 -> Local 1001; website: — -> https://l1001.org",
    ]


def test_the_strategists_command_takes_the_hyphenated_name(log, capsys):
    main(["strategists", "audit-log", "--action", "offers.", "--csv"])

    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows == [
        HEADER,
        ["2027-03-05T00:15:00-05:00", "", "offers.expired", "", "", "", "", "", '{"count": 2}', ""],
    ]


def test_a_bad_date_is_a_clear_error(log):
    with pytest.raises(CommandError, match=r"From: Enter a valid date\."):
        run("--since", "March")
