"""Public pages against a bare Django view, under the production server, in one run.

    python bench/pages.py [--duration 10] [--connections 20] [--workers 2] [--threads 8]
                          [--database-url postgres://postgres@127.0.0.1:5432/strategists_pages_PID]
                          [--redis-url redis://127.0.0.1:6379/7 | --redis-url ''] [--keep] [--strict]

It creates a scratch database, loads the demo program into it (`strategists demo`), and starts
`strategists serve --workers 2 --no-worker` (gunicorn, two processes; cache on Redis when it
answers) on 127.0.0.1 with one extra URL, /bench/bare/: a Django view that returns "ok" through
the same middleware. Then it loads, one after the other, the bare view and the public pages an
anonymous visitor sees (an upcoming training's page, the trainings list, the home page, the
progress page), each for the same time with the same connections (wrk when installed, else a
threaded Python client), and prints requests/s, p50, p99 and the ratio to the bare view.

Target (issue 16): each page at >= 0.5x the bare view and p99 < 50 ms. --strict exits 1 below it.
Loopback only, bounded in time; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
TARGET_RATIO, TARGET_P99_MS = 0.5, 50.0

if __name__ != "__main__":
    # Imported by the server as its settings module (DJANGO_SETTINGS_MODULE=pages): the
    # platform's settings and URLs, plus the bare view.
    from strategists.settings import *  # noqa: F403

    ROOT_URLCONF = __name__

    def bare(request):
        from django.http import HttpResponse

        return HttpResponse("ok", content_type="text/plain")

    def __getattr__(name):
        # The URLconf is read only once the apps are loaded, long after this module.
        if name in {"urlpatterns", "handler404", "handler500"}:
            from django.urls import path

            from strategists import urls

            if name == "urlpatterns":
                return [path("bench/bare/", bare), *urls.urlpatterns]
            return getattr(urls, name)
        raise AttributeError(name)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=f"postgres://postgres@127.0.0.1:5432/strategists_pages_{os.getpid()}",
        help="A scratch PostgreSQL database: dropped and created again (default: one per run), "
        "or sqlite:///PATH.",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/7",
        help="Cache on this Redis database (flushed); '' for the local-memory cache.",
    )
    parser.add_argument("--duration", type=float, default=10, help="Seconds of load per page.")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="Web processes (gunicorn).")
    parser.add_argument("--threads", type=int, default=8, help="Threads per web process.")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database.")
    parser.add_argument(
        "--strict", action="store_true", help="Exit 1 when a page misses the target."
    )
    args = parser.parse_args()
    args.duration = max(1.0, min(args.duration, 60.0))
    args.connections = max(1, min(args.connections, 256))
    args.workers = max(2, min(args.workers, 16))
    return args


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_answers(url: str) -> bool:
    if not url:
        return False
    host, port = re.match(r"redis://(?:[^@]*@)?([^:/]+):?(\d+)?", url).groups()
    try:
        with socket.create_connection((host, int(port or 6379)), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_flush(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


def postgres(url: str, statement: str) -> None:
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(statement)


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback http)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:  # not listening yet
        return 0, ""


# --- load ------------------------------------------------------------------------------------


def wrk(url: str, duration: float, connections: int) -> dict:
    threads = max(1, min(2, connections))
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration:.0f}s",
            "--latency",
            "--timeout",
            "10s",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    ).stdout

    def latency(percentile: str) -> float:
        value, unit = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
    }


def python_load(url: str, duration: float, connections: int) -> dict:
    """Keep-alive connections, one thread each, as many requests as they can for `duration`."""
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    stop_at = time.monotonic() + duration

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", target)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    errors[index] += 1
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                continue
            latencies[index].append((time.perf_counter() - started) * 1000)
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    every = sorted(value for values in latencies for value in values)
    if not every:
        return {"rps": 0.0, "p50": float("nan"), "p99": float("nan"), "errors": sum(errors)}
    return {
        "rps": len(every) / elapsed,
        "p50": statistics.median(every),
        "p99": every[min(len(every) - 1, int(len(every) * 0.99))],
        "errors": sum(errors),
    }


# --- the run ---------------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    redis_url = args.redis_url if redis_answers(args.redis_url) else ""
    var = Path(tempfile.mkdtemp(prefix="strategists-pages-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRATEGISTS_")}
    env.update(
        PYTHONPATH=os.pathsep.join([str(BENCH), str(ROOT / "src")]),
        STRATEGISTS_VAR_DIR=str(var),
        STRATEGISTS_DATABASE_URL=args.database_url,
        STRATEGISTS_LOG_LEVEL="ERROR",
    )
    if redis_url:
        env["STRATEGISTS_REDIS_URL"] = redis_url
        redis_flush(redis_url)
    is_postgres = args.database_url.startswith("postgres")
    database = args.database_url.rsplit("/", 1)[1]
    if is_postgres:
        postgres(args.database_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        postgres(args.database_url, f'CREATE DATABASE "{database}"')
    strategists = [sys.executable, "-m", "strategists"]
    server = None
    try:
        started = time.monotonic()
        subprocess.run(
            [*strategists, "demo"], env=env, check=True, stdout=subprocess.DEVNULL, timeout=1800
        )
        print(
            f"demo data loaded in {time.monotonic() - started:.0f}s "
            f"({'PostgreSQL' if is_postgres else 'SQLite'}, cache: {'Redis' if redis_url else 'local memory'})"
        )
        port = free_port()
        server = subprocess.Popen(
            [
                *strategists,
                "serve",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--no-worker",
                "--port",
                str(port),
            ],
            env={**env, "DJANGO_SETTINGS_MODULE": "pages"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while get(base + "/bench/bare/")[0] != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(1)
        status, listing = get(base + "/trainings/")
        event = re.search(r'href="/trainings/(\d+)/"', listing)
        if event is None:
            raise SystemExit("no training on the list page")
        pages = [
            ("bare Django view", "/bench/bare/"),
            ("event page", f"/trainings/{event.group(1)}/"),
            ("trainings list", "/trainings/"),
            ("home", "/"),
            ("progress", "/progress/"),
        ]
        for name, path in pages:
            status, _ = get(base + path)
            if status != 200:
                raise SystemExit(f"{name} {path} answered {status}")
            get(base + path)  # warm each process's caches once, as a running site would be

        load = wrk if client == "wrk" else python_load
        print(
            f"{args.workers} gunicorn processes x {args.threads} threads; {client}, {args.connections} "
            f"connections, {args.duration:.0f}s per page, anonymous\n"
        )
        print(
            f"{'page':<18} {'path':<16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'x bare':>7} {'errors':>6}  target"
        )
        results, ok = {}, True
        for name, path in pages:
            result = load(base + path, args.duration, args.connections)
            results[name] = result
            ratio = result["rps"] / results["bare Django view"]["rps"]
            meets = name == "bare Django view" or (
                ratio >= TARGET_RATIO and result["p99"] < TARGET_P99_MS
            )
            ok &= meets
            print(
                f"{name:<18} {path:<16} {result['rps']:>8.0f} {result['p50']:>8.1f} {result['p99']:>8.1f} "
                f"{ratio:>6.2f}x {result['errors']:>6}  {'' if name == 'bare Django view' else 'met' if meets else 'missed'}",
                flush=True,
            )
        print(
            f"\ntarget: >= {TARGET_RATIO}x the bare view and p99 < {TARGET_P99_MS:.0f} ms for every page: "
            f"{'met' if ok else 'missed'}"
        )
        return 1 if args.strict and not ok else 0
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
        if redis_url:
            redis_flush(redis_url)
        if is_postgres and not args.keep:
            postgres(args.database_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
