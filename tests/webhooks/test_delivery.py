"""Deliveries against a real receiver on 127.0.0.1: one signed delivery per event type, sent
after commit, retried after a failure, given up after a day, and the endpoint paused."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.utils import timezone

from strategists.common.models import AuditEntry, OutgoingMail
from strategists.curriculum import issuing
from strategists.curriculum import services as curriculum
from strategists.events import registration_services
from strategists.events import services as events
from strategists.events.models import Registration
from strategists.webhooks import outbox, services
from strategists.webhooks.models import Delivery, Endpoint, EventType
from strategists.webhooks.signing import verify_signature
from tests.curriculum.conftest import almost_certified, approved
from tests.factories import EventFactory, UserFactory

SECRET = "whsec_test_secret_long_enough_to_sign"


def endpoint_for(world, receiver, *event_types) -> Endpoint:
    return services.endpoint_create(
        by=world.coordinator,
        url=receiver.url,
        event_types=list(event_types),
        secret=SECRET,
        description="Local 1001's CRM",
    )


def registered(world):
    return registration_services.registration_create(
        event=EventFactory(organization=world.organization), person=world.member
    ).registration


def credential_revoked(world):
    approved(world.member, "web-and-cms", 2)
    [credential] = issuing.credentials_issue(people=[world.member])
    curriculum.credential_revoke(credential=credential, by=world.coordinator, reason="Duplicate")


def certified(world):
    almost_certified(world.member)
    curriculum.certification_check(person=world.member)


# What each event type's change is, and the Action Network type its delivery carries.
CHANGES = {
    EventType.REGISTRATION_CREATED: (registered, "osdi:attendance"),
    EventType.REGISTRATION_CANCELLED: (
        lambda w: registration_services.registration_cancel(registration=registered(w)),
        "osdi:attendance",
    ),
    EventType.CHECKED_IN: (
        lambda w: registration_services.check_in(registration=registered(w), by=w.host),
        "osdi:attendance",
    ),
    EventType.TRAINING_APPROVED: (
        lambda w: events.event_approve(
            event=EventFactory(state="proposed", organization=w.organization), by=w.coordinator
        ),
        "osdi:event",
    ),
    EventType.TRAINING_CANCELLED: (
        lambda w: events.event_cancel(
            event=EventFactory(organization=w.organization), by=w.coordinator, reason="Snowstorm"
        ),
        "osdi:event",
    ),
    EventType.CERTIFIED: (certified, "strategists:certification"),
    EventType.CREDENTIAL_REVOKED: (credential_revoked, "strategists:credential"),
}


@pytest.mark.parametrize("event_type", list(CHANGES))
def test_each_event_type_is_delivered_once_signed_after_commit(world, receiver, commit, event_type):
    change, kind = CHANGES[event_type]
    endpoint_for(world, receiver, event_type)

    with commit():
        change(world)

    [request] = receiver.requests
    assert verify_signature(SECRET, request.headers["X-Strategists-Signature"], request.body)
    [item] = json.loads(request.body)
    delivery = Delivery.objects.get()
    assert (
        request.headers["X-Strategists-Event"],
        request.headers["Idempotency-Key"],
        request.headers["X-Strategists-Delivery"],
        request.headers["Content-Type"],
        item["idempotency_key"],
        item["strategists:event_type"],
        sorted(item),
        item["action_network:sponsor"]["title"],
    ) == (
        event_type.value,
        str(delivery.idempotency_key),
        str(delivery.idempotency_key),
        "application/json",
        str(delivery.idempotency_key),
        event_type.value,
        sorted(["idempotency_key", "strategists:event_type", kind, "action_network:sponsor"]),
        "1000 Strategists",
    )
    assert (delivery.status, delivery.attempts, delivery.log.get().status_code) == (
        "delivered",
        1,
        200,
    )


def test_an_attendance_delivery_says_who_registered_for_what(world, receiver, commit):
    endpoint_for(world, receiver, EventType.REGISTRATION_CREATED)
    with commit():
        registration = registered(world)

    [item] = json.loads(receiver.requests[0].body)
    attendance = item["osdi:attendance"]
    assert {key: attendance[key] for key in ("identifiers", "status", "attended", "person")} == {
        "identifiers": [f"strategists:{registration.pk}"],
        "status": "accepted",
        "attended": False,
        "person": {
            "given_name": "Mona",
            "family_name": "Member",
            "email_addresses": [{"primary": True, "address": "member@example.net"}],
        },
    }
    assert attendance["_links"]["osdi:event"]["href"].endswith(
        f"/api/v2/events/{registration.event_id}"
    )


def test_nothing_is_queued_when_the_change_rolls_back(world, receiver, commit):
    endpoint_for(world, receiver, EventType.REGISTRATION_CREATED)
    event = EventFactory(state="proposed")  # closed: registering fails inside the transaction

    with commit(), pytest.raises(registration_services.RegistrationClosed):
        registration_services.registration_create(event=event, person=world.member)

    assert (Delivery.objects.count(), receiver.requests) == (0, [])


def test_only_endpoints_that_chose_the_event_and_are_active_get_it(world, receiver, commit):
    chose = endpoint_for(world, receiver, EventType.REGISTRATION_CREATED)
    endpoint_for(world, receiver, EventType.CHECKED_IN)
    paused = endpoint_for(world, receiver, EventType.REGISTRATION_CREATED)
    services.endpoint_pause(endpoint=paused, by=world.coordinator)

    with commit():
        registered(world)

    assert [d.endpoint_id for d in Delivery.objects.all()] == [chose.pk]


def test_a_failed_delivery_is_retried_with_the_same_key_and_body(world, receiver, commit):
    receiver.statuses = [500, 200]
    endpoint_for(world, receiver, EventType.REGISTRATION_CREATED)
    with commit():
        registered(world)
    delivery = Delivery.objects.get()
    first_try = timezone.now()
    assert (delivery.status, delivery.attempts) == ("queued", 1)
    assert first_try + dt.timedelta(seconds=50) < delivery.not_before  # backoff: a minute

    assert outbox.deliveries_send_due(now=first_try) == 0  # not due yet
    assert outbox.deliveries_send_due(now=delivery.not_before) == 1

    delivery.refresh_from_db()
    assert [a.status_code for a in delivery.log.order_by("pk")] == [500, 200]
    assert delivery.log.order_by("pk").first().response_excerpt == "receiver says no"
    assert delivery.status == "delivered"
    first, second = receiver.requests
    assert (first.body, first.headers["Idempotency-Key"]) == (
        second.body,
        second.headers["Idempotency-Key"],
    )
    assert verify_signature(SECRET, second.headers["X-Strategists-Signature"], second.body)


def test_backoff_doubles_and_gives_up_a_day_after_queueing(world, receiver, commit):
    receiver.statuses = [503]
    endpoint_for(world, receiver, EventType.REGISTRATION_CREATED)
    with commit():
        registered(world)
    delivery = Delivery.objects.get()
    waits = []
    now = timezone.now()
    while delivery.status == "queued":
        waits.append(round((delivery.not_before - now).total_seconds() / 60))
        now = delivery.not_before
        outbox.deliveries_send_due(now=now)
        delivery.refresh_from_db()

    assert waits[:6] == [1, 2, 4, 8, 16, 32]
    assert delivery.status == "failed"
    assert delivery.expires_at <= now < delivery.expires_at + dt.timedelta(minutes=1)
    assert delivery.attempts == len(receiver.requests) == delivery.log.count()


def test_an_endpoint_failing_for_a_day_is_paused_and_its_owner_told(world, receiver, commit):
    receiver.statuses = [500]
    endpoint = endpoint_for(world, receiver, EventType.REGISTRATION_CREATED)
    with commit():
        registered(world)
    start = timezone.now()
    mail.outbox.clear()

    outbox.deliveries_send_due(now=start + dt.timedelta(hours=23))
    endpoint.refresh_from_db()
    assert endpoint.state == "active"

    outbox.deliveries_send_due(now=start + dt.timedelta(hours=24, minutes=1))
    endpoint.refresh_from_db()
    assert (endpoint.state, endpoint.paused_reason) == ("paused", "failing")
    [told] = OutgoingMail.objects.filter(kind="webhook-paused")
    assert told.to == world.coordinator.email
    assert endpoint.url in told.body
    assert (
        AuditEntry.objects.filter(
            action="webhook_endpoint.paused", object_id=str(endpoint.pk), actor=None
        ).count()
        == 1
    )

    # Paused: nothing more goes out, however due.
    sent = len(receiver.requests)
    outbox.deliveries_send_due(now=start + dt.timedelta(hours=26))
    assert len(receiver.requests) == sent


def test_a_success_clears_the_failing_clock(world, receiver, commit):
    receiver.statuses = [500, 200, 500]
    endpoint = endpoint_for(world, receiver, EventType.REGISTRATION_CREATED)
    with commit():
        registered(world)  # fails at once: failing since now
    start = timezone.now()
    outbox.deliveries_send_due(now=start + dt.timedelta(hours=2))  # delivered: the clock stops
    registration_services.registration_create(event=EventFactory(), person=world.other)
    outbox.deliveries_send_due(now=start + dt.timedelta(hours=3))  # fails: failing since +3h

    outbox.deliveries_send_due(now=start + dt.timedelta(hours=25))  # fails again, 22 hours on

    endpoint.refresh_from_db()
    assert (endpoint.state, endpoint.failing_since) == (
        "active",
        start + dt.timedelta(hours=3),
    )


def test_resuming_sends_what_waited(world, receiver, commit):
    endpoint = endpoint_for(world, receiver, EventType.REGISTRATION_CREATED)
    receiver.statuses = [500]
    with commit():
        registered(world)
    services.endpoint_pause(endpoint=endpoint, by=world.coordinator)
    receiver.statuses = [200]

    with commit():
        services.endpoint_resume(endpoint=endpoint, by=world.coordinator)

    assert Delivery.objects.get().status == "delivered"
    assert len(receiver.requests) == 2


def test_a_redelivery_sends_the_same_key_again(world, receiver, commit):
    endpoint_for(world, receiver, EventType.REGISTRATION_CREATED)
    with commit():
        registered(world)
    delivery = Delivery.objects.get()

    with commit():
        services.delivery_redeliver(delivery=delivery, by=world.coordinator)

    first, second = receiver.requests
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]
    assert first.body == second.body
    assert Delivery.objects.get().log.count() == 2


def test_a_test_ping_reaches_a_paused_endpoint(world, receiver, commit):
    endpoint = endpoint_for(world, receiver, EventType.REGISTRATION_CREATED)
    services.endpoint_pause(endpoint=endpoint, by=world.coordinator)

    with commit():
        services.endpoint_ping(endpoint=endpoint, by=world.coordinator)

    [request] = receiver.requests
    [item] = json.loads(request.body)
    assert (request.headers["X-Strategists-Event"], item["strategists:event_type"]) == (
        "ping",
        "ping",
    )
    assert "strategists:ping" in item


def test_a_sweep_skips_the_rest_of_an_unreachable_endpoint(world, receiver, commit, settings):
    endpoint = endpoint_for(world, receiver, EventType.REGISTRATION_CREATED)
    Endpoint.objects.filter(pk=endpoint.pk).update(url="http://127.0.0.1:9/closed")
    for person in (world.member, world.other, UserFactory()):
        registration_services.registration_create(event=EventFactory(), person=person)

    outbox.deliveries_send_due()

    assert sorted(Delivery.objects.values_list("attempts", flat=True)) == [0, 0, 1]


def test_registration_cancelled_says_declined(world, receiver, commit):
    endpoint_for(world, receiver, EventType.REGISTRATION_CANCELLED)
    registration = registered(world)
    with commit():
        registration_services.registration_cancel(registration=registration)

    [item] = json.loads(receiver.requests[0].body)
    assert item["osdi:attendance"]["status"] == "declined"
    assert Registration.objects.get().status == "cancelled"
