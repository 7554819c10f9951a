"""/healthz: what an operator's monitor asks every minute. Database, cache, a live worker and
the outbox backlog, as JSON; 503 when any of them is wrong, so a load balancer or an alert can
act on the status code alone. It shows counts and ages, never personal data."""

import datetime as dt
import os
import socket

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from strategists.common.models import OutgoingMail, WorkerHeartbeat


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@transaction.atomic
def heartbeat_beat(*, name: str, started_at: dt.datetime | None = None) -> WorkerHeartbeat:
    now = timezone.now()
    beat, _ = WorkerHeartbeat.objects.update_or_create(
        name=name,
        defaults={"last_seen": now},
        create_defaults={"last_seen": now, "started_at": started_at or now},
    )
    return beat


def heartbeat_forget(*, name: str) -> None:
    """A worker that stops on purpose says so, so it isn't reported as dead."""
    WorkerHeartbeat.objects.filter(name=name).delete()


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure is the answer here, whatever its class
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "vendor": connection.vendor}


def _check_cache() -> dict:
    key = f"healthz:{worker_name()}"
    try:
        cache.set(key, "1", 10)
        ok = cache.get(key) == "1"
    except Exception as error:  # a cache server that is down raises its own errors
        return {"ok": False, "error": type(error).__name__}
    return {"ok": ok}


def _check_worker(now: dt.datetime) -> dict:
    stale = now - dt.timedelta(seconds=settings.HEALTH_WORKER_STALE_SECONDS)
    latest = (
        WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    )
    alive = WorkerHeartbeat.objects.filter(last_seen__gte=stale).count()
    return {
        "ok": alive > 0,
        "alive": alive,
        "last_seen_seconds_ago": None if latest is None else round((now - latest).total_seconds()),
    }


def _check_outbox(now: dt.datetime) -> dict:
    old = now - dt.timedelta(seconds=settings.HEALTH_OUTBOX_MAX_AGE_SECONDS)
    queued = OutgoingMail.objects.filter(
        status__in=[OutgoingMail.Status.QUEUED, OutgoingMail.Status.SENDING]
    )
    # Waiting past its time, or claimed by a sender whose lease ran out (it died mid-send).
    late = (
        queued.filter(created_at__lt=old)
        .exclude(not_before__gt=now)
        .exclude(lease_until__gt=now)
        .count()
    )
    failed = OutgoingMail.objects.filter(status=OutgoingMail.Status.FAILED).count()
    return {
        "ok": late <= settings.HEALTH_OUTBOX_MAX_LATE,
        "queued": queued.count(),
        "late": late,
        "failed": failed,
    }


def health_report() -> dict:
    now = timezone.now()
    checks = {"database": _check_database(), "cache": _check_cache()}
    if checks["database"]["ok"]:
        checks["worker"] = _check_worker(now)
        checks["outbox"] = _check_outbox(now)
    ok = all(check["ok"] for check in checks.values())
    return {"status": "ok" if ok else "fail", "time": now.isoformat(), "checks": checks}


@never_cache
@require_safe
def healthz(request):
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
