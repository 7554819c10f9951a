"""Texts: a number with the person's own consent, the reminder and waitlist offers also by text
to those who agreed (and only them), STOP from the provider, the file and HTTP backends."""

import datetime as dt
import http.server
import threading
import urllib.parse

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from strategists.common.models import AuditEntry
from strategists.events.models import Event, Registration
from strategists.events.registration_services import registration_cancel, reminders_send_due
from strategists.messaging.models import OutgoingText
from strategists.messaging.texting import text_send
from tests.factories import EventFactory, UserFactory
from tests.messaging.conftest import register, sign

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def consenting(email="texter@example.org", phone="+13135550100", **extra):
    return UserFactory(email=email, phone_number=phone, sms_consent_at=NOW, **extra)


def test_the_day_before_reminder_goes_by_text_only_to_those_who_agreed(
    sms_folder, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Lists & texts")
    Event.objects.filter(pk=event.pk).update(reminder_due_at=NOW - dt.timedelta(minutes=1))
    texter = consenting()
    register(event, texter)
    register(event, UserFactory(email="quiet@example.org", phone_number="+13135550111"))
    register(event, UserFactory(email="plain@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send_due() == 3
    [text] = OutgoingText.objects.all()
    assert (text.to, text.kind, text.status, text.person) == (
        "+13135550100",
        "reminder-text",
        OutgoingText.Status.SENT,
        texter,
    )
    assert text.body.startswith("1000 Strategists: see you tomorrow at “Lists & texts”")
    assert "/trainings/registration/" in text.body
    assert text.body.endswith("Reply STOP to stop texts.")
    [written] = sms_folder.iterdir()
    assert written.read_text() == f"To: +13135550100\nFrom: 1000 Strategists\n\n{text.body}\n"


def test_a_waitlist_offer_goes_by_text_in_the_persons_language(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1, title="Sécurité")
    holder = UserFactory()
    seat = register(event, holder)
    texter = consenting(preferred_language="fr")
    register(event, texter, Registration.Status.WAITLISTED, waitlisted_at=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=seat)
    [text] = OutgoingText.objects.all()
    assert text.kind == "waitlist-offer-text"
    assert text.status == OutgoingText.Status.SENT
    assert "Sécurité" in text.body


def test_no_text_without_consent_even_with_a_number():
    event = EventFactory(capacity=1)
    seat = register(event, UserFactory())
    register(
        event,
        UserFactory(phone_number="+13135550100"),
        Registration.Status.WAITLISTED,
        waitlisted_at=NOW,
    )
    registration_cancel(registration=seat)
    assert OutgoingText.objects.count() == 0


def test_a_text_queued_before_a_stop_is_not_sent(sms_folder):
    texter = consenting()
    text = OutgoingText.objects.create(person=texter, to=texter.phone_number, body="Hi")
    texter.sms_consent_at = None
    texter.save()
    assert text_send(text_id=text.pk).status == OutgoingText.Status.WITHDRAWN
    assert not sms_folder.exists()


def inbound(client, params, secret=None):
    """The provider's POST: no session, no CSRF token, its signature in a header."""
    url = "http://127.0.0.1:8000" + reverse("messaging:sms_inbound")
    signature = sign(url, params) if secret is None else sign(url, params, secret)
    return Client(enforce_csrf_checks=True).post(
        reverse("messaging:sms_inbound"), params, HTTP_X_TWILIO_SIGNATURE=signature
    )


@pytest.mark.parametrize("word", ["STOP", " stop ", "Arrêt", "ALTO", "baja"])
def test_stop_withdraws_consent(client, word):
    texter = consenting(phone="+13135550100")
    response = inbound(client, {"From": "+1 (313) 555-0100", "Body": word, "To": "+15550000"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml"
    texter.refresh_from_db()
    assert texter.sms_consent_at is None
    entry = AuditEntry.objects.get(action="sms.stopped")
    assert entry.object_id == str(texter.pk)


def test_other_replies_change_nothing(client):
    texter = consenting()
    assert inbound(client, {"From": "+13135550100", "Body": "stop by at 5?"}).status_code == 200
    texter.refresh_from_db()
    assert texter.sms_consent_at is not None


def test_a_forged_stop_is_refused(client):
    texter = consenting()
    response = inbound(client, {"From": "+13135550100", "Body": "STOP"}, secret="guess")
    assert response.status_code == 403
    texter.refresh_from_db()
    assert texter.sms_consent_at is not None


def test_without_a_secret_the_webhook_is_off(client, settings):
    settings.SMS_WEBHOOK_SECRET = ""
    assert inbound(client, {"From": "+13135550100", "Body": "STOP"}, secret="").status_code == 404


def test_the_webhook_is_rate_limited(client, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "sms_inbound": {"ip": "2/m"}}
    statuses = [inbound(client, {"From": "+1", "Body": "hi"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


class Receiver(http.server.BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        Receiver.received.append((self.headers["Authorization"], form))
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"sid": "SM123"}')

    def log_message(self, *args):
        pass


def test_the_http_backend_posts_to_the_provider(settings):
    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "strategists.messaging.sms_backends.HttpBackend"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{server.server_port}/Messages.json"
    settings.SMS_HTTP_USER, settings.SMS_HTTP_PASSWORD = "AC1", "secret"
    settings.SMS_FROM = "+15550000"
    texter = consenting()
    text = OutgoingText.objects.create(person=texter, to=texter.phone_number, body="Hi")
    Receiver.received = []
    try:
        text = text_send(text_id=text.pk)
    finally:
        thread.join(5)
        server.server_close()
    assert (text.status, text.provider_id) == (OutgoingText.Status.SENT, "SM123")
    [(auth, form)] = Receiver.received
    assert auth == "Basic QUMxOnNlY3JldA=="
    assert form == {"To": ["+13135550100"], "From": ["+15550000"], "Body": ["Hi"]}


def test_a_provider_that_is_down_keeps_the_text_for_a_retry(settings):
    settings.SMS_BACKEND = "strategists.messaging.sms_backends.HttpBackend"
    settings.SMS_HTTP_URL = "http://127.0.0.1:9/unreachable"
    texter = consenting()
    text = OutgoingText.objects.create(person=texter, to=texter.phone_number, body="Hi")
    text = text_send(text_id=text.pk)
    assert (text.status, text.attempts) == (OutgoingText.Status.QUEUED, 1)
    assert text.not_before is not None
    assert text.last_error


# The preferences page: a number only with the person's own consent -------------------------


def test_a_person_gives_a_number_and_consent(client_for, world):
    client = client_for("member")
    response = client.post(
        reverse("messaging:phone"), {"phone_number": "(313) 555-0100", "consent": "on"}
    )
    assert response.status_code == 302
    world.member.refresh_from_db()
    assert world.member.phone_number == "+13135550100"
    assert world.member.sms_consent_at is not None
    assert AuditEntry.objects.filter(action="sms.consent_given", actor=world.member).count() == 1
    page = client.get(reverse("messaging:preferences")).content.decode()
    assert "+1•••0100" in page


def test_a_person_removes_their_number(client_for, world):
    world.member.phone_number, world.member.sms_consent_at = "+13135550100", NOW
    world.member.save()
    response = client_for("member").post(reverse("messaging:phone"), {"remove": "1"})
    assert response.status_code == 302
    world.member.refresh_from_db()
    assert (world.member.phone_number, world.member.sms_consent_at) == ("", None)
    assert AuditEntry.objects.filter(action="sms.consent_withdrawn").count() == 1
