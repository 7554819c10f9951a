"""Never two deliveries for one idempotency key: concurrent senders, and a sender that died."""

import datetime as dt
import threading

import pytest
from django.db import connections
from django.utils import timezone

from strategists.webhooks import outbox, services
from strategists.webhooks.models import Delivery, EventType
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_send_a_delivery_once(shared_database, receiver):
    coordinator = UserFactory(is_coordinator=True)
    endpoint = services.endpoint_create(
        by=coordinator, url=receiver.url, event_types=[EventType.CERTIFIED]
    )
    deliveries = [outbox.ping_queue(endpoint=endpoint) for _ in range(3)]
    receiver.delay = 0.3  # the first sender is still talking when the others arrive
    start = threading.Barrier(4)
    errors = []

    def sender():
        try:
            start.wait()
            for delivery in deliveries:
                outbox.delivery_send(delivery_id=delivery.pk)
            outbox.deliveries_send_due()
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    keys = [request.headers["Idempotency-Key"] for request in receiver.requests]
    assert errors == []
    assert sorted(keys) == sorted(str(d.idempotency_key) for d in deliveries)
    assert set(Delivery.objects.values_list("status", "attempts")) == {("delivered", 1)}


def test_a_delivery_whose_sender_died_is_taken_over_after_its_lease(world, receiver):
    endpoint = services.endpoint_create(
        by=world.coordinator, url=receiver.url, event_types=[EventType.CERTIFIED]
    )
    delivery = outbox.ping_queue(endpoint=endpoint)
    now = timezone.now()
    assert outbox._claim(delivery.pk, now) is not None  # a sender claims it, then dies

    outbox.deliveries_send_due(now=now + dt.timedelta(seconds=30))
    assert receiver.requests == []  # its lease still runs

    outbox.deliveries_send_due(now=now + dt.timedelta(minutes=3))
    assert (len(receiver.requests), Delivery.objects.get().status) == (1, "delivered")


def test_a_late_sender_whose_delivery_was_taken_over_records_nothing(world, receiver):
    endpoint = services.endpoint_create(
        by=world.coordinator, url=receiver.url, event_types=[EventType.CERTIFIED]
    )
    delivery = outbox.ping_queue(endpoint=endpoint)
    now = timezone.now()
    stale = outbox._claim(delivery.pk, now)
    outbox.deliveries_send_due(now=now + dt.timedelta(minutes=3))  # taken over, delivered

    loaded = Delivery.objects.select_related("endpoint").get()
    attempt, _ = outbox._post(loaded)
    outbox._record(loaded, stale, attempt, now)

    assert (Delivery.objects.get().status, Delivery.objects.get().log.count()) == ("delivered", 1)
