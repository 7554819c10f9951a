"""`strategists serve --workers 2` serves pages from several processes, and SIGTERM ends every
process it started: the web processes and the background worker."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_serve_with_two_workers_answers_and_sigterm_leaves_nothing_behind(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRATEGISTS_")}
    env.update(
        STRATEGISTS_VAR_DIR=str(tmp_path),
        STRATEGISTS_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "strategists", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline, status = time.monotonic() + 180, None
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/trainings/", timeout=5
                ) as response:
                    status = response.status
            except OSError:
                time.sleep(1)
        started = _descendants(server.pid)

        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        time.sleep(1)

        assert status == 200
        assert (
            len(started) >= 4
        )  # gunicorn's master, two web processes, the worker (and its task runner)
        assert [pid for pid in started if _alive(pid)] == []
    finally:
        if server.poll() is None:
            server.kill()
