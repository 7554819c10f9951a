"""The demo shows a paused endpoint with its delivery log, built once however often it runs."""

import json

import pytest

from strategists.accounts import demo as accounts_demo
from strategists.events import demo as events_demo
from strategists.webhooks import demo
from strategists.webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db


def test_the_demo_endpoint_is_paused_with_a_log(client):
    for module in (accounts_demo, events_demo, demo, demo):
        module.build(log=lambda message: None, seed=1000)

    endpoint = Endpoint.objects.get()
    assert (endpoint.state, endpoint.paused_reason, endpoint.owner.email) == (
        "paused",
        "failing",
        "coordinator@example.org",
    )
    deliveries = list(Delivery.objects.order_by("pk"))
    assert [d.status for d in deliveries] == ["failed", "queued", "queued"]
    assert all(d.attempts == d.log.count() >= 10 for d in deliveries)
    [item] = json.loads(deliveries[0].body)
    assert item["idempotency_key"] == str(deliveries[0].idempotency_key)
    assert item["osdi:attendance"]["status"] == "accepted"

    client.force_login(endpoint.owner)
    page = client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert "ConnectionRefusedError" in page
