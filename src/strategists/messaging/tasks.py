"""Texts leave in the background: the task takes an outbox id and sends that one text."""

from django_tasks import task

from strategists.messaging.texting import text_send


@task()
def send_outgoing_text(text_id: int) -> None:
    text_send(text_id=text_id)
