"""Registers the curriculum and connects it to completed trainings, which count as evidence."""

from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    name = "strategists.curriculum"

    def ready(self):
        from strategists.curriculum import receivers
        from strategists.events.signals import training_completed

        training_completed.connect(
            receivers.training_completed, dispatch_uid="curriculum.training_completed"
        )
