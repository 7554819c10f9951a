"""Mail leaves in the background: the task takes an outbox id and sends that one message."""

from django_tasks import task

from strategists.common.mail import mail_send


@task()
def send_outgoing_mail(mail_id: int) -> None:
    mail_send(mail_id=mail_id)
