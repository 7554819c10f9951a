"""Signal receivers of goals: saves elsewhere move the cache versions and queue the forecast."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from strategists.accounts.models import ExpertProfile, Organization, User
from strategists.curriculum.models import Certification, Evidence
from strategists.events.models import Event, Registration, TrainerAssignment
from strategists.goals import tasks
from strategists.goals.versions import DASHBOARD_VERSION_KEY, VERSION_KEY, bump
from strategists.referrals.models import Answer, Question, Resource


def dashboard_changed(**kwargs) -> None:
    """The next dashboard recomputes its tables."""
    bump(DASHBOARD_VERSION_KEY)


def data_changed(**kwargs) -> None:
    """The next progress page recomputes its tables, and the forecast is queued for a refresh
    once the change is committed."""
    bump(VERSION_KEY)
    transaction.on_commit(tasks.queue_forecast_refresh)


def connect() -> None:
    """Called once by the app's ready()."""
    # The cached progress page, the dashboard's no-show counts and the forecast (queued for the
    # background task) follow a version these saves move on.
    for model in (Event, Registration, Evidence, Certification):
        post_save.connect(data_changed, sender=model, dispatch_uid=f"goals-{model.__name__}-save")
        post_delete.connect(
            data_changed, sender=model, dispatch_uid=f"goals-{model.__name__}-delete"
        )
    # The cached dashboard and targets also follow these (a short time limit covers writes that
    # send no signals).
    for model in (TrainerAssignment, ExpertProfile, Organization, User, Question, Answer, Resource):
        name = f"{model._meta.app_label}-{model.__name__}"
        post_save.connect(
            dashboard_changed, sender=model, dispatch_uid=f"goals-dashboard-{name}-save"
        )
        post_delete.connect(
            dashboard_changed, sender=model, dispatch_uid=f"goals-dashboard-{name}-delete"
        )
    for through in (
        Organization.hosts.through,
        Event.languages.through,
        User.languages.through,
        ExpertProfile.languages.through,
    ):
        m2m_changed.connect(
            dashboard_changed,
            sender=through,
            dispatch_uid=f"goals-dashboard-{through._meta.db_table}",
        )
