"""Messaging tests: texts go to a temporary folder, and the STOP webhook has a known secret."""

import base64
import hashlib
import hmac

import pytest
from django.utils import timezone

from strategists.events.models import Registration
from tests.factories import EventFactory, UserFactory

WEBHOOK_SECRET = "test-webhook-secret"


@pytest.fixture(autouse=True)
def sms_folder(settings, tmp_path):
    settings.SMS_FILE_PATH = tmp_path / "sms"
    settings.SMS_BACKEND = "strategists.messaging.sms_backends.FileBackend"
    settings.SMS_WEBHOOK_SECRET = WEBHOOK_SECRET
    return settings.SMS_FILE_PATH


def sign(url: str, params: dict, secret: str = WEBHOOK_SECRET) -> str:
    payload = url + "".join(f"{name}{params[name]}" for name in sorted(params))
    digest = hmac.new(secret.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def register(event, person, status=Registration.Status.REGISTERED, **extra):
    return Registration.objects.create(event=event, person=person, status=status, **extra)


@pytest.fixture
def training(world):
    """The host's training, with one person in each group: a seat holder who came, one who
    did not, one waitlisted, one offered a seat, one who cancelled."""
    event = EventFactory(organization=world.organization, title="Texting for locals")
    people = {
        name: UserFactory(name=name.title(), email=f"{name}@example.org")
        for name in ("came", "missed", "waiting", "offered", "cancelled")
    }
    now = timezone.now()
    register(event, people["came"], checked_in_at=now)
    register(event, people["missed"])
    register(event, people["waiting"], Registration.Status.WAITLISTED, waitlisted_at=now)
    register(event, people["offered"], Registration.Status.OFFERED)
    register(event, people["cancelled"], Registration.Status.CANCELLED, cancelled_at=now)
    event.people = people
    return event
