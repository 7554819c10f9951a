"""The production topology, started for real on this machine: PostgreSQL (a fresh database on the
local server), Redis (127.0.0.1:6379, database 5, flushed), `strategists serve --workers 2
--no-worker` (two web processes under gunicorn) and two `strategists worker` processes, each
worker with its own folder as if on its own machine, tasks on RQ. A member registers, the host
checks them in and completes the training, and it ends in evidence, a certification, signed
credentials and every mail sent exactly once."""

import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/5"
PASSWORD = "topology-Pass-2026"

SETUP = """
import datetime as dt, json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "strategists.settings"
import django
django.setup()
from django.utils import timezone
from strategists.accounts import services as accounts
from strategists.accounts import role_services as accounts_role_services
from strategists.accounts.models import City, Organization, SkillArea, User
from strategists.curriculum import keys, services as curriculum
from strategists.events.models import Event

password, verified = os.environ["TOPOLOGY_PASSWORD"], timezone.now()
coordinator = User.objects.create_user(email="cora@example.net", name="Cora Ortiz", password=password,
                                       is_coordinator=True, email_verified_at=verified)
host = User.objects.create_user(email="hana@example.net", name="Hana Host", password=password, email_verified_at=verified)
member = User.objects.create_user(email="ana@example.net", name="Ana Muñoz", password=password, email_verified_at=verified)
local = Organization.objects.create(name="Local 1001", slug="local-1001", type="local-union")
accounts_role_services.role_grant(user=host, role="host", organization=local, by=coordinator, reason="Chairs the committee.")
# Level 1 everywhere certifies, so one completed training that taught every area leads there.
curriculum.certificate_rule_update(by=coordinator, all_areas_level=1, advanced_level=1, advanced_areas=0,
                                   capstone_required=False)
city = City.objects.get(name="Detroit", subdivision__code="MI")
now = timezone.now().replace(microsecond=0)
event = Event.objects.create(organization=local, proposed_by=host, title="Digital organizing 101", state="approved",
                             city=city, timezone=city.timezone, starts_at=now - dt.timedelta(hours=1),
                             ends_at=now + dt.timedelta(hours=5), capacity=20, venue="Union Hall")
event.skill_areas.set(SkillArea.objects.all())
event.languages.set(["en"])
keys.current_key()
print(json.dumps({"event": event.pk, "member": member.pk, "areas": sorted(SkillArea.objects.values_list("pk", flat=True))}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_admin_url() -> str:
    url = os.environ.get("STRATEGISTS_DATABASE_URL", "")
    return (
        url.rsplit("/", 1)[0]
        if url.startswith("postgres")
        else "postgres://postgres@127.0.0.1:5432"
    )


class Browser:
    """Cookies, CSRF and redirects, like a person's browser, against the live server."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.status, response.read().decode()

    def post(self, path: str, data: dict | list) -> tuple[int, str, str]:
        """POST a form with the CSRF token; (status, final URL path, page) after redirects."""
        token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        pairs = list(data.items()) if isinstance(data, dict) else list(data)
        body = urllib.parse.urlencode([*pairs, ("csrfmiddlewaretoken", token)]).encode()
        request = urllib.request.Request(  # noqa: S310 (loopback http)
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=30) as response:
            return (
                response.status,
                urllib.parse.urlsplit(response.url).path,
                response.read().decode(),
            )

    def sign_in(self, email: str) -> str:
        self.get("/accounts/login/")
        return self.post("/accounts/login/", {"email": email, "password": PASSWORD})[1]


def _wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback http)
            return response.status == 200
    except OSError:
        return False


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_registration_check_in_and_certification_through_postgresql_redis_two_webs_two_workers(
    tmp_path,
):
    admin, database = _postgres_admin_url(), f"topology_{uuid.uuid4().hex[:10]}"
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    with psycopg.connect(f"{admin}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    base = {k: v for k, v in os.environ.items() if not k.startswith("STRATEGISTS_")}
    port = _free_port()
    shared = {  # what every machine of a deployment shares: the database, Redis, the secrets
        **base,
        "PYTHONPATH": str(ROOT / "src"),
        "TOPOLOGY_PASSWORD": PASSWORD,
        "STRATEGISTS_DATABASE_URL": f"{admin}/{database}",
        "STRATEGISTS_REDIS_URL": REDIS_URL,
        "STRATEGISTS_TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "STRATEGISTS_SECRET_KEY": secrets.token_urlsafe(50),
        "STRATEGISTS_SIGNING_KEYS_DIR": str(tmp_path / "keys"),
        "STRATEGISTS_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }

    def machine(name: str) -> dict:
        return {**shared, "STRATEGISTS_VAR_DIR": str(tmp_path / name)}

    strategists = [sys.executable, "-m", "strategists"]
    processes: list[subprocess.Popen] = []
    try:
        subprocess.run(
            [*strategists, "migrate", "-v0"], env=machine("web"), check=True, timeout=300
        )
        setup = json.loads(
            subprocess.run(
                [sys.executable, "-c", SETUP],
                env=machine("web"),
                check=True,
                timeout=120,
                capture_output=True,
                text=True,
            ).stdout
        )
        event, areas = setup["event"], setup["areas"]
        log = (tmp_path / "processes.log").open("w")
        processes.append(
            subprocess.Popen(
                [
                    *strategists,
                    "serve",
                    "--workers",
                    "2",
                    "--no-worker",
                    "--port",
                    str(port),
                    "--threads",
                    "4",
                ],
                env=machine("web"),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        for name in ("worker-1", "worker-2"):
            processes.append(
                subprocess.Popen(
                    [*strategists, "worker"],
                    env=machine(name),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        site = f"http://127.0.0.1:{port}"
        _wait_for(lambda: _answers(site + "/trainings/"), 90, "the web processes")

        # A member signs in and registers.
        member = Browser(site)
        assert member.sign_in("ana@example.net") == f"/accounts/people/{setup['member']}/"
        status, page = member.get(f"/trainings/{event}/")
        assert (status, "Digital organizing 101" in page) == (200, True)
        status, landed, page = member.post(f"/trainings/{event}/register/", {})
        assert (status, landed) == (200, f"/trainings/{event}/")
        assert "You&#x27;re registered. We sent you a confirmation." in page

        with psycopg.connect(f"{admin}/{database}", autocommit=True) as db:
            registration, reg_status, checked_in = db.execute(
                "SELECT id, status, checked_in_at FROM events_registration WHERE event_id = %s",
                [event],
            ).fetchone()
            assert (reg_status, checked_in) == ("registered", None)

            # The host checks them in and marks the training complete, every area taught.
            host = Browser(site)
            host.sign_in("hana@example.net")
            status, landed, page = host.post(f"/trainings/{event}/check-in/{registration}/", {})
            assert (status, landed, "Ana Muñoz" in page) == (
                200,
                f"/trainings/{event}/check-in/",
                True,
            )
            status, landed, page = host.post(
                f"/trainings/{event}/complete/", [("taught_areas", a) for a in areas]
            )
            assert (status, landed) == (200, f"/trainings/{event}/")
            assert "The training is complete. Attendees get credit for the areas taught." in page

            # The workers send the mail and sign the credentials.
            def done():
                queued = db.execute(
                    "SELECT count(*) FROM common_outgoingmail WHERE status <> 'sent'"
                ).fetchone()[0]
                credentials = db.execute("SELECT count(*) FROM curriculum_credential").fetchone()[0]
                return queued == 0 and credentials >= 1 + len(areas)

            _wait_for(done, 60, "the workers to send the mail and sign the credentials")
            time.sleep(2)  # anything sent twice would land by now

            assert db.execute(
                "SELECT status, checked_in_at IS NOT NULL FROM events_registration WHERE id = %s",
                [registration],
            ).fetchone() == ("registered", True)
            assert db.execute(
                "SELECT state FROM events_event WHERE id = %s", [event]
            ).fetchone() == ("completed",)
            assert db.execute(
                "SELECT count(*) FROM curriculum_evidence WHERE person_id = %s AND kind = 'attendance' "
                "AND status = 'approved'",
                [setup["member"]],
            ).fetchone() == (len(areas),)
            assert db.execute(
                "SELECT status FROM curriculum_certification WHERE person_id = %s",
                [setup["member"]],
            ).fetchall() == [("certified",)]
            assert db.execute(
                "SELECT kind, count(*) FROM curriculum_credential WHERE person_id = %s GROUP BY kind "
                "ORDER BY kind",
                [setup["member"]],
            ).fetchall() == [("area-level", len(areas)), ("certificate", 1)]
            outbox = db.execute(
                'SELECT kind, "to", attempts FROM common_outgoingmail ORDER BY id'
            ).fetchall()
            beats = db.execute("SELECT count(*) FROM common_workerheartbeat").fetchone()[0]
        # The completed training also sends its survey (surveys listens to the completion).
        assert sorted(outbox) == [
            ("certified", "ana@example.net", 1),
            ("registered", "ana@example.net", 1),
            ("survey", "ana@example.net", 1),
        ]
        # Each message left exactly once, from one worker or the other.
        sent = [
            path
            for name in ("worker-1", "worker-2")
            for path in (tmp_path / name / "mail").glob("*")
        ]
        recipients = [re.search(r"^To: (.*)$", path.read_text(), re.M).group(1) for path in sent]
        assert recipients == ["ana@example.net"] * 3
        assert beats == 2
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            health = json.loads(response.read())
        assert health["status"] == "ok"
        assert health["checks"]["worker"]["alive"] == 2
    finally:
        _stop(processes)
        store.flushdb()
        store.close()
        with psycopg.connect(f"{admin}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
