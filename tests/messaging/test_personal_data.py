"""A person's export holds what messaging knows about them; deleting the account erases their
number, consent and texts, and the log no longer names them as a sender."""

import pytest
from django.utils import timezone

from strategists.accounts.services import account_delete
from strategists.common.personal_data import export
from strategists.messaging.models import Message, OutgoingText, Unsubscription

pytestmark = pytest.mark.django_db


def test_export_and_erase(world):
    person = world.host
    person.phone_number, person.sms_consent_at = "+13135550100", timezone.now()
    person.save()
    Unsubscription.objects.create(person=person, category="digests", source="link")
    OutgoingText.objects.create(person=person, to=person.phone_number, body="See you")
    Message.objects.create(
        sender=person,
        sender_label=str(person),
        kind=Message.Kind.HOST,
        segment_key="training",
        segment_label="Everyone",
        subject="Hello",
        body="Hi",
        recipients=3,
    )
    data = export(person)["messages"]
    assert data["mail_turned_off"] == ["digests"]
    assert data["mobile_phone_number"] == "+13135550100"
    assert [t["text"] for t in data["texts_sent_to_you"]] == ["See you"]
    assert [(m["subject"], m["recipients"]) for m in data["messages_you_sent"]] == [("Hello", 3)]

    account_delete(user=person, keep_credentials=False)

    person.refresh_from_db()
    assert (person.phone_number, person.sms_consent_at) == ("", None)
    assert OutgoingText.objects.count() == 0
    assert Unsubscription.objects.count() == 0
    assert Message.objects.get().sender_label == f"deleted person #{person.pk}"
