import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from strategists.__main__ import main
from strategists.api.models import ApiToken

pytestmark = pytest.mark.django_db


def issue(email, *args):
    out = io.StringIO()
    call_command("api_token", "--email", email, *args, stdout=out)
    return out.getvalue().strip()


def test_the_command_prints_a_token_that_works_and_stores_only_its_hash(client, world):
    raw = issue("HOST@example.net")

    stored = ApiToken.objects.get(user=world.host)
    assert stored.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.digest, stored.prefix}
    events = client.get("/api/v2/events", headers={"OSDI-API-Token": raw})
    assert (events.status_code, events.json()["total_records"]) == (
        200,
        len(events.json()["_embedded"]["osdi:events"]),
    )


def test_a_new_token_revokes_the_old_one_unless_keep_old(client, world):
    first = issue("host@example.net")
    second = issue("host@example.net", "--keep-old")
    third = issue("host@example.net")

    statuses = [
        client.get("/api/v2/events", headers={"OSDI-API-Token": token}).status_code
        for token in (first, second, third)
    ]
    assert statuses == [401, 401, 200]
    assert len({first, second, third}) == 3


def test_unknown_email_is_an_error(world):
    with pytest.raises(CommandError, match=r"No person with the email address nobody@example\.net"):
        issue("nobody@example.net")


def test_strategists_api_token_maps_to_the_command(world, capsys, monkeypatch):
    # run_from_argv closes every connection when done; the test's own must outlive it.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    main(["strategists", "api-token", "--email", "member@example.net"])

    raw = capsys.readouterr().out.strip()
    assert (
        ApiToken.objects.get(user=world.member).digest == hashlib.sha256(raw.encode()).hexdigest()
    )
