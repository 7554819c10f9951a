"""Registers the webhooks app and connects it to the domain signals of events and curriculum."""

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "strategists.webhooks"

    def ready(self):
        from strategists.webhooks import receivers

        receivers.connect()
