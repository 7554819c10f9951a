"""Webhook deliveries per second to a local receiver, and what queueing adds to a change.

    python bench/webhooks.py [--deliveries 500] [--senders 4] [--database-url URL]

On a scratch database (SQLite in a temporary folder unless --database-url names one, which is
migrated and left in place): registers one endpoint pointing at a receiver on 127.0.0.1 (a
thread answering 200), queues --deliveries test pings, and sends them with --senders concurrent
sweeps (each delivery claimed once: the receiver counts duplicates). Then it times
`deliveries_queue` for a registration-shaped change with no listening endpoint and with three.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deliveries", type=int, default=500)
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="webhooks-bench-")
    os.environ["STRATEGISTS_DATABASE_URL"] = (
        args.database_url or f"sqlite:///{scratch}/bench.sqlite3"
    )
    os.environ["STRATEGISTS_WEBHOOKS_ALLOW_LOCAL"] = "1"
    os.environ["STRATEGISTS_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ["STRATEGISTS_VAR_DIR"] = scratch
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategists.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections, transaction

    from strategists.accounts.models import User
    from strategists.webhooks import outbox, services
    from strategists.webhooks.models import Delivery, EventType

    call_command("migrate", verbosity=0)
    seen: dict[str, int] = {}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lock:
                key = self.headers["Idempotency-Key"]
                seen[key] = seen.get(key, 0) + 1
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *a):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/hook"
    coordinator, _ = User.objects.get_or_create(
        email="bench-coordinator@example.net", defaults={"name": "Bench", "is_coordinator": True}
    )
    endpoint = services.endpoint_create(
        by=coordinator, url=url, event_types=[EventType.REGISTRATION_CREATED]
    )
    with transaction.atomic():
        for _ in range(args.deliveries):
            outbox.ping_queue(endpoint=endpoint)

    def sweep():
        try:
            outbox.deliveries_send_due()
        finally:
            connections.close_all()

    started = time.monotonic()
    threads = [threading.Thread(target=sweep) for _ in range(args.senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    delivered = Delivery.objects.filter(endpoint=endpoint, status="delivered").count()
    duplicates = sum(count - 1 for count in seen.values())
    print(
        f"sent {delivered}/{args.deliveries} deliveries with {args.senders} senders in "
        f"{elapsed:.2f}s: {delivered / elapsed:.0f}/s; duplicates at the receiver: {duplicates}"
    )

    def queue_cost(listening: int, rounds: int = 200) -> float:
        from strategists.webhooks.models import Endpoint

        Endpoint.objects.update(state="paused")
        for n in range(listening):
            services.endpoint_create(
                by=coordinator, url=f"{url}{n}", event_types=[EventType.REGISTRATION_CREATED]
            )
        resource = ("osdi:attendance", {"identifiers": ["strategists:1"], "status": "accepted"})
        times = []
        for _ in range(rounds):
            with transaction.atomic():
                t = time.perf_counter()
                outbox.deliveries_queue(
                    event_type=EventType.REGISTRATION_CREATED, build=lambda: resource
                )
                times.append((time.perf_counter() - t) * 1000)
                transaction.set_rollback(True)
        return statistics.median(times)

    print(f"queueing a change, no endpoint listening: {queue_cost(0):.2f} ms (median)")
    print(f"queueing a change, 3 endpoints listening: {queue_cost(3):.2f} ms (median)")
    server.shutdown()


if __name__ == "__main__":
    main()
