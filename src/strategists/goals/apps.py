"""The goals app: progress toward the target, the forecast and the coordinator's dashboard."""

from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "strategists.goals"

    def ready(self):
        # Models are loaded only once every app is ready: the receivers module imports them.
        from strategists.goals import receivers

        receivers.connect()
