import contextlib

from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "strategists.goals"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from strategists.accounts.models import ExpertProfile, Organization, User
        from strategists.curriculum.models import Certification, Evidence
        from strategists.events.models import Event, Registration, TrainerAssignment
        from strategists.goals.forecasting import dashboard_changed, data_changed

        # The cached progress page, the dashboard's no-show counts and the forecast (queued for
        # the background task) follow a version these saves move on.
        for model in (Event, Registration, Evidence, Certification):
            post_save.connect(data_changed, sender=model, dispatch_uid=f"goals-{model.__name__}-save")
            post_delete.connect(data_changed, sender=model, dispatch_uid=f"goals-{model.__name__}-delete")
        # The cached dashboard and targets also follow these (a short time limit covers writes
        # that send no signals).
        models = [TrainerAssignment, ExpertProfile, Organization, User]
        for label in ("referrals.Question", "referrals.Answer", "referrals.Resource"):
            with contextlib.suppress(LookupError):  # that app is still being built
                models.append(apps.get_model(label))
        for model in models:
            name = f"{model._meta.app_label}-{model.__name__}"
            post_save.connect(dashboard_changed, sender=model, dispatch_uid=f"goals-dashboard-{name}-save")
            post_delete.connect(dashboard_changed, sender=model, dispatch_uid=f"goals-dashboard-{name}-delete")
        for through in (Organization.hosts.through, Event.languages.through, User.languages.through,
                        ExpertProfile.languages.through):
            m2m_changed.connect(dashboard_changed, sender=through,
                                dispatch_uid=f"goals-dashboard-{through._meta.db_table}")
