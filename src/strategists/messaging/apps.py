"""Registers messaging (messages to segments, unsubscribe preferences, text messages) with Django."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "strategists.messaging"
    verbose_name = _("Messages")

    def ready(self):
        # The mail outbox (common) can't import this app: it asks the hooks registered here
        # whether a person opted out of a kind of mail, and tells them of mail that has a text.
        from strategists.common.mail import mail_listener_register, mail_policy_register
        from strategists.messaging import mailhooks

        mail_policy_register(mailhooks.unsubscribe_policy)
        mail_listener_register(mailhooks.text_along)
