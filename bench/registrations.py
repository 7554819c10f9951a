"""Registrations per second through the whole HTTP stack, on PostgreSQL, with concurrent clients.

    python bench/registrations.py [--requests 3000] [--concurrency 32] [--events 10] [--capacity 100]
                                  [--server-threads 8] [--time-limit 120] [--tasks db|dummy]
                                  [--database-url postgres://postgres@127.0.0.1:5432/strategists_bench]

It creates a scratch database (dropped at the end unless --keep), migrates it, creates events
and an API token, starts the real server (`strategists serve --no-worker`: waitress) on
127.0.0.1, and fires registration POSTs at the events' record_attendance_helper from a pool of
client threads, each a new person. More people than seats, so the waitlist is exercised too.
Then it checks the database: nobody registered beyond capacity, nobody twice.

Mail is rendered and queued in the database as in production (that is part of every
registration); with --tasks dummy (the default) the task that would send it after commit is
dropped instead of queued for the worker.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TASK_BACKENDS = {
    "dummy": "django_tasks.backends.dummy.DummyBackend",
    "db": "django_tasks_db.DatabaseBackend",
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=f"postgres://postgres@127.0.0.1:5432/strategists_bench_{os.getpid()}",
        help="A scratch database: it is dropped and created again (default: one per run).",
    )
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--events", type=int, default=10)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument(
        "--servers",
        type=int,
        default=os.cpu_count() or 1,
        help="Server processes (one per CPU by default: one Python process uses one core).",
    )
    parser.add_argument("--server-threads", type=int, default=8, help="Threads per server process.")
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="First port; servers listen on consecutive ones (default: free ports).",
    )
    parser.add_argument(
        "--time-limit", type=float, default=120, help="Seconds; requests stop being sent after."
    )
    parser.add_argument("--tasks", choices=sorted(TASK_BACKENDS), default="dummy")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database.")
    args = parser.parse_args()
    args.requests = max(1, min(args.requests, 20_000))
    args.concurrency = max(1, min(args.concurrency, 256))
    args.servers = max(1, min(args.servers, 16))
    return args


def recreate_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum() or name in {"postgres", "template0", "template1"}:
        sys.exit(f"Refusing to recreate the database {name!r}: use a scratch name.")
    admin = urllib.parse.urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    admin = urllib.parse.urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def setup_data(args) -> tuple[list[int], str]:
    """Events with `capacity` seats and a token, as a sign-up form elsewhere would hold."""
    import datetime as dt

    from django.utils import timezone

    from strategists.accounts.models import City, Organization, User
    from strategists.api.services import api_token_create
    from strategists.events.models import Event

    city = City.objects.filter(name="Detroit", subdivision_id="MI").order_by("-population").first()
    organization = Organization.objects.create(
        name="Bench Local", slug="bench-local", type="local-union", city=city
    )
    starts = timezone.now() + dt.timedelta(days=30)
    events = [
        Event.objects.create(
            organization=organization,
            title=f"Bench training {n}",
            state=Event.State.APPROVED,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=6),
            timezone=city.timezone,
            city=city,
            capacity=args.capacity,
        )
        for n in range(args.events)
    ]
    form = User.objects.create_user(email="signup-form@example.org", name="Sign-up form")
    return [event.pk for event in events], api_token_create(user=form)[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux), to tell cost from a busy machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for each in sockets:
        each.bind(("127.0.0.1", 0))
    ports = [each.getsockname()[1] for each in sockets]
    for each in sockets:
        each.close()
    return ports


def start_server(args, env, port: int, log: Path) -> subprocess.Popen:
    # The server's output goes to a file: a pipe nobody reads would fill up and stall it.
    with log.open("wb") as output:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "strategists",
                "serve",
                "--no-worker",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--threads",
                str(args.server_threads),
            ],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"The server stopped: {log.read_text()[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v2/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("The server didn't start within 60 s.")


class Client(threading.local):
    """One keep-alive connection per client thread, to one of the servers."""

    counter = iter(range(1_000_000))

    def __init__(self, ports):
        self.port = ports[next(self.counter) % len(ports)]
        self.connection = None

    def post(self, path: str, body: bytes, headers: dict) -> tuple[int, dict]:
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.connection.request("POST", path, body, headers)
                response = self.connection.getresponse()
                return response.status, json.loads(response.read() or b"{}")
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def fire(
    args, ports: list[int], event_ids: list[int], token: str
) -> tuple[list[tuple[int, float, str]], float]:
    client = Client(ports)
    headers = {"Content-Type": "application/json", "OSDI-API-Token": token}
    stop_at = time.monotonic() + args.time_limit

    def one(n: int):
        if time.monotonic() > stop_at:
            return None
        event_id = event_ids[n % len(event_ids)]
        body = json.dumps(
            {
                "person": {
                    "given_name": "Bench",
                    "family_name": f"Person {n}",
                    "email_addresses": [{"address": f"bench{n}@example.org"}],
                }
            }
        ).encode()
        started = time.perf_counter()
        try:
            status, answer = client.post(f"/api/v2/events/{event_id}/attendances", body, headers)
        except (OSError, http.client.HTTPException) as error:
            return 0, time.perf_counter() - started, str(error)
        return status, time.perf_counter() - started, answer.get("status", answer.get("error", ""))

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        results = [result for result in pool.map(one, range(args.requests)) if result is not None]
    return results, time.perf_counter() - started


def verify(event_ids: list[int]) -> dict:
    from django.db.models import Count, Q

    from strategists.events.models import Event, Registration

    events = Event.objects.filter(pk__in=event_ids).annotate(
        registered=Count(
            "registrations", filter=Q(registrations__status__in=["registered", "offered"])
        ),
        waitlisted=Count("registrations", filter=Q(registrations__status="waitlisted")),
    )
    duplicates = (
        Registration.objects.filter(event_id__in=event_ids)
        .values("event_id", "person_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "registered": sum(event.registered for event in events),
        "waitlisted": sum(event.waitlisted for event in events),
        "oversold": sum(max(0, event.registered - event.capacity) for event in events),
        "duplicates": duplicates,
    }


def main() -> None:
    args = parse_args()
    var_dir = tempfile.mkdtemp(prefix="strategists-bench-")
    env = {
        **os.environ,
        "STRATEGISTS_DATABASE_URL": args.database_url,
        "STRATEGISTS_VAR_DIR": var_dir,
        "STRATEGISTS_TASKS_BACKEND": TASK_BACKENDS[args.tasks],
        "STRATEGISTS_SECRET_KEY": "bench-only-secret",
        # One sign-up form's token sends every request: lift the per-token API limit.
        "STRATEGISTS_RATELIMITS": '{"api": {"user": "1000000/h"}}',
        "DJANGO_SETTINGS_MODULE": "strategists.settings",
        "PYTHONPATH": str(ROOT / "src"),
    }
    os.environ.update(env)
    load_before = f"{os.getloadavg()[0]:.1f}"
    recreate_database(args.database_url)
    servers = []
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", interactive=False, verbosity=0)
        event_ids, token = setup_data(args)
        ports = (
            [args.port + n for n in range(args.servers)] if args.port else free_ports(args.servers)
        )
        # One after the other: each runs migrate and collectstatic as it starts.
        servers = [
            start_server(args, env, port, Path(var_dir) / f"server-{port}.log") for port in ports
        ]
        cpu_before = sum(cpu_seconds(server.pid) for server in servers)
        client_before = cpu_seconds(os.getpid())
        results, elapsed = fire(args, ports, event_ids, token)
        server_cpu = sum(cpu_seconds(server.pid) for server in servers) - cpu_before
        client_cpu = cpu_seconds(os.getpid()) - client_before
        checked = verify(event_ids)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(args.database_url)

    # 202: the answer a sign-up form's token gets (it may not see who registered).
    ok = [latency for status, latency, _ in results if status in (200, 201, 202)]
    errors = [(status, detail) for status, _, detail in results if status not in (200, 201, 202)]
    latencies = sorted(ok) or [0.0]
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    print(
        f"registrations through HTTP on PostgreSQL: {len(results)} requests, {args.concurrency} concurrent clients, "
        f"{args.servers} server processes x {args.server_threads} threads, {args.events} events x {args.capacity} seats, "
        f"{os.cpu_count()} CPUs; mail queued in the database, send task: {args.tasks} "
        f"({TASK_BACKENDS[args.tasks]})"
    )
    print(
        f"  {len(ok) / elapsed:.0f} registrations/s ({len(ok)} in {elapsed:.1f} s), "
        f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"errors {len(errors)}"
    )
    per_registration = server_cpu / max(1, len(ok))
    print(
        f"  server CPU {per_registration * 1000:.1f} ms per registration (about {1 / per_registration:.0f}/s "
        f"per core the server gets); client CPU {client_cpu / max(1, len(ok)) * 1000:.1f} ms per registration "
        f"(it shares the machine); load average before/after: {load_before} / {os.getloadavg()[0]:.1f}"
    )
    print(
        f"  registered {checked['registered']}, waitlisted {checked['waitlisted']}, "
        f"oversold {checked['oversold']}, duplicates {checked['duplicates']}"
    )
    if errors:
        print(f"  first errors: {errors[:3]}")
    if checked["oversold"] or checked["duplicates"] or errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
