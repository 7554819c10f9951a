"""Registers the surveys app and connects it to completed trainings: attendees get a survey,
people who registered and did not come get a "we missed you" with trainings near them."""

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "strategists.surveys"

    def ready(self):
        from strategists.common import panels
        from strategists.events.signals import training_completed
        from strategists.surveys import receivers

        training_completed.connect(
            receivers.training_completed, dispatch_uid="surveys.training_completed"
        )
        panels.register("training", "surveys", receivers.training_panel)
