"""The audit log at scale: reading pages and exporting CSV from a large log.

    python bench/audit_log.py [--entries 200000]

It migrates a scratch SQLite database in a temporary folder, writes that many entries, then
times the coordinators' log page (the first, a filtered and the last page) and the CSV export
(`/audit/export.csv`, streamed), and prints the export's peak Python memory (tracemalloc): it
stays flat as the log grows, because entries are read in chunks and written as they go.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=200_000)
    args = parser.parse_args()
    args.entries = max(100, min(args.entries, 5_000_000))
    return args


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="audit-bench-") as folder:
        run(args, Path(folder) / "bench.sqlite3")


def run(args, database: Path) -> None:
    os.environ["STRATEGISTS_SQLITE_PATH"] = str(database)
    os.environ.pop("STRATEGISTS_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategists.settings")
    import django

    django.setup()
    from django.conf import settings

    # Pages are rendered without `collectstatic` having run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command
    from django.test import RequestFactory
    from django.utils import timezone

    from strategists.accounts.models import User
    from strategists.audit import views
    from strategists.common.models import AuditEntry

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated a scratch database in {time.perf_counter() - started:.1f} s")

    coordinator = User.objects.create_user(
        email="coordinator@example.net", name="Cora Coordinator", is_coordinator=True
    )
    started = time.perf_counter()
    now = timezone.now()
    batch = []
    for n in range(args.entries):
        batch.append(
            AuditEntry(
                actor=coordinator if n % 3 else None,
                actor_label="Cora Coordinator" if n % 3 else "",
                action=(
                    "role.granted",
                    "event.approved",
                    "registration.created",
                    "organization.updated",
                )[n % 4],
                object_type="events.event",
                object_id=str(n % 5000),
                object_label=f"Training {n % 5000}",
                data={
                    "before": {"title": f"Old title {n}"},
                    "after": {"title": f"New title {n}"},
                    "reason": "bench",
                },
                ip_hash="ab" * 16,
            )
        )
        if len(batch) == 5000:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)
    AuditEntry.objects.update(created_at=now)  # one moment: ordering falls back to the id
    AuditEntry.objects.filter(pk__lte=args.entries // 2).update(
        created_at=now - dt.timedelta(days=30)
    )
    print(f"wrote {args.entries:,} entries in {time.perf_counter() - started:.1f} s")

    factory = RequestFactory()

    def get(view, query=""):
        request = factory.get(f"/audit/{query}")
        request.user = coordinator
        return view(request)

    last_page = -(-args.entries // views.PAGE_SIZE)
    get(views.log)  # templates compiled, translations loaded
    for label, query in (
        ("first page", ""),
        (
            "filtered by action and object",
            "?action=registration.&object_type=events.event&object_id=42",
        ),
        ("filtered by date range", f"?since={(now - dt.timedelta(days=1)).date()}"),
        (f"last page ({last_page:,})", f"?page={last_page}"),
    ):
        started = time.perf_counter()
        response = get(views.log, query)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        print(f"log page, {label}: {elapsed * 1000:.0f} ms")

    def export(query="", *, trace=False):
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        lines = size = 0
        for chunk in get(views.export, query).streaming_content:
            lines += 1
            size += len(chunk)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        tracemalloc.stop()
        return lines - 1, size, elapsed, peak

    rows, size, elapsed, _ = export()
    assert rows == args.entries, rows
    print(
        f"CSV export: {rows:,} rows, {size / 1e6:.1f} MB in {elapsed:.1f} s ({rows / elapsed:,.0f} rows/s)"
    )
    # Memory, measured apart (tracing slows everything down): half the log, then all of it.
    half = export(f"?until={(now - dt.timedelta(days=2)).date()}", trace=True)
    whole = export(trace=True)
    print(
        f"CSV export, peak Python memory: {half[3] / 1e6:.1f} MB for {half[0]:,} rows, "
        f"{whole[3] / 1e6:.1f} MB for {whole[0]:,} rows"
    )


if __name__ == "__main__":
    main()
