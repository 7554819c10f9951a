"""The rules of a training (events/validation.py) hold alike on the web form and in the API: the
same bad input is refused by both, with the same message, on the field each calls it."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from strategists.api.services import api_token_create
from strategists.events.models import Event
from tests.api.conftest import ApiClient
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate().year + 1
PAST = "This date is in the past."
TOO_FAR = "Pick a date within the next 5 years."


def sunday(year: int, month: int, nth: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(6 - first.weekday()) % 7 + 7 * (nth - 1))


# US clocks spring forward on March's second Sunday at 2:00 and fall back on November's first.
SPRING = sunday(NEXT_YEAR, 3, 2).isoformat()
FALL = sunday(NEXT_YEAR, 11, 1).isoformat()


def two_hours_ago() -> tuple[str, str]:
    """Earlier today (or late yesterday) on Philadelphia's clocks: a start already gone."""
    moment = timezone.now().astimezone(zoneinfo.ZoneInfo("America/New_York")) - dt.timedelta(
        hours=2
    )
    return moment.date().isoformat(), moment.strftime("%H:%M")


def form_input(organization, **overrides) -> dict:
    return {
        "organization": organization.pk,
        "title": "Digital security for locals",
        "date": f"{NEXT_YEAR}-05-15",
        "start_time": "10:00",
        "duration_minutes": "360",
        "city": "Philadelphia, PA",
        "venue": "Hall",
        "format": "in-person",
        "languages": ["en"],
        "capacity": "25",
        "skill_areas": ["digital-security"],
        **overrides,
    }


def api_input(organization, **overrides) -> dict:
    return {
        "title": "Digital security for locals",
        "start_date": f"{NEXT_YEAR}-05-15T10:00:00",
        "capacity": 25,
        "location": {"venue": "Hall", "locality": "Philadelphia", "region": "PA"},
        "strategists:organization": organization.pk,
        "strategists:skill_areas": ["digital-security"],
        **overrides,
    }


# (rule, the form's input, the form's field, the API's input, the API's field, the message)
RULES = [
    (
        "a date in the past",
        {"date": "2020-01-01"},
        "date",
        {"start_date": "2020-01-01T10:00:00"},
        "start_date",
        PAST,
    ),
    ("a start earlier today", "earlier", "date", "earlier", "start_date", PAST),
    (
        "a date too far ahead",
        {"date": "9999-12-31"},
        "date",
        {"start_date": "9999-12-31T10:00:00"},
        "start_date",
        TOO_FAR,
    ),
    (
        "a time the clocks skip",
        {"date": SPRING, "start_time": "02:30"},
        "start_time",
        {"start_date": f"{SPRING}T02:30:00"},
        "start_date",
        "This time doesn't exist on that day: the clocks change. Pick another time.",
    ),
    (
        "a time the clocks go back over",
        {"date": FALL, "start_time": "01:30"},
        "start_time",
        {"start_date": f"{FALL}T01:30:00"},
        "start_date",
        "This time happens twice on that day: the clocks go back. Pick another time.",
    ),
    (
        "online without its link",
        {"format": "online"},
        "online_url",
        {"strategists:format": "online"},
        "strategists:online_url",
        "An online or hybrid training needs its link.",
    ),
    (
        "no seats",
        {"capacity": "0"},
        "capacity",
        {"capacity": 0},
        "capacity",
        "Ensure this value is greater than or equal to 1.",
    ),
    (
        "too many seats",
        {"capacity": "5001"},
        "capacity",
        {"capacity": 5001},
        "capacity",
        "Ensure this value is less than or equal to 5000.",
    ),
    (
        "too short",
        {"duration_minutes": "29"},
        "duration_minutes",
        {"strategists:duration_minutes": 29},
        "strategists:duration_minutes",
        "Ensure this value is greater than or equal to 30.",
    ),
    (
        "too long",
        {"duration_minutes": "1441"},
        "duration_minutes",
        {"strategists:duration_minutes": 1441},
        "strategists:duration_minutes",
        "Ensure this value is less than or equal to 1440.",
    ),
    (
        "an unknown skill area",
        {"skill_areas": ["no-such-area"]},
        "skill_areas",
        {"strategists:skill_areas": ["no-such-area"]},
        "strategists:skill_areas",
        "Unknown: no-such-area.",
    ),
]


def _earlier_today(form: dict | str, api: dict | str) -> tuple[dict, dict]:
    if form != "earlier":
        return form, api
    day, time = two_hours_ago()
    return {"date": day, "start_time": time}, {"start_date": f"{day}T{time}:00"}


@pytest.mark.parametrize(
    ("rule", "form", "form_field", "api", "api_field", "message"),
    RULES,
    ids=[rule[0] for rule in RULES],
)
def test_the_form_and_the_api_refuse_alike(
    client, client_for, world, rule, form, form_field, api, api_field, message
):
    form, api = _earlier_today(form, api)
    page = client_for("host").post(
        reverse("events:propose"), form_input(world.organization, **form)
    )
    answer = ApiClient(client, api_token_create(user=world.host)[1]).post(
        "/api/v2/events", api_input(world.organization, **api)
    )

    form_errors = {name: list(messages) for name, messages in page.context["form"].errors.items()}
    assert (page.status_code, form_errors) == (200, {form_field: [message]})
    assert (answer.status_code, answer.json()["errors"]) == (400, {api_field: [message]})
    assert Event.objects.count() == 0


def earlier_today(fraction: float) -> dt.datetime:
    """A moment between midnight and now on Philadelphia's clocks (the site's zone): today, gone."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    midnight = now.replace(hour=0, minute=0)
    return midnight + (now - midnight) * fraction


def test_a_training_under_way_keeps_its_start_but_may_not_move_to_an_hour_gone(client_for, world):
    """Its venue may still be corrected the day it runs; its start may not move to an hour already gone."""
    starts = earlier_today(0.5).replace(second=0, microsecond=0)
    event = EventFactory(organization=world.organization, starts_at=starts, venue="Old hall")
    unchanged = {
        "date": starts.date().isoformat(),
        "start_time": starts.strftime("%H:%M"),
        "city": str(event.city),
        "skill_areas": [area.pk for area in event.skill_areas.all()],
        "languages": [language.pk for language in event.languages.all()] or ["en"],
    }
    moved_to = earlier_today(0.25)
    client = client_for("host")
    url = reverse("events:edit", kwargs={"pk": event.pk})

    kept = client.post(url, form_input(world.organization, **unchanged, venue="New hall"))
    moved = client.post(
        url,
        form_input(world.organization, **{**unchanged, "start_time": moved_to.strftime("%H:%M")}),
    )
    event.refresh_from_db()

    assert (kept.status_code, event.venue, event.starts_at) == (302, "New hall", starts)
    assert (moved.status_code, moved.context["form"].errors.get_json_data()) == (
        200,
        {"date": [{"message": PAST, "code": ""}]},
    )
