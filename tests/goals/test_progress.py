"""The public progress page: counts, pipeline, map, forecast inputs, exports, the cache."""

import datetime as dt

import pytest
from django.utils import timezone

from strategists.goals import forecast_store
from strategists.goals.core.forecast_types import TrainingHistory
from tests.goals.conftest import certify


def test_progress_counts_and_pipeline_equal_the_database(client, program):
    response = client.get("/progress/")

    assert response.status_code == 200
    assert (response.context["certified"], response.context["target"]) == (1, 1000)
    assert response.context["pipeline_rows"] == [
        {
            "region": "east-north-central",
            "name": "East North Central",
            "registered": 4,
            "attended": 3,
            "level1": 2,
            "level2": 1,
            "certified": 1,
        },
        {
            "region": "pacific",
            "name": "Pacific",
            "registered": 3,
            "attended": 1,
            "level1": 0,
            "level2": 0,
            "certified": 0,
        },
    ]
    assert response.context["pipeline_totals"] == {
        "registered": 7,
        "attended": 4,
        "level1": 2,
        "level2": 1,
        "certified": 1,
    }


def test_progress_map_has_held_and_planned_trainings(client, program):
    points = client.get("/progress/").context["points"]

    assert sorted((p["city"], p["kind"], p["count"]) for p in points) == [
        ("Detroit, MI", "held", 1),
        ("Detroit, MI", "planned", 2),
        ("Seattle, WA", "held", 1),
        ("Seattle, WA", "planned", 1),
    ]


def test_forecast_inputs_attribute_certifications_to_the_first_training(program):
    today = timezone.localdate()
    detroit, seattle = program.events["detroit"], program.events["seattle"]

    inputs = forecast_store.forecast_inputs(program.year, today)

    assert inputs.history == (
        TrainingHistory(
            date=timezone.localdate(detroit.starts_at),
            registered=4,
            attended=3,
            certifications=((today - dt.timedelta(days=10), 1),),
            level1=2,
            level2=1,
        ),
        TrainingHistory(
            date=timezone.localdate(seattle.starts_at), registered=3, attended=1, level1=0, level2=0
        ),
    )
    assert [p.date for p in inputs.planned] == [
        timezone.localdate(program.events[k].starts_at) for k in ("staffed", "short", "empty")
    ]
    assert inputs.certified_elsewhere == 0


def test_people_certified_without_a_training_are_added_to_the_forecast(program, world):
    certify(world.member, days_ago=3)

    inputs = forecast_store.forecast_inputs(program.year, timezone.localdate())
    outlook = forecast_store.compute_outlook(program.year, timezone.localdate(), simulations=200)

    assert inputs.certified_elsewhere == 1
    assert outlook.offset == 1
    assert outlook.at_end[0] >= 2


def test_progress_forecast_is_cached_until_the_data_changes(
    client, program, django_assert_max_num_queries
):
    client.get(
        "/progress/"
    )  # no forecast stored yet: queues it (under pytest the task runs at once)
    # The year and the stored forecast (its head, and its body the first time this process reads
    # it); the counts, the map and the rendered charts come from the cache.
    with django_assert_max_num_queries(3):
        cached = client.get("/progress/")
    certify(program.people["webmasters"][1], days_ago=1)

    fresh = client.get("/progress/")

    assert (cached.context["certified"], fresh.context["certified"]) == (1, 2)


def test_progress_page_with_no_data(client, year):
    response = client.get("/progress/")

    assert (
        response.status_code,
        response.context["certified"],
        response.context["pipeline_rows"],
    ) == (200, 0, [])


@pytest.mark.parametrize(
    ("url", "first_line"),
    [
        (
            "/progress/pipeline.csv",
            "Region,Registered,Attended a training,L1 in every area,L2 in every area,Certified",
        ),
        (
            "/progress/certified.csv",
            'Date,Certified,"Forecast, low (10%)","Forecast, median","Forecast, high (90%)"',
        ),
        ("/progress/trainings.csv", "Place,Kind,Trainings,Latitude,Longitude"),
    ],
)
def test_progress_tables_as_csv(client, program, url, first_line):
    response = client.get(url)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().splitlines()[0] == first_line


def test_pipeline_csv_rows(client, program):
    lines = client.get("/progress/pipeline.csv").content.decode().splitlines()

    assert lines[1:] == [
        "East North Central,4,3,2,1,1",
        "Pacific,3,1,0,0,0",
        "All regions,7,4,2,1,1",
    ]


@pytest.mark.parametrize("chart", ["certified", "pipeline"])
def test_charts_download_as_standalone_svg(client, program, chart):
    response = client.get(f"/progress/{chart}.svg")
    body = response.content.decode()

    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{chart}.svg"'
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg class="chart"')
    assert body.rstrip().endswith("</svg>")


@pytest.mark.parametrize("url", ["/progress/nothing.csv", "/progress/nothing.svg"])
def test_unknown_exports_are_404(client, year, url):
    assert client.get(url).status_code == 404
