"""A worker killed with -9 in the middle of a queue (500 mails, 20 credential tasks): another
worker finishes the queue, runs again the task the dead one left running, every mail reaches its
address and every credential is issued once.

Real processes on a scratch database (SQLite, or PostgreSQL when the suite runs on it): the
`strategists worker` command with its database task runner, killed as a machine would lose it."""

import email
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
MAILS, EARNERS, AREAS_EACH = 500, 20, 2

SETUP = """
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "strategists.settings"
import django
django.setup()
from django.utils import timezone
from strategists.common.models import OutgoingMail
from strategists.common.tasks import send_outgoing_mail
from strategists.curriculum.models import Competency, Evidence
from strategists.curriculum.tasks import issue_credentials
from tests.factories import UserFactory

competencies = list(Competency.objects.order_by("pk")[:2])
earners = []
for i in range(20):
    person = UserFactory(email=f"earner{i}@example.net", name=f"Earner {i}")
    for competency in competencies:
        Evidence.objects.create(
            person=person, competency=competency, kind=Evidence.Kind.SIGN_OFF,
            status=Evidence.Status.APPROVED, description="Shown.", reviewed_at=timezone.now(),
        )
    earners.append(person)
# The queue, in this order: a credential task after every 25 mails.
for i in range(500):
    mail = OutgoingMail.objects.create(to=f"member{i}@example.net", subject=f"Training {i}", body="See you.")
    send_outgoing_mail.enqueue(mail.pk)
    if i % 25 == 24:
        issue_credentials.enqueue(earners[i // 25].pk)
"""


def _postgres_admin_url() -> str:
    url = os.environ.get("STRATEGISTS_DATABASE_URL", "")
    return url.rsplit("/", 1)[0]


class Database:
    """The scratch database, read from this process with a plain driver."""

    def __init__(self, tmp_path: Path):
        self.postgres = os.environ.get("STRATEGISTS_DATABASE_URL", "").startswith("postgres")
        if self.postgres:
            self.name = f"strategists_kill_{os.getpid()}"
            self.admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            self.admin("CREATE DATABASE {}")
            self.url = f"{_postgres_admin_url()}/{self.name}"
        else:
            self.path = tmp_path / "kill.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def admin(self, statement: str) -> None:
        with psycopg.connect(f"{_postgres_admin_url()}/postgres", autocommit=True) as connection:
            connection.execute(statement.format(f'"{self.name}"'))

    def rows(self, sql: str) -> list[tuple]:
        if self.postgres:
            with psycopg.connect(self.url) as connection:
                return connection.execute(sql).fetchall()
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()

    def value(self, sql: str):
        return self.rows(sql)[0][0]

    def drop(self) -> None:
        if self.postgres:
            self.admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")


def deliveries(folder: Path) -> dict[str, list[str]]:
    """The Message-IDs each address received, from the file mail backend's files."""
    received = defaultdict(list)
    for path in folder.glob("*.log"):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk)
                received[message["To"]].append(message["Message-ID"])
    return received


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.fixture
def scratch(tmp_path):
    database = Database(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRATEGISTS_")}
    env.update(
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        STRATEGISTS_DATABASE_URL=database.url,
        STRATEGISTS_VAR_DIR=str(tmp_path / "var"),
        STRATEGISTS_LOG_LEVEL="CRITICAL",
        # A dead sender's mail and tasks are taken over within seconds, not minutes.
        STRATEGISTS_MAIL_LEASE_SECONDS="3",
        STRATEGISTS_WORKER_HEARTBEAT_SECONDS="1",
        STRATEGISTS_HEALTH_WORKER_STALE_SECONDS="6",
        STRATEGISTS_JOB_LEASE_SECONDS="1",
    )
    strategists = [sys.executable, "-m", "strategists"]
    for command in (["migrate", "-v0"], ["credentials-key", "--create"]):
        subprocess.run(
            [*strategists, *command], env=env, check=True, timeout=600, capture_output=True
        )
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, timeout=600, cwd=ROOT)
    try:
        yield database, env, tmp_path / "var" / "mail"
    finally:
        database.drop()


def start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "strategists", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: killed as a whole, like a machine
    )


def test_a_worker_killed_mid_queue_loses_nothing_and_sends_nothing_twice(scratch):
    database, env, mail_folder = scratch
    sent = "SELECT count(*) FROM common_outgoingmail WHERE status = 'sent'"
    first = start_worker(env)
    try:
        wait_for(lambda: database.value(sent) >= 120, 300, "the first mails")
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    left_running = {
        str(row[0]).replace("-", "")
        for row in database.rows(
            "SELECT id FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
        )
    }
    sent_at_kill = database.value(sent)
    time.sleep(7)  # the dead worker's heartbeat grows stale, its mail lease runs out

    second = start_worker(env)
    try:
        wait_for(
            lambda: (
                database.value(
                    "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = "
                    "'SUCCESSFUL' AND task_path IN ('strategists.common.tasks.send_outgoing_mail', "
                    "'strategists.curriculum.tasks.issue_credentials')"
                )
                == MAILS + EARNERS
            ),
            300,
            "the queue to be finished",
        )
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=60)

    assert sent_at_kill < MAILS  # killed mid-queue
    assert database.value(sent) == MAILS
    received = deliveries(mail_folder)
    assert sorted(received) == sorted(f"member{i}@example.net" for i in range(MAILS))
    # Each address got one message. A sender killed after the mail server took a message and
    # before recording it (the worker's sweep and its task runner: two senders) sends it again
    # after its lease, under the same Message-ID, which mail programs show once.
    assert {address: len(set(ids)) for address, ids in received.items()} == dict.fromkeys(
        received, 1
    )
    copies = sum(len(ids) for ids in received.values())
    assert MAILS <= copies <= MAILS + 2
    assert (
        database.rows(
            "SELECT person_id, competency_id, count(*) FROM curriculum_credential "
            "GROUP BY person_id, competency_id HAVING count(*) > 1"
        )
        == []
    )
    assert database.value("SELECT count(*) FROM curriculum_credential") == EARNERS * AREAS_EACH
    # The task the dead worker left running ran again, and said so in the audit log.
    requeued = {
        row[0].replace("-", "")
        for row in database.rows(
            "SELECT object_id FROM common_auditentry WHERE action = 'task.requeued'"
        )
    }
    assert requeued == left_running
