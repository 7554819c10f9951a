"""Deliveries never go to the platform's own network: private, link-local and loopback
addresses are refused in production, https is required; only tests and development may use
http://127.0.0.1."""

import pytest

from strategists.webhooks import outbox, services
from strategists.webhooks.models import Delivery, EventType
from strategists.webhooks.transport import address_allowed, url_problem


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://93.184.216.34/hook", True),
        ("https://[2606:4700::1111]/hook", True),
        ("http://93.184.216.34/hook", False),  # https only
        ("https://127.0.0.1/hook", False),
        ("https://10.1.2.3/hook", False),
        ("https://192.168.0.10/hook", False),
        ("https://172.16.0.1/hook", False),
        ("https://169.254.169.254/latest/meta-data", False),  # cloud metadata
        ("https://100.64.0.1/hook", False),
        ("https://0.0.0.0/hook", False),
        ("https://[::1]/hook", False),
        ("https://[fe80::1]/hook", False),
        ("https://[::ffff:127.0.0.1]/hook", False),
        ("https://localhost/hook", False),
        ("https://user:pw@93.184.216.34/hook", False),
        ("ftp://93.184.216.34/hook", False),
        ("https:///nohost", False),
        ("https://93.184.216.34:99999/", False),
    ],
)
def test_production_refuses_what_is_not_public_https(url, allowed):
    assert (url_problem(url, allow_local=False) is None) is allowed


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:8001/hook", True),
        ("http://localhost:8001/hook", True),
        ("http://10.1.2.3/hook", False),
        ("http://169.254.169.254/", False),
        ("http://93.184.216.34/hook", False),
    ],
)
def test_tests_and_development_allow_loopback_only(url, allowed):
    assert (url_problem(url, allow_local=True) is None) is allowed


def test_the_refusal_says_why():
    assert url_problem("https://169.254.169.254/", allow_local=False) == (
        "169.254.169.254 is a private or local address; webhooks go to public addresses only."
    )
    assert url_problem("http://93.184.216.34/", allow_local=False) == (
        "Enter a URL that starts with https://: deliveries carry people's data."
    )


def test_ipv4_mapped_and_multicast_addresses_are_refused():
    assert [
        address_allowed(a, allow_local=False)
        for a in ["::ffff:10.0.0.1", "224.0.0.1", "8.8.8.8", "fc00::1"]
    ] == [False, False, True, False]


def test_a_stored_local_url_is_refused_at_send_time_in_production(world, settings):
    endpoint = services.endpoint_create(
        by=world.coordinator,
        url="http://127.0.0.1:9/hook",
        event_types=[EventType.TRAINING_APPROVED],
    )
    delivery = outbox.ping_queue(endpoint=endpoint)
    settings.WEBHOOKS_ALLOW_LOCAL = False

    outbox.delivery_send(delivery_id=delivery.pk)

    attempt = Delivery.objects.get().log.get()
    assert (attempt.status_code, attempt.error) == (
        None,
        "Refused: 127.0.0.1 is a private or local address; webhooks go to public addresses only.",
    )
