"""Every write in messaging: a message to a segment, opt-outs, a mobile number and its consent,
a STOP from the provider. Each in one transaction with its audit entry; mail and texts are
queued in the outbox and leave after commit."""

from django.db import transaction
from django.utils import timezone

from strategists.accounts.models import User
from strategists.common.audit import audit_log
from strategists.messaging.models import Category, Delivery, Message, Unsubscription
from strategists.messaging.segments import Segment
from strategists.messaging.tasks import send_message


@transaction.atomic
def message_send(*, sender: User, segment: Segment, subject: str, body: str) -> Message:
    """Record the message and everyone in the segment (computed again here, inside the
    transaction); their mails are written to the outbox in the background after commit
    (fanout.py), and skipped for those who opted out."""
    people = list(segment.people.values_list("pk", flat=True))
    message = Message.objects.create(
        sender=sender,
        sender_label=str(sender),
        kind=segment.kind,
        segment_key=segment.key,
        segment_params=segment.params,
        segment_label=segment.label[:300],
        event=segment.event,
        subject=subject,
        body=body,
        recipients=len(people),
    )
    Delivery.objects.bulk_create(
        [Delivery(message=message, person_id=person_id) for person_id in people]
    )
    audit_log(
        "message.sent",
        message,
        actor=sender,
        data={
            "segment": segment.key,
            "params": segment.params,
            "recipients": len(people),
            "subject": subject,
        },
    )
    transaction.on_commit(lambda: send_message.enqueue(message.pk))
    return message


@transaction.atomic
def unsubscribe(*, person: User, category: str, source: str) -> bool:
    """The person gets no more mail of that category; True when this changed anything."""
    _row, created = Unsubscription.objects.get_or_create(
        person=person, category=category, defaults={"source": source}
    )
    if created:
        audit_log(
            "mail.unsubscribed",
            person,
            actor=person if source == Unsubscription.Source.PREFERENCES else None,
            data={"category": category, "source": source},
        )
    return created


@transaction.atomic
def preferences_update(*, person: User, wanted: set[str]) -> set[str]:
    """Keep exactly the categories in ``wanted``; returns the categories refused now."""
    before = set(Unsubscription.objects.filter(person=person).values_list("category", flat=True))
    refused = set(Category.values) - set(wanted)
    Unsubscription.objects.filter(person=person).exclude(category__in=refused).delete()
    Unsubscription.objects.bulk_create(
        [
            Unsubscription(
                person=person, category=category, source=Unsubscription.Source.PREFERENCES
            )
            for category in sorted(refused - before)
        ]
    )
    audit_log(
        "mail.preferences_changed",
        person,
        actor=person,
        before={"refused": sorted(before)},
        after={"refused": sorted(refused)},
    )
    return refused


@transaction.atomic
def sms_consent_give(*, person: User, phone_number: str) -> User:
    """The person, and only they, gives a mobile number and agrees to texts."""
    before = {"phone": bool(person.phone_number), "consent": person.sms_consent_at is not None}
    person.phone_number = phone_number
    person.sms_consent_at = timezone.now()
    person.save(update_fields=["phone_number", "sms_consent_at"])
    audit_log(
        "sms.consent_given",
        person,
        actor=person,
        before=before,
        after={"phone": True, "consent": True},
    )
    return person


@transaction.atomic
def sms_consent_withdraw(*, person: User, forget_number: bool = True) -> User:
    """No more texts; from the preferences page the number goes too."""
    before = {"phone": bool(person.phone_number), "consent": person.sms_consent_at is not None}
    person.sms_consent_at = None
    if forget_number:
        person.phone_number = ""
    person.save(update_fields=["phone_number", "sms_consent_at"])
    audit_log(
        "sms.consent_withdrawn",
        person,
        actor=person,
        before=before,
        after={"phone": bool(person.phone_number), "consent": False},
    )
    return person


@transaction.atomic
def sms_stop(*, phone_number: str, keyword: str) -> int:
    """A STOP (or ARRÊT, ALTO...) from the provider: everyone with that number stops getting
    texts at once (queued ones are dropped when they would leave). Returns how many."""
    people = list(
        User.objects.select_for_update().filter(
            phone_number=phone_number, sms_consent_at__isnull=False
        )
    )
    for person in people:
        person.sms_consent_at = None
        person.save(update_fields=["sms_consent_at"])
        audit_log(
            "sms.stopped",
            person,
            actor=None,
            before={"consent": True},
            after={"consent": False},
            data={"keyword": keyword},
        )
    return len(people)
