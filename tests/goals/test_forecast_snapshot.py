"""The forecast is computed in the background and stored; the progress page serves the last one
with its "as of" time, and says it is being computed while there is none."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from strategists.common.schedule import all_jobs
from strategists.goals import forecasting, tasks
from strategists.goals.models import ForecastSnapshot
from strategists.goals.services import program_year_update
from tests.goals.conftest import certify


@pytest.fixture
def queued(monkeypatch):
    """Record refreshes queued instead of running them (under pytest the task would run at once)."""
    calls = []
    monkeypatch.setattr(forecasting, "queue_refresh", lambda **kwargs: calls.append(kwargs))
    return calls


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
    assert queued == [{"defer": False}]


def test_the_task_stores_the_forecast_and_the_page_serves_it(client, program, queued):
    client.get("/progress/")
    snapshot_id = tasks.refresh_forecast_task.enqueue().return_value

    response = client.get("/progress/")

    snapshot = ForecastSnapshot.objects.get(pk=snapshot_id)
    assert snapshot.program_year == program.year
    assert response.context["outlook"] == forecasting.outlook_from_json(snapshot.outlook)
    assert response.context["forecast_as_of"] == snapshot.as_of
    assert response.context["band"]
    body = response.content.decode()
    assert 'data-testid="forecast-as-of"' in body and 'data-testid="forecast-pending"' not in body


def test_a_stale_forecast_is_served_until_the_task_runs_again(client, program, queued):
    first = forecasting.refresh_forecast()
    certify(program.people["webmasters"][1], days_ago=1)

    stale = client.get("/progress/")

    # The counts are the database's; the forecast is the stored one, with its time.
    assert stale.context["certified"] == 2
    assert stale.context["forecast_as_of"] == first.as_of
    assert stale.context["outlook"].forecast.rates.certified == 1
    assert queued == []  # today's forecast exists: the page does not queue one, the data change does

    second = forecasting.refresh_forecast()
    fresh = client.get("/progress/")

    assert second.digest != first.digest and second.as_of > first.as_of
    assert fresh.context["forecast_as_of"] == second.as_of
    assert fresh.context["outlook"].forecast.rates.certified == 2


def test_yesterdays_forecast_is_served_and_a_refresh_queued(client, program, queued):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    forecasting.refresh_forecast(today=yesterday)

    response = client.get("/progress/")

    assert response.context["outlook"] is not None
    assert queued == [{"defer": False}]


def test_a_refresh_with_the_same_inputs_keeps_the_stored_forecast(program, monkeypatch):
    first = forecasting.refresh_forecast()
    computed = []
    monkeypatch.setattr(forecasting, "compute_outlook", lambda *a, **k: computed.append(1))

    again = forecasting.refresh_forecast()

    assert (again.pk, again.digest, again.outlook, computed) == (first.pk, first.digest, first.outlook, [])
    assert again.as_of >= first.as_of  # it holds for the data as of the check


def test_non_finite_numbers_survive_the_json():
    assert forecasting._decode(json.loads(json.dumps(forecasting._encode((float("inf"), float("-inf"), 1.5))))) == (
        float("inf"), float("-inf"), 1.5)


def test_an_older_refresh_does_not_overwrite_a_newer_one(program):
    newer = forecasting.refresh_forecast()
    ForecastSnapshot.objects.filter(pk=newer.pk).update(as_of=timezone.now() + dt.timedelta(hours=1), digest="x")

    kept = forecasting.refresh_forecast()

    assert kept.digest == "x"


def test_the_stored_forecast_equals_the_computed_one(program):
    today = timezone.localdate()
    outlook = forecasting.compute_outlook(program.year, today, simulations=200)

    stored = json.loads(json.dumps(forecasting.outlook_to_json(outlook)))

    assert forecasting.outlook_from_json(stored) == outlook


def test_a_committed_change_queues_the_refresh(program, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certify(program.people["webmasters"][1], days_ago=1)

    snapshot = ForecastSnapshot.objects.get(program_year=program.year)
    assert forecasting.outlook_from_json(snapshot.outlook).forecast.rates.certified == 2


def test_refreshes_are_queued_at_most_once_a_minute(program, django_capture_on_commit_callbacks, monkeypatch):
    runs = []
    monkeypatch.setattr(forecasting, "refresh_forecast", lambda: runs.append(1) or ForecastSnapshot(pk=0))
    with django_capture_on_commit_callbacks(execute=True):
        certify(program.people["webmasters"][1], days_ago=1)
    with django_capture_on_commit_callbacks(execute=True):
        certify(program.people["webmasters"][2], days_ago=1)

    assert runs == [1]


def test_changing_the_year_queues_a_refresh(program, django_capture_on_commit_callbacks):
    year = program.year
    with django_capture_on_commit_callbacks(execute=True):
        program_year_update(year=year, by=None, name=year.name, starts_on=year.starts_on, ends_on=year.ends_on,
                            target=500)

    snapshot = ForecastSnapshot.objects.get(program_year=year)
    assert forecasting.outlook_from_json(snapshot.outlook).target == 500


def test_the_worker_refreshes_the_forecast_periodically(program):
    jobs = {path: seconds for seconds, path in all_jobs()}

    tasks.refresh_forecast_soon()

    assert jobs["strategists.goals.tasks.refresh_forecast_soon"] <= 600
    assert ForecastSnapshot.objects.filter(program_year=program.year).exists()
