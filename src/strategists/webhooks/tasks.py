"""A delivery leaves in the background: the task takes its id and sends that one delivery."""

from django_tasks import task

from strategists.webhooks.outbox import delivery_send


@task()
def send_webhook(delivery_id: int) -> None:
    delivery_send(delivery_id=delivery_id)
