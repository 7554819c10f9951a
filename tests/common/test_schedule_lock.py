"""Periodic jobs run once across any number of workers (processes racing for the lease, on SQLite
and on PostgreSQL), and `strategists worker` runs the task
runner the settings chose: django-rq's worker when tasks live in Redis."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import redis
from django.utils import timezone

from strategists.common.management.commands.worker import task_runner_command
from strategists.common.models import JobLock
from strategists.common.schedule import job_claim, job_release, run_due_jobs

RUNS: list[str] = []
SRC = str(Path(__file__).resolve().parents[2] / "src")
JOB = "tests.common.test_schedule_lock.count_run"
ROUNDS, WORKERS = 8, 4


def count_run() -> None:
    RUNS.append("ran")


CREATE_TABLE = """
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "strategists.settings"
import django
django.setup()
from django.db import connection
from strategists.common.models import JobLock
with connection.schema_editor() as editor:
    editor.create_model(JobLock)
"""

# One worker's scheduler, in its own process: at each round's signal it asks for that round's
# job and prints whether it got it.
RACER = """
import os, pathlib, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "strategists.settings"
import django
django.setup()
from strategists.common.schedule import job_claim
folder, name, rounds = pathlib.Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for round in range(rounds):
    (folder / f"ready-{round}-{name}").touch()
    while not (folder / f"go-{round}").exists():
        time.sleep(0.002)
    print(round, job_claim(name=f"job-{round}", holder=name, interval=60), flush=True)
"""


def _race(env: dict, folder: Path) -> dict[int, list[str]]:
    """WORKERS processes ask for the same job at the same moment, ROUNDS times; who got each."""
    subprocess.run([sys.executable, "-c", CREATE_TABLE], env=env, check=True, timeout=120)
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(folder), f"worker-{i}", str(ROUNDS)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(WORKERS)
    ]
    try:
        for round in range(ROUNDS):
            deadline = time.monotonic() + 120
            while (
                len(list(folder.glob(f"ready-{round}-*"))) < WORKERS and time.monotonic() < deadline
            ):
                time.sleep(0.005)
            (folder / f"go-{round}").touch()
        outputs = [racer.communicate(timeout=120)[0] for racer in racers]
    finally:
        for racer in racers:
            if racer.poll() is None:
                racer.kill()
    winners: dict[int, list[str]] = {round: [] for round in range(ROUNDS)}
    for i, output in enumerate(outputs):
        for line in output.splitlines():
            round, got = line.split()
            if got == "True":
                winners[int(round)].append(f"worker-{i}")
    assert [racer.returncode for racer in racers] == [0] * WORKERS
    assert sum(len(output.splitlines()) for output in outputs) == ROUNDS * WORKERS
    return winners


def _base_env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRATEGISTS_")}
    env.update(PYTHONPATH=SRC, STRATEGISTS_VAR_DIR=str(tmp_path))
    return env


def test_workers_racing_for_a_job_on_sqlite_run_it_once(tmp_path):
    env = {
        **_base_env(tmp_path),
        "STRATEGISTS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    winners = _race(env, tmp_path)

    assert [len(names) for names in winners.values()] == [1] * ROUNDS


def test_workers_racing_for_a_job_on_postgresql_run_it_once(tmp_path):
    url = os.environ.get("STRATEGISTS_DATABASE_URL", "")
    admin = (
        url.rsplit("/", 1)[0]
        if url.startswith("postgres")
        else "postgres://postgres@127.0.0.1:5432"
    )
    name = f"joblock_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{admin}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        winners = _race(
            {**_base_env(tmp_path), "STRATEGISTS_DATABASE_URL": f"{admin}/{name}"}, tmp_path
        )
    finally:
        with psycopg.connect(f"{admin}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    assert [len(names) for names in winners.values()] == [1] * ROUNDS


def test_a_job_is_not_due_again_before_its_interval(db):
    RUNS.clear()

    first = run_due_jobs(holder="worker-a", jobs=[(60, JOB)])
    second = run_due_jobs(holder="worker-b", jobs=[(60, JOB)])

    lock = JobLock.objects.get(name=JOB)
    assert (first, second, RUNS) == ([JOB], [], ["ran"])
    assert (lock.holder, lock.last_finished_at is not None) == ("worker-a", True)
    # Free again one interval after it started, whatever the lease was while it ran.
    assert round((lock.locked_until - lock.last_started_at).total_seconds()) == 60


def test_a_dead_workers_lease_runs_out_and_another_takes_the_job(db, settings):
    settings.JOB_LEASE_SECONDS = 600
    assert job_claim(name=JOB, holder="dead-worker", interval=60)
    assert not job_claim(name=JOB, holder="worker-b", interval=60)

    JobLock.objects.filter(name=JOB).update(
        locked_until=timezone.now() - timezone.timedelta(seconds=1)
    )

    assert job_claim(name=JOB, holder="worker-b", interval=60)
    # The dead worker coming back to life releases nothing: the lease is no longer its own.
    assert not job_release(name=JOB, holder="dead-worker", interval=60)
    assert JobLock.objects.get(name=JOB).holder == "worker-b"


def test_the_worker_runs_the_database_task_runner_by_default():
    assert task_runner_command()[3:] == ["db_worker", "--queue-name", "*", "--no-reload"]
    assert task_runner_command(once=True)[-1] == "--batch"


def test_the_worker_runs_the_rq_worker_when_tasks_live_in_redis(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6379/6"}}

    assert task_runner_command()[3:] == [
        "rqworker",
        "default",
        "--job-class",
        "django_tasks_rq.Job",
        "--with-scheduler",
    ]
    assert task_runner_command(once=True)[-1] == "--burst"


QUEUE_MAIL = """
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "strategists.settings"
import django
django.setup()
from strategists.common.models import OutgoingMail
from strategists.common.tasks import send_outgoing_mail
mail = OutgoingMail.objects.create(to="ana@example.net", subject="Hello", body="From the queue.")
print(send_outgoing_mail.enqueue(mail.pk).id)
"""


def test_with_the_rq_backend_tasks_go_through_redis_and_the_worker_runs_them(tmp_path):
    redis_url = "redis://127.0.0.1:6379/6"
    store = redis.Redis.from_url(redis_url)
    store.flushdb()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRATEGISTS_")}
    env.update(
        PYTHONPATH=SRC,
        STRATEGISTS_VAR_DIR=str(tmp_path),
        STRATEGISTS_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STRATEGISTS_REDIS_URL=redis_url,
        STRATEGISTS_TASKS_BACKEND="django_tasks_rq.RQBackend",
    )
    strategists = [sys.executable, "-m", "strategists"]
    try:
        subprocess.run([*strategists, "migrate", "-v0"], env=env, check=True, timeout=300)
        queued = subprocess.run(
            [sys.executable, "-c", QUEUE_MAIL],
            env=env,
            check=True,
            timeout=120,
            capture_output=True,
            text=True,
        )
        job = f"rq:job:{queued.stdout.strip()}"
        waiting = (store.lrange("rq:queue:default", 0, -1), store.hget(job, "status"))

        subprocess.run(
            [*strategists, "worker", "--once"],
            env=env,
            check=True,
            timeout=120,
            capture_output=True,
        )

        sent = list((tmp_path / "mail").iterdir())
        assert waiting == ([queued.stdout.strip().encode()], b"queued")
        assert store.hget(job, "status") == b"finished"
        assert len(sent) == 1
        assert "To: ana@example.net" in sent[0].read_text()
    finally:
        store.flushdb()
        store.close()
