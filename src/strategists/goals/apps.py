from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "strategists.goals"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from strategists.curriculum.models import Certification, Evidence
        from strategists.events.models import Event, Registration
        from strategists.goals.forecasting import data_changed

        # The cached progress page and forecast are keyed on a version these saves move on.
        for model in (Event, Registration, Evidence, Certification):
            post_save.connect(data_changed, sender=model, dispatch_uid=f"goals-{model.__name__}-save")
            post_delete.connect(data_changed, sender=model, dispatch_uid=f"goals-{model.__name__}-delete")
