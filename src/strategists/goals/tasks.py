"""Background work of goals: the forecast of the progress page, queued at most once a minute.

services.py queues this module's task (program_year_update) and the task calls a service: the one
circle of imports goals allows."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from strategists.goals import services

logger = logging.getLogger(__name__)

QUEUED_KEY = "goals:forecast-queued"
DEBOUNCE_SECONDS = 60


@task()
def refresh_forecast_task() -> int:
    """Recompute and store the current year's forecast if its inputs changed; returns the snapshot's id."""
    return services.forecast_refresh().pk


def queue_forecast_refresh(*, defer: bool = True) -> None:
    """Queue the background forecast, at most once every ``DEBOUNCE_SECONDS`` (per process, or
    everywhere when the cache is shared). Where the task backend can defer, the task runs when
    that window closes, so it sees every change made in it; otherwise it runs now and changes
    later in the window wait for the next one or for the periodic job."""
    if not cache.add(QUEUED_KEY, True, DEBOUNCE_SECONDS):
        return
    queued = refresh_forecast_task
    try:
        if defer and queued.get_backend().supports_defer:
            queued = queued.using(run_after=timezone.now() + dt.timedelta(seconds=DEBOUNCE_SECONDS))
        queued.enqueue()
    except Exception:  # the periodic job catches up; a write must not fail for the forecast
        cache.delete(QUEUED_KEY)
        logger.exception("could not queue the forecast refresh")


def refresh_forecast_soon() -> None:
    """The periodic job (schedule.py): queue a refresh for the worker. It recomputes only when the
    inputs changed since the last one, which covers bulk writes that send no signals and the
    change of day."""
    refresh_forecast_task.enqueue()
