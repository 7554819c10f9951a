"""A mail server that accepts connections and never answers delays mail and nothing else.

The issue's acceptance test: with Django's SMTP backend pointed at a hung server and tasks in
the database (as in production, so a request only enqueues), registrations and other writes
each finish within a second, even while a sender is stuck talking to that server; no mail is
lost; and once a working server listens on the same port, the sweep sends every message.
Every wait in here has a timeout, so a regression fails the test instead of hanging it.
"""

import io
import socket
import socketserver
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from strategists.common.mail import mail_queue, mail_send_due
from strategists.common.models import OutgoingMail
from strategists.events.models import Registration
from tests.factories import EventFactory, UserFactory

EMAIL_TIMEOUT = 3.0  # seconds: long enough that one stuck write would show, short for the suite
WAIT = 10.0  # the most any step may take before the test gives up


class HungServer:
    """Accepts TCP connections and never says a word (not even SMTP's greeting)."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.accepted = threading.Event()
        self.connections: list[socket.socket] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopping.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(connection)
            self.accepted.set()

    def stop(self):
        self.stopping.set()
        self.thread.join(WAIT)
        for connection in self.connections:
            connection.close()
        self.listener.close()


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib: greeting, EHLO, MAIL, RCPT, DATA, QUIT."""

    timeout = WAIT

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 test ESMTP")
        envelope: dict = {"to": []}
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250 test")
            elif verb == "MAIL":
                envelope = {"from": command[10:].strip("<>"), "to": []}
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["to"].append(command[8:].strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (data_line := self.rfile.readline()) not in {b".\r\n", b""}:
                    data.append(data_line.decode())
                self.server.received.append({**envelope, "data": "".join(data)})
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("250 OK")


class WorkingServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int):
        self.received: list[dict] = []
        super().__init__(("127.0.0.1", port), SMTPHandler)
        self.thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self.thread.start()

    def stop(self):
        self.shutdown()
        self.server_close()
        self.thread.join(WAIT)


@pytest.fixture
def hung_server(settings):
    server = HungServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = EMAIL_TIMEOUT
    # As in production: a request only writes a task row; the worker sends.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    yield server
    server.stop()


def sweep_in_background() -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def run():
        try:
            outcome["sent"] = mail_send_due()
        except Exception as error:  # the test asserts on it below
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def timed_post(client, url, data=None):
    start = time.monotonic()
    response = client.post(url, data or {})
    return response, time.monotonic() - start


def test_a_hung_mail_server_delays_mail_and_nothing_else(
    shared_database,
    hung_server,
    client,
    settings,
):
    from django_tasks_db.models import DBTaskResult

    event = EventFactory(capacity=20)
    members = [UserFactory(name=f"Member {i}", email=f"member{i}@example.net") for i in range(3)]
    editor = UserFactory(name="Mona", email="mona@example.net")
    # Warm up what a first request loads once (templates, URL patterns, the common-passwords
    # list), and hash passwords cheaply: the test measures waiting on the mail server, not the
    # cost of Argon2 on a busy test machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(UserFactory(email="warm-up@example.net"))
    client.post(reverse("events:register", kwargs={"pk": event.pk}))
    client.post(reverse("accounts:profile_edit"), {"name": "Warm Up", "preferred_language": "en"})
    client.logout()
    client.post(
        reverse("accounts:signup"),
        {
            "name": "Warm Up",
            "email": "warm-up-2@example.net",
            "password": "picket-line-2027!",
            "preferred_language": "en",
        },
    )
    OutgoingMail.objects.all().delete()
    DBTaskResult.objects.all().delete()
    Registration.objects.all().delete()
    earlier = mail_queue(
        to="earlier@example.net",
        template="accounts/mail/verify",
        context={"user": {"name": "Ana"}, "link": "http://x/"},
    )

    clients = {person.email: Client() for person in [*members, editor]}
    for person in [*members, editor]:
        clients[person.email].force_login(person)
    visitor = Client()

    # A sender is stuck in the SMTP conversation with the hung server (as the worker would be).
    sweep, outcome = sweep_in_background()
    assert hung_server.accepted.wait(WAIT), "the sweep never reached the mail server"

    durations = {}
    for member in members:
        response, durations[member.email] = timed_post(
            clients[member.email], reverse("events:register", kwargs={"pk": event.pk})
        )
        assert (response.status_code, response["Location"]) == (
            302,
            reverse("events:detail", kwargs={"pk": event.pk}),
        )
    response, durations["profile edit"] = timed_post(
        clients[editor.email],
        reverse("accounts:profile_edit"),
        {"name": "Mona M.", "preferred_language": "en"},
    )
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:me"))
    response, durations["sign-up"] = timed_post(
        visitor,
        reverse("accounts:signup"),
        {
            "name": "Rosa Parks-Lee",
            "email": "rosa@example.net",
            "password": "picket-line-2027!",
            "preferred_language": "en",
        },
    )
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:signup_done"))
    still_stuck = sweep.is_alive()

    sweep.join(EMAIL_TIMEOUT + WAIT)
    assert not sweep.is_alive(), "the sweep did not give up on the hung server"

    assert {name: took < 1.0 for name, took in durations.items()} == dict.fromkeys(
        durations, True
    ), durations
    assert still_stuck, "the writes were not made while a sender was stuck"
    assert sorted(
        Registration.objects.filter(event=event).values_list("person__email", "status")
    ) == [(m.email, "registered") for m in members]
    editor.refresh_from_db()
    assert editor.name == "Mona M."
    # Nothing is lost: the stuck message is queued again with a back-off, the new ones wait.
    assert outcome == {"sent": 0}
    earlier.refresh_from_db()
    assert (earlier.status, earlier.attempts, earlier.last_error) == (
        "queued",
        1,
        "SMTPServerDisconnected: Connection unexpectedly closed: timed out",
    )
    expected = sorted([*(m.email for m in members), "rosa@example.net", "earlier@example.net"])
    assert (
        sorted(OutgoingMail.objects.filter(status="queued").values_list("to", flat=True))
        == expected
    )
    # The requests only enqueued: one task per new message, none of them run.
    mail_tasks = DBTaskResult.objects.filter(
        task_path="strategists.common.tasks.send_outgoing_mail"
    )
    assert sorted((t.args_kwargs["args"][0], t.status) for t in mail_tasks) == [
        (pk, "READY") for pk in sorted(OutgoingMail.objects.values_list("pk", flat=True))
    ]

    # The mail server comes back on the same port; the next sweep sends everything.
    hung_server.stop()
    server = WorkingServer(hung_server.port)
    try:
        sent = mail_send_due(now=timezone.now() + timezone.timedelta(hours=1))
        # The worker then runs the enqueued tasks: each finds its message sent, none goes twice.
        call_command(
            "db_worker",
            queue_name="*",
            batch=True,
            no_startup_delay=True,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    finally:
        server.stop()

    assert sent == 5
    assert set(mail_tasks.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert sorted(to for message in server.received for to in message["to"]) == expected
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {"sent"}
    subjects = {m.to: m.subject for m in OutgoingMail.objects.all()}
    assert all(
        f"Subject: {subjects[message['to'][0]]}" in message["data"] for message in server.received
    )
