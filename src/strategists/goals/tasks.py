"""Background work of the goals app: the forecast of the progress page (forecasting.py)."""

from django_tasks import task

from strategists.goals import forecasting


@task()
def refresh_forecast_task() -> int:
    """Recompute and store the current year's forecast if its inputs changed; returns the snapshot's id."""
    return forecasting.refresh_forecast().pk


def refresh_forecast_soon() -> None:
    """The periodic job (schedule.py): queue a refresh for the worker. It recomputes only when the
    inputs changed since the last one, which covers bulk writes that send no signals and the
    change of day."""
    refresh_forecast_task.enqueue()
