"""Deliveries are queued in the change's transaction and sent after commit, never inside one.

Like the mail outbox (common/mail.py): a sender claims a delivery in one short transaction
(status `sending` with a lease, one conditional UPDATE, so two senders never both get it),
commits, POSTs with no transaction open and with a timeout, then records the answer in another
short transaction. A delivery whose sender died is taken over once its lease runs out. A failed
delivery is retried with exponential backoff (1, 2, 4... minutes) until a day after it was
queued; an endpoint whose deliveries have all failed for a day is paused and its owner told.
"""

import datetime as dt
import http.client
import logging
import secrets
import time
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from strategists.common.audit import audit_log
from strategists.common.mail import mail_person
from strategists.webhooks import payloads, transport
from strategists.webhooks.models import PING, Delivery, DeliveryAttempt, Endpoint
from strategists.webhooks.signing import SIGNATURE_HEADER, signature_header

logger = logging.getLogger(__name__)
RETRY_FOR = dt.timedelta(days=1)
PAUSE_AFTER = dt.timedelta(days=1)
# Failures that say the receiver is unreachable or hung, not that it refused this one delivery:
# the sweep skips that endpoint's other deliveries until the next sweep.
UNREACHABLE = (OSError, http.client.HTTPException, transport.Refused)


def deliveries_queue(*, event_type: str, build, now: dt.datetime | None = None) -> list[Delivery]:
    """Queue one delivery per active endpoint that chose `event_type`, in the caller's
    transaction; `build()` returns (kind, resource) and runs only when someone listens."""
    endpoints = [
        endpoint
        for endpoint in Endpoint.objects.filter(state=Endpoint.State.ACTIVE)
        if event_type in endpoint.event_types
    ]
    if not endpoints:
        return []
    kind, resource = build()
    return [_queue(endpoint, event_type, kind, resource, now) for endpoint in endpoints]


def _queue(endpoint, event_type, kind, resource, now=None) -> Delivery:
    now = now or timezone.now()
    key = uuid.uuid4()
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        event_type=event_type,
        idempotency_key=key,
        body=payloads.envelope(event_type, kind, resource, str(key)),
        expires_at=now + RETRY_FOR,
    )
    transaction.on_commit(lambda: enqueue_send(delivery.pk))
    return delivery


def ping_queue(*, endpoint: Endpoint, now: dt.datetime | None = None) -> Delivery:
    now = now or timezone.now()
    kind, resource = payloads.ping(endpoint, now)
    return _queue(endpoint, PING, kind, resource, now)


def enqueue_send(delivery_id: int) -> None:
    # With the database task backend this only writes a task row; the sweep is the safety net.
    from strategists.webhooks.tasks import send_webhook

    send_webhook.enqueue(delivery_id)


def _claimable(now: dt.datetime) -> Q:
    """Queued and due, or claimed by a sender whose lease has run out: conditions on the
    delivery's own row only, so that the claiming UPDATE checks them on the row it locks."""
    due = Q(status=Delivery.Status.QUEUED) & (Q(not_before__isnull=True) | Q(not_before__lte=now))
    abandoned = Q(status=Delivery.Status.SENDING, lease_until__lt=now)
    return due | abandoned


def _sendable(now: dt.datetime) -> Q:
    """Claimable, for an active endpoint (a test ping goes to a paused one too)."""
    return _claimable(now) & (Q(endpoint__state=Endpoint.State.ACTIVE) | Q(event_type=PING))


def _claim(delivery_id: int, now: dt.datetime) -> str | None:
    """Take the delivery for this sender, or None if it is not ours to send. The endpoint's
    state is read first; the claim itself is one UPDATE with its condition in its WHERE, on
    the delivery's row alone (a join would move the condition into a subquery that a
    concurrent sender's commit does not re-check)."""
    if not Delivery.objects.filter(_sendable(now), pk=delivery_id).exists():
        return None
    claim = secrets.token_hex(16)
    taken = Delivery.objects.filter(_claimable(now), pk=delivery_id).update(
        status=Delivery.Status.SENDING,
        claim=claim,
        attempts=F("attempts") + 1,
        lease_until=now + dt.timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS),
    )
    return claim if taken else None


def _headers(delivery: Delivery, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "1000Strategists-Webhooks/1",
        "X-Strategists-Event": delivery.event_type,
        "X-Strategists-Delivery": str(delivery.idempotency_key),
        "Idempotency-Key": str(delivery.idempotency_key),
        SIGNATURE_HEADER: signature_header(delivery.endpoint.secret, body),
    }


def _post(delivery: Delivery) -> tuple[DeliveryAttempt, Exception | None]:
    body = delivery.body.encode()
    attempt = DeliveryAttempt(delivery=delivery, started_at=timezone.now(), duration_ms=0)
    started = time.monotonic()
    error = None
    try:
        answer = transport.post(
            delivery.endpoint.url,
            body,
            _headers(delivery, body),
            timeout=settings.WEBHOOK_TIMEOUT,
        )
        attempt.status_code, attempt.response_excerpt = answer.status, answer.excerpt
    except Exception as exc:  # any failure is logged and retried
        logger.warning("webhook delivery %s failed: %s", delivery.pk, exc)
        attempt.error = f"{type(exc).__name__}: {exc}"[:500]
        error = exc
    attempt.duration_ms = int((time.monotonic() - started) * 1000)
    return attempt, error


def _record(delivery: Delivery, claim: str, attempt: DeliveryAttempt, now: dt.datetime) -> None:
    if attempt.succeeded:
        values = {"status": Delivery.Status.DELIVERED, "delivered_at": timezone.now()}
    elif now >= delivery.expires_at:
        values = {"status": Delivery.Status.FAILED}
    else:
        wait = dt.timedelta(minutes=2 ** (delivery.attempts - 1))
        values = {
            "status": Delivery.Status.QUEUED,
            "not_before": min(now + wait, delivery.expires_at),
        }
    # Only the sender still holding the claim records: one that was taken over changes nothing.
    recorded = Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.SENDING, claim=claim
    ).update(lease_until=None, claim="", **values)
    if not recorded:
        logger.warning(
            "webhook delivery %s was taken over before this sender finished", delivery.pk
        )
        return
    attempt.save()
    if delivery.event_type != PING or attempt.succeeded:
        _endpoint_outcome(delivery.endpoint_id, attempt.succeeded, now)


def _endpoint_outcome(endpoint_id: int, succeeded: bool, now: dt.datetime) -> None:
    endpoints = Endpoint.objects.filter(pk=endpoint_id)
    if succeeded:
        endpoints.filter(failing_since__isnull=False).update(failing_since=None)
        return
    endpoints.filter(failing_since__isnull=True).update(failing_since=now)
    paused = endpoints.filter(
        state=Endpoint.State.ACTIVE, failing_since__lte=now - PAUSE_AFTER
    ).update(state=Endpoint.State.PAUSED, paused_at=now, paused_reason="failing")
    if paused:
        endpoint = Endpoint.objects.select_related("owner").get(pk=endpoint_id)
        audit_log(
            "webhook_endpoint.paused",
            endpoint,
            actor=None,
            before={"state": Endpoint.State.ACTIVE},
            after={"state": Endpoint.State.PAUSED},
            data={"reason": "failing", "failing_since": endpoint.failing_since.isoformat()},
        )
        if endpoint.owner is not None:
            mail_person(
                endpoint.owner,
                template="webhooks/mail/paused",
                context={"endpoint": endpoint},
                kind="webhook-paused",
            )


def _send(delivery_id: int, now: dt.datetime) -> tuple[Delivery | None, Exception | None]:
    with transaction.atomic():
        claim = _claim(delivery_id, now)
        delivery = Delivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if claim is None or delivery is None:
        return delivery, None
    # No transaction is open here: a slow receiver (at most WEBHOOK_TIMEOUT per socket
    # operation) holds no lock anybody waits for.
    attempt, error = _post(delivery)
    with transaction.atomic():
        _record(delivery, claim, attempt, now)
    delivery.refresh_from_db()
    return delivery, error


def delivery_send(*, delivery_id: int, now: dt.datetime | None = None) -> Delivery | None:
    """Send one delivery if it is due and nobody else is sending it. Call it outside any
    transaction: the claim and the outcome are each committed on their own."""
    delivery, _ = _send(delivery_id, now or timezone.now())
    return delivery


def deliveries_send_due(*, now: dt.datetime | None = None) -> int:
    """Send every delivery whose time has come (retries, and those whose sender died), oldest
    first; an endpoint that cannot be reached is skipped for the rest of this sweep."""
    now = now or timezone.now()
    due = Delivery.objects.filter(_sendable(now)).order_by("pk")
    unreachable: set[int] = set()
    delivered = 0
    for delivery_id, endpoint_id in list(due.values_list("pk", "endpoint_id")):
        if endpoint_id in unreachable:
            continue
        delivery, error = _send(delivery_id, now)
        delivered += delivery is not None and delivery.status == Delivery.Status.DELIVERED
        if isinstance(error, UNREACHABLE):
            unreachable.add(endpoint_id)
    return delivered
