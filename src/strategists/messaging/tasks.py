"""Background work: a message's mails are written to the outbox, and each text is sent."""

from django_tasks import task

from strategists.messaging.fanout import message_fan_out
from strategists.messaging.texting import text_send


@task()
def send_message(message_id: int) -> None:
    message_fan_out(message_id=message_id)


@task()
def send_outgoing_text(text_id: int) -> None:
    text_send(text_id=text_id)
