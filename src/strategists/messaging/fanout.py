"""A message's mails are written to the outbox in the background, in batches: the sender's
request only records who the message goes to (one row each), so a message to thousands returns
at once and the progress bar shows the mails being prepared and sent.

Idempotent: a batch takes the deliveries that have no mail yet (locked, so two workers never
take the same ones); the periodic job finishes a message whose worker died mid-way.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from strategists.common.mail import mail_person
from strategists.messaging.models import KIND_CATEGORY, Category, Delivery, Message
from strategists.messaging.tokens import unsubscribe_url

BATCH = 200
# A message whose deliveries still wait this long after it was sent lost its worker.
STALLED_AFTER = dt.timedelta(minutes=2)


def message_fan_out(*, message_id: int) -> int:
    """Write the mail of every delivery that has none yet; how many were written."""
    message = Message.objects.select_related("event").filter(pk=message_id).first()
    if message is None:
        return 0
    written = 0
    while True:
        batch = _batch(message)
        if not batch:
            return written
        written += batch


@transaction.atomic
def _batch(message: Message) -> int:
    waiting = (
        Delivery.objects.select_for_update(skip_locked=True)
        .filter(message=message, mail__isnull=True, person__isnull=False)
        .select_related("person")
        .order_by("pk")[:BATCH]
    )
    deliveries = list(waiting)
    category = KIND_CATEGORY[message.kind]
    label = Category(category).label
    for delivery in deliveries:
        person = delivery.person
        delivery.mail = mail_person(
            person,
            template="messaging/mail/message",
            context={
                "message": message,
                "person": person,
                "category": label,
                "unsubscribe_url": unsubscribe_url(person.pk, category),
            },
            kind=message.kind,
            html=True,
        )
    Delivery.objects.bulk_update(deliveries, ["mail"])
    return len(deliveries)


def messages_fan_out_due(*, now: dt.datetime | None = None) -> int:
    """The periodic job: finish the messages whose deliveries wait with no mail."""
    now = now or timezone.now()
    stalled = (
        Delivery.objects.filter(
            mail__isnull=True, person__isnull=False, message__created_at__lt=now - STALLED_AFTER
        )
        .values_list("message_id", flat=True)
        .distinct()
    )
    return sum(message_fan_out(message_id=message_id) for message_id in sorted(set(stalled)))
