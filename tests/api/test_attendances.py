import pytest
from django.core import mail

from strategists.accounts.models import User
from strategists.events import registration_services, services
from strategists.events.models import Event, Registration
from tests.api.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signup(email, given="Sam", family="Signup", **extra):
    return {
        "person": {
            "given_name": given,
            "family_name": family,
            "email_addresses": [{"address": email}],
            "postal_addresses": [{"postal_code": "48201"}],
            "custom_fields": {},
        },
        **extra,
    }


def record(api, event, email, **person):
    return api.post(f"/api/v2/events/{event.pk}/attendances", signup(email, **person))


def test_registrations_fill_the_seats_then_the_waitlist_in_order(api_for, api_world):
    event = api_world.published  # 3 seats
    api = api_for("host")

    responses = [record(api, event, f"person{n}@example.org") for n in range(5)]

    assert [r.status_code for r in responses] == [201] * 5
    assert [
        (r.json()["status"], r.json().get("strategists:waitlist_position")) for r in responses
    ] == [
        ("accepted", None),
        ("accepted", None),
        ("accepted", None),
        ("tentative", 1),
        ("tentative", 2),
    ]
    assert event.registrations.filter(status="registered").count() == 3


def test_the_list_shows_statuses_positions_and_check_ins(api_for, api_world):
    event = api_world.published
    api = api_for("host")
    ids = [
        record(api, event, f"person{n}@example.org").json()["identifiers"][0].split(":")[1]
        for n in range(5)
    ]
    first, second = (Registration.objects.get(pk=pk) for pk in ids[:2])
    registration_services.check_in(registration=first)

    declined = api.put(f"/api/v2/events/{event.pk}/attendances/{second.pk}", {"status": "declined"})
    listed = api.get(f"/api/v2/events/{event.pk}/attendances").json()["_embedded"][
        "osdi:attendances"
    ]

    assert declined.json()["status"] == "declined"
    assert [
        (a["status"], a["attended"], a.get("strategists:waitlist_position")) for a in listed
    ] == [
        ("accepted", True, None),
        ("declined", False, None),
        ("accepted", False, None),
        ("needs action", False, None),  # the freed seat, offered to the first on the waitlist
        ("tentative", False, 1),
    ]
    assert listed[0]["person"] == {
        "given_name": "Sam",
        "family_name": "Signup",
        "email_addresses": [{"primary": True, "address": "person0@example.org"}],
    }


def test_checking_in_through_the_api(api_for, api_world):
    api = api_for("host")
    attendance = record(api, api_world.published, "comes@example.org").json()
    url = attendance["_links"]["self"]["href"]

    checked_in = api.put(url, {"attended": True}).json()
    undone = api.put(url, {"attended": False}).json()

    assert (checked_in["attended"], undone["attended"]) == (True, False)
    assert checked_in["strategists:checked_in_date"] is not None


def test_an_attendance_reads_like_in_the_list(api_for, api_world):
    api = api_for("coordinator")
    for n in range(4):
        record(api, api_world.published, f"person{n}@example.org")
    waitlisted = api_world.published.registrations.get(status="waitlisted")

    body = api.get(f"/api/v2/events/{api_world.published.pk}/attendances/{waitlisted.pk}").json()

    assert (body["status"], body["strategists:waitlist_position"], body["strategists:source"]) == (
        "tentative",
        1,
        "api",
    )


def test_an_attendance_of_another_event_is_404(api_for, api_world):
    registration = Registration.objects.create(
        event=EventFactory(), person=api_world.other, status="registered"
    )

    response = api_for("coordinator").get(
        f"/api/v2/events/{api_world.published.pk}/attendances/{registration.pk}"
    )

    assert response.status_code == 404


def test_people_are_matched_by_email_in_any_case(api_for, api_world):
    existing = UserFactory(email="casey@example.org", name="Casey Existing")
    people = User.objects.count()

    response = record(
        api_for("member"),
        api_world.published,
        "  Casey@EXAMPLE.org ",
        given="Someone",
        family="Else",
    )

    registration = api_world.published.registrations.get()
    assert response.status_code == 202
    assert (registration.person, registration.source, User.objects.count()) == (
        existing,
        "api",
        people,
    )
    existing.refresh_from_db()
    assert existing.name == "Casey Existing"


def test_new_people_are_created_with_their_names(api_for, api_world):
    record(
        api_for("member"),
        api_world.published,
        "New.Person@Example.org",
        given="Nia",
        family="New Person",
    )

    person = User.objects.get(email="new.person@example.org")
    assert (person.name, person.has_usable_password()) == ("Nia New Person", False)


def test_registering_twice_returns_the_same_attendance(api_for, api_world):
    api = api_for("host")
    first = record(api, api_world.published, "twice@example.org")
    second = record(api, api_world.published, "TWICE@example.org")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["identifiers"] == second.json()["identifiers"]
    assert api_world.published.registrations.count() == 1


def test_registration_mail_is_sent(api_for, api_world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record(api_for("member"), api_world.published, "mailme@example.org")

    # A new person: the link to claim their account, then the registration.
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["mailme@example.org"], "Your 1000 Strategists account is waiting for you"),
        (["mailme@example.org"], f"You are registered: {api_world.published.title}"),
    ]


def test_sign_up_forms_get_no_personal_data_back(api_for, api_world):
    UserFactory(email="known@example.org", name="Known Person")

    body = record(api_for("member"), api_world.published, "known@example.org").json()

    assert "person" not in body
    assert "strategists:person_id" not in body
    assert "osdi:person" not in body["_links"]
    assert "known@example.org" not in str(body) and "Known" not in str(body)


def test_emails_are_only_shown_to_the_events_hosts_and_coordinators(api_for, api_world):
    record(api_for("host"), api_world.published, "private@example.org")
    url = f"/api/v2/events/{api_world.published.pk}/attendances"

    seen = {
        role: "private@example.org" in api_for(role).get(url).content.decode()
        for role in ["member", "expert", "host", "coordinator"]
    }

    assert seen == {"member": False, "expert": False, "host": True, "coordinator": True}


def test_closed_registration_is_409(api_for, api_world):
    event = api_world.published
    services.event_cancel(event=event, by=api_world.coordinator, reason="Venue flooded")

    response = record(api_for("host"), event, "late@example.org")

    assert response.status_code == 409
    assert response.json() == {"error": "Registration is closed for this training.", "field": None}


def test_completed_events_are_visible_but_closed(api_for, api_world):
    event = EventFactory(state=Event.State.COMPLETED)

    response = record(api_for("member"), event, "late@example.org")

    assert response.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "person"),
        ({"person": "sam@example.org"}, "person"),
        ({"person": {"given_name": "Sam"}}, "person.email_addresses"),
        ({"person": {"email_addresses": []}}, "person.email_addresses"),
        ({"person": {"email_addresses": "sam@example.org"}}, "person.email_addresses"),
        (
            {"person": {"email_addresses": [{"address": "not an email"}]}},
            "person.email_addresses.0.address",
        ),
        ({"person": {"email_addresses": [{"primary": True}]}}, "person.email_addresses.0.address"),
        (
            {"person": {"email_addresses": [{"address": "a@b.org"}], "given_name": "x" * 10_000}},
            "person.given_name",
        ),
        (
            {
                "person": {
                    "email_addresses": [{"address": "a@b.org"}],
                    "given_name": "x" * 100,
                    "family_name": "y" * 100,
                }
            },
            "person.family_name",
        ),
        (
            {"person": {"email_addresses": [{"address": "a@b.org"}], "given_name": ["Sam"]}},
            "person.given_name",
        ),
    ],
)
def test_malformed_attendances_are_400_naming_the_field(api_for, api_world, body, field):
    response = api_for("member").post(f"/api/v2/events/{api_world.published.pk}/attendances", body)

    assert (response.status_code, response.json()["field"]) == (400, field)
    assert api_world.published.registrations.count() == 0


def test_an_attendance_for_a_missing_event_is_404(api_for, api_world):
    response = api_for("member").post("/api/v2/events/424242/attendances", signup("a@b.org"))

    assert (response.status_code, response.json()["error"]) == (
        404,
        "Couldn't find event with id = 424242.",
    )


def test_only_declined_can_be_set(api_for, api_world):
    registration = Registration.objects.create(
        event=api_world.published, person=api_world.other, status="registered"
    )

    response = api_for("host").put(
        f"/api/v2/events/{api_world.published.pk}/attendances/{registration.pk}",
        {"status": "accepted"},
    )

    assert (response.status_code, response.json()["field"]) == (400, "status")


def test_hosts_read_the_answers_to_the_trainings_questions_and_members_do_not(api_for, api_world):
    from strategists.events.models import Answer, Question

    question = Question.objects.create(
        event=api_world.published, label="Access needs", kind="long", position=1
    )
    registration = Registration.objects.create(
        event=api_world.published, person=UserFactory(), status="registered"
    )
    Answer.objects.create(registration=registration, question=question, value="ASL")
    url = f"/api/v2/events/{api_world.published.pk}/attendances/{registration.pk}"

    answers = api_for("host").get(url).json()["strategists:questions_responses"]

    assert [(a["question"], a["responses"]) for a in answers] == [("Access needs", ["ASL"])]
    assert "strategists:questions_responses" not in api_for("member").get(url).json()
