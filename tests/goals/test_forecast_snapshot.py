"""The forecast is computed in the background and stored; the progress page serves the last one
with its "as of" time, and says it is being computed while there is none."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from strategists.common.models import AuditEntry
from strategists.common.schedule import all_jobs
from strategists.goals import forecast_store, services, tasks
from strategists.goals.models import ForecastSnapshot
from tests.goals.conftest import certify


@pytest.fixture
def queued(settings):
    """Refreshes are queued, not run (under pytest the immediate backend would run them at once):
    django-tasks' dummy backend keeps them; returns a list of (task name, run after)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    return lambda: [(r.task.name, r.task.run_after) for r in default_task_backend.results]


NOW = [("refresh_forecast_task", None)]  # queued to run as soon as the worker can


def test_page_says_the_forecast_is_being_computed_until_one_is_stored(client, program, queued):
    response = client.get("/progress/")
    body = response.content.decode()

    assert response.status_code == 200
    assert response.context["outlook"] is None
    assert 'data-testid="forecast-pending"' in body
    assert response.context["band"] == []
    # Everything else is there, exact.
    assert response.context["certified"] == 1
    assert response.context["pipeline_totals"]["registered"] == 7
    assert queued() == NOW


def test_the_task_stores_the_forecast_and_the_page_serves_it(client, program):
    snapshot_id = tasks.refresh_forecast_task.enqueue().return_value

    response = client.get("/progress/")

    snapshot = ForecastSnapshot.objects.get(pk=snapshot_id)
    assert snapshot.program_year == program.year
    assert response.context["outlook"] == forecast_store.outlook_from_json(snapshot.outlook)
    assert response.context["forecast_as_of"] == snapshot.as_of
    assert response.context["band"]
    body = response.content.decode()
    assert 'data-testid="forecast-as-of"' in body and 'data-testid="forecast-pending"' not in body


def test_a_stale_forecast_is_served_until_the_task_runs_again(client, program, queued):
    first = services.forecast_refresh()
    certify(program.people["webmasters"][1], days_ago=1)

    stale = client.get("/progress/")

    # The counts are the database's; the forecast is the stored one, with its time.
    assert stale.context["certified"] == 2
    assert stale.context["forecast_as_of"] == first.as_of
    assert stale.context["outlook"].forecast.rates.certified == 1
    assert (
        queued() == []
    )  # today's forecast exists: the page does not queue one, the data change does

    second = services.forecast_refresh()
    fresh = client.get("/progress/")

    assert second.digest != first.digest and second.as_of > first.as_of
    assert fresh.context["forecast_as_of"] == second.as_of
    assert fresh.context["outlook"].forecast.rates.certified == 2


def test_yesterdays_forecast_is_served_and_a_refresh_queued(client, program, queued):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    services.forecast_refresh(today=yesterday)

    response = client.get("/progress/")

    assert response.context["outlook"] is not None
    assert queued() == NOW


def test_a_refresh_with_the_same_inputs_keeps_the_stored_forecast(program):
    first = services.forecast_refresh()
    ForecastSnapshot.objects.filter(pk=first.pk).update(
        seconds=-1
    )  # a computation would store its time

    again = services.forecast_refresh()

    assert (again.pk, again.digest, again.outlook, again.seconds) == (
        first.pk,
        first.digest,
        first.outlook,
        -1,
    )
    assert again.as_of >= first.as_of  # it holds for the data as of the check


def test_non_finite_numbers_survive_the_json():
    assert forecast_store._decode(
        json.loads(json.dumps(forecast_store._encode((float("inf"), float("-inf"), 1.5))))
    ) == (float("inf"), float("-inf"), 1.5)


def test_an_older_refresh_does_not_overwrite_a_newer_one(program):
    newer = services.forecast_refresh()
    ForecastSnapshot.objects.filter(pk=newer.pk).update(
        as_of=timezone.now() + dt.timedelta(hours=1), digest="x"
    )

    kept = services.forecast_refresh()

    assert kept.digest == "x"


def test_the_stored_forecast_equals_the_computed_one(program):
    today = timezone.localdate()
    outlook = forecast_store.compute_outlook(program.year, today, simulations=200)

    stored = json.loads(json.dumps(forecast_store.outlook_to_json(outlook)))

    assert forecast_store.outlook_from_json(stored) == outlook


def test_a_committed_change_queues_the_refresh(program, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certify(program.people["webmasters"][1], days_ago=1)

    snapshot = ForecastSnapshot.objects.get(program_year=program.year)
    assert forecast_store.outlook_from_json(snapshot.outlook).forecast.rates.certified == 2


def test_refreshes_are_queued_at_most_once_a_minute(
    program, django_capture_on_commit_callbacks, queued
):
    with django_capture_on_commit_callbacks(execute=True):
        certify(program.people["webmasters"][1], days_ago=1)
    with django_capture_on_commit_callbacks(execute=True):
        certify(program.people["webmasters"][2], days_ago=1)

    # One task, deferred to the end of the minute so it sees both certifications.
    assert [name for name, _run_after in queued()] == ["refresh_forecast_task"]


def test_changing_the_year_queues_a_refresh(program, django_capture_on_commit_callbacks):
    year = program.year
    with django_capture_on_commit_callbacks(execute=True):
        services.program_year_update(
            year=year,
            by=None,
            name=year.name,
            starts_on=year.starts_on,
            ends_on=year.ends_on,
            target=500,
        )

    snapshot = ForecastSnapshot.objects.get(program_year=year)
    assert forecast_store.outlook_from_json(snapshot.outlook).target == 500
    entry = AuditEntry.objects.get(action="program_year.changed")
    assert (entry.object_id, entry.data) == (
        str(year.pk),
        {"before": {"target": 1000}, "after": {"target": 500}},
    )


def test_the_worker_refreshes_the_forecast_periodically(program):
    jobs = {path: seconds for seconds, path in all_jobs()}

    tasks.refresh_forecast_soon()

    assert jobs["strategists.goals.tasks.refresh_forecast_soon"] <= 600
    assert ForecastSnapshot.objects.filter(program_year=program.year).exists()
