"""Input that once could crash a page or the API gets a clear 400/413 or a form error naming the
field: a year-9999 date, a local time the clocks skip or repeat, a 10 MB body, JSON nested
100,000 deep, a body that isn't UTF-8, NUL characters."""

import datetime as dt
import html
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from strategists.accounts.models import City
from strategists.api.services import api_token_create
from strategists.events.models import Event
from strategists.events.timing import latest_date
from strategists.goals.models import ProgramYear
from strategists.planner.models import PlanningYear
from tests.api.conftest import ApiClient
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate().year + 1
TEN_MB = 10 * 1024 * 1024


def sunday(year: int, month: int, nth: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(6 - first.weekday()) % 7 + 7 * (nth - 1))


# US clocks spring forward on March's second Sunday at 2:00 and fall back on November's first.
SPRING = sunday(NEXT_YEAR, 3, 2).isoformat()
FALL = sunday(NEXT_YEAR, 11, 1).isoformat()
TOO_FAR = "Pick a date within the next 5 years."
NUL = "Null characters are not allowed."
LATEST = latest_date().isoformat()


def page_text(response) -> str:
    main = re.search(r"<main[^>]*>(.*)</main>", response.content.decode(), re.S).group(1)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", main).split()))


def errors(response) -> dict:
    return {name: list(messages) for name, messages in response.context["form"].errors.items()}


# --- the training form: propose and edit ----------------------------------------------------------


def proposal(organization, **overrides):
    return {
        "organization": organization.pk,
        "title": "Digital security for locals",
        "description": "Bring a laptop.",
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


FORM_CASES = [
    ({"date": "9999-12-31", "start_time": "23:00"}, {"date": [TOO_FAR]}),
    (
        {
            "date": "",
            "start_time": "",
            "window_start": f"{NEXT_YEAR}-06-01",
            "window_end": "9999-12-31",
        },
        {"window_end": [TOO_FAR]},
    ),
    (
        {"date": SPRING, "start_time": "02:30"},
        {
            "start_time": [
                "This time doesn't exist on that day: the clocks change. Pick another time."
            ]
        },
    ),
    (
        {"date": FALL, "start_time": "01:30"},
        {
            "start_time": [
                "This time happens twice on that day: the clocks go back. Pick another time."
            ]
        },
    ),
    ({"title": "Digital\x00security"}, {"title": [NUL]}),
    ({"city": "Philadelphia\x00, PA"}, {"city": [NUL]}),
    ({"date": f"{NEXT_YEAR}-05-15\x00"}, {"date": ["Enter a valid date."]}),
    ({"start_time": "10:00\x00"}, {"start_time": ["Enter a valid time."]}),
]


@pytest.mark.parametrize(("overrides", "expected"), FORM_CASES)
def test_proposing_with_bad_input_names_the_field(client_for, world, overrides, expected):
    response = client_for("host").post(
        reverse("events:propose"), proposal(world.organization, **overrides)
    )

    assert (response.status_code, errors(response)) == (200, expected)
    assert Event.objects.count() == 0


@pytest.mark.parametrize(("overrides", "expected"), FORM_CASES)
def test_editing_with_bad_input_names_the_field(client_for, world, overrides, expected):
    event = EventFactory(organization=world.organization, title="Before")

    response = client_for("host").post(
        reverse("events:edit", kwargs={"pk": event.pk}), proposal(world.organization, **overrides)
    )

    event.refresh_from_db()
    assert (response.status_code, errors(response), event.title) == (200, expected, "Before")


def test_a_time_after_the_clocks_go_back_is_fine(client_for, world):
    response = client_for("host").post(
        reverse("events:propose"), proposal(world.organization, date=FALL, start_time="10:00")
    )

    event = Event.objects.get()
    assert response.status_code == 302
    assert (
        event.starts_at.astimezone(event.zone).strftime("%Y-%m-%d %H:%M %Z") == f"{FALL} 10:00 EST"
    )


def test_a_body_that_is_not_utf8_is_read_as_text_with_errors(client_for, world):
    body = f"organization={world.organization.pk}&title=\xff\xfe&date=\xff".encode("latin-1")

    response = client_for("host").post(
        reverse("events:propose"), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert errors(response)["date"] == ["Enter a valid date."]
    assert Event.objects.count() == 0


# --- bodies too big ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["events:propose", "accounts:login", "accounts:signup"])
def test_a_10_mb_form_is_refused_with_a_page(client_for, world, url_name):
    client = client_for("host" if url_name == "events:propose" else "visitor")

    response = client.post(
        reverse(url_name), "title=" + "x" * TEN_MB, content_type="application/x-www-form-urlencoded"
    )

    assert (response.status_code, page_text(response)) == (
        413,
        "Too big What you sent is too big: this page takes at most 5 MB. Go to the home page",
    )


def test_a_huge_upload_is_refused_with_a_page(client_for, world):
    upload = SimpleUploadedFile(
        "audit.pdf", b"%PDF-1.7 " + b"x" * (TEN_MB + 1024), "application/pdf"
    )

    response = client_for("member").post(
        reverse("curriculum:evidence_new"),
        {
            "area": "web-and-cms",
            "level": "2",
            "kind": "work-sample",
            "description": "A big audit.",
            "file": upload,
        },
    )

    assert (response.status_code, page_text(response)) == (
        413,
        "Too big What you sent is too big: this page takes at most 10 MB. Go to the home page",
    )
    assert world.member.evidence.count() == 0


def test_a_bad_content_length_is_a_400_page(client):
    response = client.post(
        reverse("accounts:login"),
        "email=a",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH="lots",
    )

    assert (response.status_code, page_text(response)) == (
        400,
        "Bad request We couldn't read what was sent. Go back and try again. Go to the home page",
    )


# --- the planner's forms -----------------------------------------------------------------------------


def year_data(**overrides):
    data = {
        key: value
        for key, value in model_to_dict(
            PlanningYear(name="Tour", start_date=dt.date(NEXT_YEAR, 3, 6), slots=3)
        ).items()
        if value is not None and key != "id"
    }
    data.update(overrides)
    return data


RANGE = f"Pick a date between 2000-01-01 and {LATEST}."


def test_a_planning_year_in_9999_is_a_form_error(client_for, world):
    response = client_for("coordinator").post(
        reverse("planner:year_create"), year_data(start_date="9999-12-31")
    )

    assert (response.status_code, errors(response)) == (200, {"start_date": [RANGE]})
    assert PlanningYear.objects.count() == 0


def test_calendar_dates_in_9999_or_year_1_are_form_errors(client_for, world):
    year = PlanningYear.objects.create(name="Tour", start_date=dt.date(NEXT_YEAR, 3, 6), slots=3)

    response = client_for("coordinator").post(
        reverse("planner:calendar_add", kwargs={"pk": year.pk}),
        {"name": "Convention", "start": "0001-01-01", "end": "9999-12-31", "buffer_days": "3"},
    )

    assert (response.status_code, errors(response)) == (200, {"start": [RANGE], "end": [RANGE]})
    assert year.calendar.count() == 0


# --- the API -------------------------------------------------------------------------------------------


@pytest.fixture
def host_api(client, world):
    return ApiClient(client, api_token_create(user=world.host)[1])


def new_event(world, **overrides):
    return {
        "title": "Texting for turnout",
        "start_date": f"{NEXT_YEAR}-05-15T10:00:00",
        "capacity": 25,
        "location": {"venue": "Hall", "locality": "Philadelphia", "region": "PA"},
        "strategists:organization": world.organization.pk,
        **overrides,
    }


# The same texts as the web form's (events/validation.py holds the rules for both).
PAST = "This date is in the past."
API_CASES = [
    ({"start_date": "9999-12-31T23:00:00"}, "start_date", TOO_FAR),
    ({"start_date": "9999-12-31T23:00:00-05:00"}, "start_date", TOO_FAR),
    ({"start_date": "0001-01-01T00:00:00+14:00"}, "start_date", PAST),
    ({"end_date": "9999-12-31T23:59:59Z"}, "end_date", TOO_FAR),
    (
        {"start_date": f"{SPRING}T02:30:00"},
        "start_date",
        "This time doesn't exist on that day: the clocks change. Pick another time.",
    ),
    (
        {"start_date": f"{FALL}T01:30:00"},
        "start_date",
        "This time happens twice on that day: the clocks go back. Pick another time.",
    ),
    (
        {"start_date": f"{NEXT_YEAR}-05-15T10:00:00\u0000"},
        "start_date",
        "Enter a date and time like 2027-03-06T10:00:00-05:00.",
    ),
    ({"title": "Texting\u0000for turnout"}, "title", NUL),
]


@pytest.mark.parametrize(("overrides", "field", "message"), API_CASES)
def test_creating_an_event_with_bad_input_is_400_naming_the_field(
    host_api, world, overrides, field, message
):
    response = host_api.post("/api/v2/events", new_event(world, **overrides))

    assert (response.status_code, response.json()["field"], response.json()["error"]) == (
        400,
        field,
        message,
    )
    assert Event.objects.count() == 0


@pytest.mark.parametrize(("overrides", "field", "message"), API_CASES)
def test_updating_an_event_with_bad_input_is_400_naming_the_field(
    host_api, world, overrides, field, message
):
    city = (
        City.objects.filter(name="Philadelphia", subdivision_id="PA")
        .order_by("-population")
        .first()
    )
    event = EventFactory(organization=world.organization, title="Before", city=city)

    response = host_api.put(f"/api/v2/events/{event.pk}", overrides)

    event.refresh_from_db()
    assert (
        response.status_code,
        response.json()["field"],
        response.json()["error"],
        event.title,
    ) == (400, field, message, "Before")


def test_an_explicit_offset_settles_a_repeated_time(host_api, world):
    response = host_api.post(
        "/api/v2/events", new_event(world, start_date=f"{FALL}T01:30:00-05:00")
    )

    assert (response.status_code, response.json()["start_date"]) == (201, f"{FALL}T06:30:00Z")


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        ("[" * 100_000, "application/json", 400, "The JSON is nested too deeply."),
        ("[" * 100_000 + "]" * 100_000, "application/json", 400, "The JSON is nested too deeply."),
        (
            json.dumps({"title": [[[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]]}),
            "application/json",
            400,
            "The JSON is nested too deeply.",
        ),
        (
            '{"title": "caf\xe9"}'.encode("latin-1"),
            "application/json",
            400,
            "The body must be JSON in UTF-8; this isn't UTF-8 text.",
        ),
        (
            '{"title": "x' + "x" * TEN_MB + '"}',
            "application/json",
            413,
            "The request body is too big: the API takes at most 5 MB.",
        ),
        (
            '{"title": "Texting"',
            "application/json",
            400,
            "This isn't valid JSON: Expecting ',' delimiter: line 1 column 20 (char 19).",
        ),
    ],
)
def test_unreadable_api_bodies_are_refused_in_json(
    host_api, world, body, content_type, status, message
):
    event = EventFactory(organization=world.organization)
    urls = [
        "/api/v2/events",
        f"/api/v2/events/{event.pk}",
        f"/api/v2/events/{event.pk}/attendances",
    ]

    answers = [
        (host_api.put if url.endswith(str(event.pk)) else host_api.post)(url, body, content_type)
        for url in urls
    ]

    assert [(answer.status_code, answer.json()) for answer in answers] == [
        (status, {"error": message, "field": None})
    ] * 3
    assert Event.objects.count() == 1


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("9999-12", TOO_FAR),
        ("2027-13", "Use a month like 2027-03."),
        (f"{NEXT_YEAR}-\x00", "Null characters are not allowed."),
    ],
)
def test_finding_trainings_in_a_bad_month_says_so(client, db, month, message):
    response = client.get(reverse("events:list"), {"month": month})

    assert (response.status_code, errors(response)) == (200, {"month": [message]})


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "expected"),
    [
        ("9999-01-01", "9999-12-31", {"starts_on": [RANGE], "ends_on": [RANGE]}),
        ("0001-01-01", "0001-12-31", {"starts_on": [RANGE], "ends_on": [RANGE]}),
    ],
)
def test_a_program_year_out_of_range_is_a_form_error(
    client_for, world, starts_on, ends_on, expected
):
    before = list(ProgramYear.objects.values_list("starts_on", "ends_on"))
    client = client_for("coordinator")

    response = client.post(
        reverse("goals:year_edit"),
        {"name": "Far", "starts_on": starts_on, "ends_on": ends_on, "target": "1000"},
    )

    assert (response.status_code, errors(response)) == (
        400,
        expected,
    )  # this form answers 400 when refused
    assert list(ProgramYear.objects.values_list("starts_on", "ends_on")) == before
    progress = client.get(reverse("goals:progress"))
    assert (progress.status_code, progress.context["target"]) == (200, 1000)  # the year as it was
