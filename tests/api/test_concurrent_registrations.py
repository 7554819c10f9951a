"""120 people register at once, over real HTTP, for 20 seats: exactly 20 get one, the rest
join the waitlist in a strict order, nobody twice, no errors. Runs on SQLite and PostgreSQL."""

import concurrent.futures
import json
import threading
import urllib.request

import pytest
from django.core.handlers.wsgi import WSGIHandler
from waitress.server import create_server

from strategists.api.services import api_token_create
from strategists.events.models import Registration
from tests.api.factories import EventFactory
from tests.factories import UserFactory

SEATS = 20
PEOPLE = 120
SERVER_THREADS = 16  # each with its own database connection


@pytest.fixture
def server(shared_database):
    wsgi = create_server(
        WSGIHandler(),
        host="127.0.0.1",
        port=0,
        threads=SERVER_THREADS,
        connection_limit=PEOPLE + 10,
        backlog=PEOPLE + 10,
    )
    thread = threading.Thread(target=wsgi.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{wsgi.effective_port}"
    wsgi.close()
    thread.join(timeout=10)
    wsgi.task_dispatcher.shutdown()


def register(url: str, token: str, email: str) -> tuple[int, dict]:
    body = json.dumps(
        {"person": {"given_name": "Concurrent", "email_addresses": [{"address": email}]}}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - a loopback URL the test builds
        url,
        body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "OSDI-API-Token": token,
            "Host": "127.0.0.1",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {"error": error.read().decode()[:500]}


def test_concurrent_registrations_never_oversell(server):
    event = EventFactory(capacity=SEATS)
    UserFactory(email="already@example.org")  # some sign-ups match existing people
    # A coordinator's token: the answers show each registration (others get a uniform 202).
    token = api_token_create(user=UserFactory(is_coordinator=True))[1]
    url = f"{server}/api/v2/events/{event.pk}/attendances"
    emails = [f"person{n}@example.org" for n in range(PEOPLE - 1)] + ["Already@Example.org"]
    start = threading.Barrier(PEOPLE)

    def one(email):
        start.wait(timeout=60)
        return register(url, token, email)

    with concurrent.futures.ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        results = list(pool.map(one, emails))

    assert [status for status, _ in results if status != 201] == []
    statuses = sorted(body["status"] for _, body in results)
    assert statuses == ["accepted"] * SEATS + ["tentative"] * (PEOPLE - SEATS)
    registrations = Registration.objects.filter(event=event)
    assert registrations.filter(status="registered").count() == SEATS
    assert registrations.filter(status="waitlisted").count() == PEOPLE - SEATS
    assert len(set(registrations.values_list("person__email", flat=True))) == PEOPLE
    positions = sorted(
        body["strategists:waitlist_position"]
        for _, body in results
        if body["status"] == "tentative"
    )
    assert positions == list(range(1, PEOPLE - SEATS + 1))
