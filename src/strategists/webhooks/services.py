"""Every write a coordinator makes on webhooks: endpoints, pausing, test pings, redeliveries.
Each writes its audit entry in the same transaction (never the secret); deliveries leave after
commit through the outbox."""

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.common.audit import audit_log
from strategists.webhooks import outbox, transport
from strategists.webhooks.models import Delivery, Endpoint, EventType

MIN_SECRET_CHARS = 24


def secret_generate() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _clean(url: str, event_types, secret: str | None) -> tuple[str, list[str], str | None]:
    errors = {}
    url = (url or "").strip()
    problem = transport.url_problem(url) if url else _("Enter the URL deliveries go to.")
    if problem:
        errors["url"] = problem
    chosen = [value for value in EventType.values if value in set(event_types or [])]
    if not chosen or len(chosen) != len(set(event_types)):
        errors["event_types"] = _("Choose at least one of the events listed.")
    if secret is not None:
        secret = secret.strip()
        if secret and (len(secret) < MIN_SECRET_CHARS or len(secret) > 200):
            errors["secret"] = _(
                "A secret has at least %(count)d characters (and at most 200); "
                "leave it empty and one is generated."
            ) % {"count": MIN_SECRET_CHARS}
    if errors:
        raise ValidationError(errors)
    return url, chosen, secret


@transaction.atomic
def endpoint_create(
    *, by: User, url: str, event_types, description: str = "", secret: str = ""
) -> Endpoint:
    """Register an endpoint; with no secret given, one is generated (`endpoint.secret`, to show
    once)."""
    url, chosen, secret = _clean(url, event_types, secret)
    endpoint = Endpoint.objects.create(
        url=url,
        description=description.strip()[:200],
        secret=secret or secret_generate(),
        event_types=chosen,
        owner=by,
    )
    audit_log(
        "webhook_endpoint.created",
        endpoint,
        actor=by,
        data={"url": url, "events": chosen, "secret": "given" if secret else "generated"},
    )
    return endpoint


@transaction.atomic
def endpoint_update(
    *,
    endpoint: Endpoint,
    by: User,
    url: str,
    event_types,
    description: str = "",
    secret: str = "",
    new_secret: bool = False,
) -> Endpoint:
    """Change an endpoint. A secret given replaces the old one; `new_secret` generates one."""
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    url, chosen, secret = _clean(url, event_types, secret)
    before = {
        "url": endpoint.url,
        "description": endpoint.description,
        "events": endpoint.event_types,
    }
    endpoint.url, endpoint.event_types = url, chosen
    endpoint.description = description.strip()[:200]
    secret_changed = bool(secret) or new_secret
    if secret_changed:
        endpoint.secret = secret or secret_generate()
    endpoint.save()
    after = {"url": url, "description": endpoint.description, "events": chosen}
    changed = [name for name in before if before[name] != after[name]]
    audit_log(
        "webhook_endpoint.updated",
        endpoint,
        actor=by,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
        data={"secret": "replaced"} if secret_changed else None,
    )
    return endpoint


@transaction.atomic
def endpoint_pause(*, endpoint: Endpoint, by: User) -> Endpoint:
    """Stop sending: while paused no new deliveries are queued for it, and those already
    queued wait for it to resume."""
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    if endpoint.state == Endpoint.State.PAUSED:
        return endpoint
    endpoint.state = Endpoint.State.PAUSED
    endpoint.paused_at, endpoint.paused_reason = timezone.now(), "by-coordinator"
    endpoint.save()
    audit_log(
        "webhook_endpoint.paused",
        endpoint,
        actor=by,
        before={"state": Endpoint.State.ACTIVE},
        after={"state": endpoint.state},
    )
    return endpoint


@transaction.atomic
def endpoint_resume(*, endpoint: Endpoint, by: User, now: dt.datetime | None = None) -> Endpoint:
    """Send again. Deliveries still queued get a new day of retries, starting now."""
    now = now or timezone.now()
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    if endpoint.state == Endpoint.State.ACTIVE:
        return endpoint
    endpoint.state = Endpoint.State.ACTIVE
    endpoint.paused_at, endpoint.paused_reason, endpoint.failing_since = None, "", None
    endpoint.save()
    waiting = list(
        endpoint.deliveries.filter(status=Delivery.Status.QUEUED).values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=waiting).update(
        not_before=None, expires_at=now + outbox.RETRY_FOR
    )
    audit_log(
        "webhook_endpoint.resumed",
        endpoint,
        actor=by,
        before={"state": Endpoint.State.PAUSED},
        after={"state": endpoint.state},
        data={"waiting": len(waiting)},
    )
    for delivery_id in waiting:
        transaction.on_commit(lambda delivery_id=delivery_id: outbox.enqueue_send(delivery_id))
    return endpoint


@transaction.atomic
def endpoint_ping(*, endpoint: Endpoint, by: User) -> Delivery:
    """Queue a test delivery (a paused endpoint gets it too: that is how one checks it works)."""
    delivery = outbox.ping_queue(endpoint=endpoint)
    audit_log(
        "webhook_endpoint.pinged",
        endpoint,
        actor=by,
        data={"delivery": str(delivery.idempotency_key)},
    )
    return delivery


@transaction.atomic
def delivery_redeliver(*, delivery: Delivery, by: User, now: dt.datetime | None = None) -> Delivery:
    """Send a delivery again, same body and same idempotency key (a receiver that already has
    it can tell), with a new day of retries. One being sent right now is left alone."""
    now = now or timezone.now()
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if (
        delivery.status == Delivery.Status.SENDING
        and delivery.lease_until
        and (delivery.lease_until >= now)
    ):
        raise ValidationError(_("This delivery is being sent right now; try again in a minute."))
    before = delivery.status
    delivery.status = Delivery.Status.QUEUED
    delivery.not_before, delivery.expires_at = None, now + outbox.RETRY_FOR
    delivery.save(update_fields=["status", "not_before", "expires_at"])
    audit_log(
        "webhook_delivery.redelivered",
        delivery,
        actor=by,
        before={"status": before},
        after={"status": delivery.status},
        data={"endpoint": delivery.endpoint_id},
    )
    transaction.on_commit(lambda: outbox.enqueue_send(delivery.pk))
    return delivery
