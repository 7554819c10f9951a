"""Every form refuses bad input with a message on the field, never a 500."""

import pytest

from strategists.planner.models import CalendarEntry, PlanningYear

YEAR = {
    "name": "Tour",
    "start_date": "2027-03-06",
    "slots": "26",
    "cadence_days": "14",
    "trainers_min": "2",
    "trainers_max": "3",
    "reach_decay_km": "150",
    "reach_radius_km": "400",
    "trainer_max_km": "1500",
    "travel_weight": "0.01",
    "no_consecutive_region": "on",
}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"trainers_min": "4", "trainers_max": "3"},
            "trainers_max",
            "Must be at least the number of trainers per training, at least.",
        ),
        (
            {"travel_weight": "-1"},
            "travel_weight",
            "Ensure this value is greater than or equal to 0.0.",
        ),
        (
            {"reach_decay_km": "0"},
            "reach_decay_km",
            "Ensure this value is greater than or equal to 1.0.",
        ),
        ({"slots": "0"}, "slots", "Ensure this value is greater than or equal to 1."),
        (
            {"cadence_days": "-14"},
            "cadence_days",
            "Ensure this value is greater than or equal to 0.",
        ),
        ({"start_date": "soon"}, "start_date", "Enter a valid date."),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_year_form_bad_input(client_for, world, change, field, message):
    response = client_for("coordinator").post("/planner/new/", {**YEAR, **change})
    assert (response.status_code, response.context["form"].errors[field]) == (200, [message])
    assert PlanningYear.objects.count() == 0


def test_year_form_creates_a_year(client_for, world):
    response = client_for("coordinator").post("/planner/new/", YEAR)
    year = PlanningYear.objects.get()
    assert (response.status_code, response.url, year.trainers_max, year.no_consecutive_region) == (
        302,
        f"/planner/{year.pk}/",
        3,
        True,
    )


@pytest.fixture
def year(db):
    return PlanningYear.objects.create(name="Tour", start_date="2027-03-06", slots=4)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"min_pacific": "3", "max_pacific": "1"},
            "max_pacific",
            "At most must not be less than at least.",
        ),
        ({"min_pacific": "-1"}, "min_pacific", "Ensure this value is greater than or equal to 0."),
        ({"max_mountain": "9"}, "max_mountain", "Ensure this value is less than or equal to 4."),
        (
            {"min_pacific": "3", "min_mountain": "3"},
            "__all__",
            "The regions' minimums add up to 6, more than the 4 trainings of the year.",
        ),
    ],
)
def test_region_limits_bad_input(client_for, world, year, data, field, message):
    response = client_for("coordinator").post(f"/planner/{year.pk}/regions/", data)
    assert (response.status_code, response.context["form"].errors[field]) == (200, [message])
    assert year.region_limits.count() == 0


def test_region_limits_saved(client_for, world, year):
    response = client_for("coordinator").post(
        f"/planner/{year.pk}/regions/", {"min_pacific": "1", "max_mountain": "2"}
    )
    assert response.status_code == 302
    assert sorted(year.region_limits.values_list("region_id", "min_events", "max_events")) == [
        ("mountain", 0, 2),
        ("pacific", 1, 4),
    ]


ENTRY = {"name": "Labor Day", "start": "2027-09-06", "end": "2027-09-06", "buffer_days": "2"}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end": "2027-09-01"}, "end", "The last day must not be before the first day."),
        ({"buffer_days": "-1"}, "buffer_days", "Ensure this value is greater than or equal to 0."),
        (
            {"regions": ["atlantis"]},
            "regions",
            "Select a valid choice. atlantis is not one of the available choices.",
        ),
        ({"start": ""}, "start", "This field is required."),
    ],
)
def test_calendar_entry_bad_input(client_for, world, year, change, field, message):
    response = client_for("coordinator").post(
        f"/planner/{year.pk}/calendar/new/", {**ENTRY, **change}
    )
    assert (response.status_code, response.context["form"].errors[field]) == (200, [message])
    assert CalendarEntry.objects.count() == 0


def test_calendar_entry_added(client_for, world, year):
    response = client_for("coordinator").post(
        f"/planner/{year.pk}/calendar/new/", {**ENTRY, "regions": ["pacific"]}
    )
    entry = CalendarEntry.objects.get()
    assert (response.status_code, entry.name, list(entry.regions.values_list("pk", flat=True))) == (
        302,
        "Labor Day",
        ["pacific"],
    )


@pytest.mark.parametrize("time_limit", ["0", "-5", "abc", "601"])
def test_plan_form_bad_time_limit(client_for, world, year, time_limit):
    response = client_for("coordinator").post(
        f"/planner/{year.pk}/plan/", {"time_limit": time_limit}
    )
    assert (response.status_code, list(response.context["plan_form"].errors)) == (
        400,
        ["time_limit"],
    )
    assert year.runs.count() == 0


@pytest.mark.parametrize(
    "data", [{}, {"slot": "0"}, {"slot": "-1", "trainer": "1"}, {"slot": "99", "event": "abc"}]
)
def test_lock_bad_input_is_a_message(client_for, world, year, data):
    from strategists.planner.models import PlanRun

    run = PlanRun.objects.create(year=year, status="done")
    response = client_for("coordinator").post(f"/planner/runs/{run.pk}/lock/", data, follow=True)
    assert (response.status_code, year.locks.count()) == (200, 0)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_lock_outside_the_year_is_refused(client_for, world, year):
    from strategists.planner.models import PlanRun

    run = PlanRun.objects.create(year=year, status="done")
    response = client_for("coordinator").post(
        f"/planner/runs/{run.pk}/lock/", {"slot": "9", "trainer": str(world.expert.pk)}, follow=True
    )
    assert ([str(m) for m in response.context["messages"]], year.locks.count()) == (
        ["Pick one slot of this year, and a training or a trainer."],
        0,
    )


@pytest.mark.parametrize(
    "data", [{}, {"decision": "maybe"}, {"decision": "accept", "note": "x" * 301}]
)
def test_respond_bad_input_is_a_message(client_for, world, data):
    from strategists.events.models import TrainerAssignment
    from tests.factories import EventFactory

    assignment = TrainerAssignment.objects.create(
        event=EventFactory(organization=world.organization), trainer=world.expert
    )
    response = client_for("expert").post(f"/planner/requests/{assignment.pk}/", data, follow=True)
    assignment.refresh_from_db()
    assert (response.status_code, assignment.status) == (200, "requested")
    assert [str(m) for m in response.context["messages"]] == ["Choose accept or decline."]
