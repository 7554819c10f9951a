"""The audit log: every state-changing service records who did what, in its own transaction.

Services call `audit_log(...)` inside their `@transaction.atomic` body. The actor defaults to
the person making the current request and the IP is taken from it (set by
`AuditContextMiddleware`), so services need not thread the request through; background jobs and
commands log with no actor ("system"). IPs are kept only as a keyed hash: enough to see that two
actions came from one place, not to find where that place is.
"""

import contextvars
import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db import models

from strategists.common.models import AuditEntry

_current_request: contextvars.ContextVar = contextvars.ContextVar("audit_request", default=None)

# A before/after value longer than this is cut: the log says what changed, not the whole text.
MAX_VALUE_CHARS = 300


def ip_hash(ip: str) -> str:
    if not ip:
        return ""
    digest = hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def client_ip(request) -> str:
    if request is None:
        return ""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _short(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)[:MAX_VALUE_CHARS]
    if isinstance(value, dict):
        return {str(k): _short(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_short(v) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def object_type_of(obj) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}" if obj is not None else ""


def audit_log(
    action: str,
    obj=None,
    *,
    actor=None,
    before: dict | None = None,
    after: dict | None = None,
    data: dict | None = None,
    request=None,
) -> AuditEntry:
    """Record one change. `action` is `<thing>.<verb>` (`event.approved`, `role.granted`)."""
    request = request or _current_request.get()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    details: dict = dict(_short(data or {}))
    if before is not None:
        details["before"] = _short(before)
    if after is not None:
        details["after"] = _short(after)
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=(str(actor) if actor is not None else "")[:200],
        action=action,
        object_type=object_type_of(obj),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=(str(obj) if obj is not None else "")[:200],
        data=details,
        ip_hash=ip_hash(client_ip(request)),
    )


def changes(instance, fields, old: dict) -> tuple[dict, dict]:
    """The before/after pair of the fields that changed, given the old values."""
    before, after = {}, {}
    for name in fields:
        new = getattr(instance, name)
        if old.get(name) != new:
            before[name], after[name] = old.get(name), new
    return before, after


def snapshot(instance, fields) -> dict:
    return {name: getattr(instance, name) for name in fields}


class AuditContextMiddleware:
    """Makes the current request known to `audit_log` for the length of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
