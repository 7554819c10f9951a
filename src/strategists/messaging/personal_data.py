"""What messaging holds about a person: the mail they turned off, their mobile number and
consent, texts sent to them, messages they wrote. On deletion the number, the consent and the
texts go; messages they wrote stay in the log under a tombstone label."""

from strategists.common.personal_data import deleted_label, isoformat, register
from strategists.messaging.models import Message, OutgoingText, Unsubscription


def _export(person) -> dict:
    return {
        "mail_turned_off": sorted(
            Unsubscription.objects.filter(person=person).values_list("category", flat=True)
        ),
        "mobile_phone_number": person.phone_number,
        "agreed_to_texts": isoformat(person.sms_consent_at),
        "texts_sent_to_you": [
            {"text": t.body, "status": t.status, "queued": isoformat(t.created_at)}
            for t in OutgoingText.objects.filter(person=person).order_by("created_at", "pk")
        ],
        "messages_you_sent": [
            {
                "subject": m.subject,
                "to": m.segment_label,
                "recipients": m.recipients,
                "sent": isoformat(m.created_at),
            }
            for m in Message.objects.filter(sender=person).order_by("created_at", "pk")
        ],
    }


def _erase(person, *, keep_credentials: bool) -> None:
    OutgoingText.objects.filter(person=person).delete()
    if person.phone_number:
        OutgoingText.objects.filter(to=person.phone_number).delete()
    Unsubscription.objects.filter(person=person).delete()
    Message.objects.filter(sender=person).update(sender_label=deleted_label(person))
    person.phone_number, person.sms_consent_at = "", None
    person.save(update_fields=["phone_number", "sms_consent_at"])


register("messages", exporter=_export, eraser=_erase, order=50)
