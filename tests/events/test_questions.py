"""Questions per training: hosts add their own or a common one in a click, registrants answer
them, hosts read the answers (page, CSV, API shape) and the roll-up of access needs."""

import csv
import io

import pytest
from django.urls import reverse

from strategists.common.models import AuditEntry
from strategists.events import question_services, signup_selectors, signup_services
from strategists.events.models import Answer, Question
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def add_common(event, host, *keys):
    return [question_services.question_add_common(event=event, by=host, common=key) for key in keys]


def register(event, person, answers):
    return signup_services.registration_create_with_answers(
        event=event, person=person, answers=answers
    ).registration


def test_a_host_adds_common_questions_in_one_click_and_their_own(client_for, world):
    event = EventFactory(organization=world.organization)
    client = client_for("host")
    url = reverse("events:questions", kwargs={"pk": event.pk})

    client.post(url, {"common": "access"})
    client.post(url, {"common": "access"})  # twice is once
    client.post(
        url,
        {
            "label": "Which local?",
            "kind": "one",
            "choices": "Local 1\nLocal 2\n\nLocal 1",
            "required": "on",
        },
    )

    assert [(q.label, q.kind, q.choices, q.required, q.common) for q in event.questions.all()] == [
        (
            "Do you have access needs?",
            "several",
            [
                "ASL interpretation",
                "Live captions",
                "Step-free access",
                "Large print materials",
                "A quiet room",
            ],
            False,
            "access",
        ),
        ("Which local?", "one", ["Local 1", "Local 2"], True, ""),
    ]
    assert (
        list(AuditEntry.objects.filter(action="question.added").values_list("action", flat=True))
        == ["question.added"] * 2
    )


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"label": "", "kind": "short"}, {"label"}),
        ({"label": "Pick", "kind": "one", "choices": "Only one"}, {"choices"}),
        ({"label": "Pick", "kind": "nonsense"}, {"kind"}),
        ({"label": "x" * 301, "kind": "short"}, {"label"}),
        (
            {"label": "Pick", "kind": "several", "choices": "\n".join(map(str, range(31)))},
            {"choices"},
        ),
    ],
)
def test_bad_question_input_names_the_field(client_for, world, data, errors):
    event = EventFactory(organization=world.organization)

    response = client_for("host").post(reverse("events:questions", kwargs={"pk": event.pk}), data)

    assert response.status_code == 400
    assert set(response.context["form"].errors) == errors
    assert not event.questions.exists()


def test_an_unknown_common_question_is_refused(client_for, world):
    event = EventFactory(organization=world.organization)

    response = client_for("host").post(
        reverse("events:questions", kwargs={"pk": event.pk}), {"common": "horoscope"}
    )

    assert response.status_code == 400
    assert set(response.context["common_form"].errors) == {"common"}


def test_required_questions_must_be_answered_and_choices_must_be_offered(client, world):
    event = EventFactory(organization=world.organization)
    question = question_services.question_add(
        event=event,
        by=world.host,
        label="Which local?",
        kind="one",
        choices=["A", "B"],
        required=True,
    )
    url = reverse("events:register", kwargs={"pk": event.pk})
    data = {"name": "Rosa", "email": "rosa@example.org"}

    missing = client.post(url, data)
    invented = client.post(url, {**data, f"q_{question.pk}": "C"})

    assert missing.status_code == invented.status_code == 400
    assert set(missing.context["signup_form"].errors) == {f"q_{question.pk}"}
    assert set(invented.context["signup_form"].errors) == {f"q_{question.pk}"}


def test_answers_show_to_hosts_on_the_page_the_csv_and_roll_up(client_for, world):
    event = EventFactory(organization=world.organization)
    access, childcare, problem = add_common(event, world.host, "access", "childcare", "problem")
    answers = [
        {access.pk: ["ASL interpretation", "Live captions"], childcare.pk: True},
        {access.pk: ["ASL interpretation"], problem.pk: "=our list is a mess"},
        {access.pk: ["ASL interpretation"], childcare.pk: False},
    ]
    people = [UserFactory(name=f"Person {i}") for i in range(3)]
    for person, given in zip(people, answers, strict=True):
        register(event, person, given)
    client = client_for("host")

    page = client.get(reverse("events:attendees", kwargs={"pk": event.pk}))
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    reverse("events:attendees_csv", kwargs={"pk": event.pk})
                ).content.decode()
            )
        )
    )

    assert page.context["rollup"] == [
        ("ASL interpretation", 3),
        ("Childcare", 1),
        ("Live captions", 1),
    ]
    assert "3 need ASL interpretation" in page.content.decode()
    assert [(r["name"], r[access.label], r[childcare.label], r[problem.label]) for r in rows] == [
        ("Person 0", "ASL interpretation; Live captions", "Yes", ""),
        ("Person 1", "ASL interpretation", "", "'=our list is a mess"),
        ("Person 2", "ASL interpretation", "No", ""),
    ]


def test_answers_are_shaped_for_the_api(world):
    event = EventFactory(organization=world.organization)
    access, dietary = add_common(event, world.host, "access", "dietary")
    registration = register(
        event, UserFactory(), {access.pk: ["Live captions"], dietary.pk: "Vegan"}
    )

    assert signup_selectors.question_responses(registration) == [
        {
            "question_id": f"strategists:question:{access.pk}",
            "question": "Do you have access needs?",
            "responses": ["Live captions"],
        },
        {
            "question_id": f"strategists:question:{dietary.pk}",
            "question": "Any dietary needs?",
            "responses": ["Vegan"],
        },
    ]


def test_a_registrant_changes_their_answers_from_the_mailed_link(client, world):
    event = EventFactory(organization=world.organization)
    [dietary] = add_common(event, world.host, "dietary")
    registration = register(event, UserFactory(), {dietary.pk: "Vegan"})
    token = registration.token
    url = reverse("events:registration_answers", kwargs={"token": token})

    assert 'value="Vegan"' in client.get(url).content.decode()
    too_long = client.post(url, {f"q_{dietary.pk}": "x" * 301})
    client.post(url, {f"q_{dietary.pk}": "Halal"})

    assert too_long.status_code == 400
    assert set(too_long.context["form"].errors) == {f"q_{dietary.pk}"}
    assert list(Answer.objects.values_list("value", flat=True)) == ["Halal"]
    assert AuditEntry.objects.filter(action="registration.answers_changed").count() == 1


def test_removing_a_question_removes_its_answers(client_for, world):
    event = EventFactory(organization=world.organization)
    [dietary] = add_common(event, world.host, "dietary")
    register(event, UserFactory(), {dietary.pk: "Vegan"})

    client_for("host").post(
        reverse("events:question_delete", kwargs={"pk": event.pk, "question_pk": dietary.pk})
    )

    assert not Question.objects.exists() and not Answer.objects.exists()
    assert AuditEntry.objects.get(action="question.deleted").data["answers"] == 1


def test_a_host_of_another_training_cannot_remove_its_questions(client_for, world):
    event = EventFactory(organization=world.organization)
    other = EventFactory(organization=world.other_organization)
    [dietary] = add_common(event, world.host, "dietary")

    response = client_for("other_host").post(
        reverse("events:question_delete", kwargs={"pk": other.pk, "question_pk": dietary.pk})
    )

    assert response.status_code == 404
    assert Question.objects.count() == 1


@pytest.mark.parametrize("count", [1, 3])
def test_the_questions_page_query_count_does_not_grow(
    client_for, world, django_assert_num_queries, count
):
    event = EventFactory(organization=world.organization)
    keys = ["access", "childcare", "dietary"][:count]
    for question in add_common(event, world.host, *keys):
        register(
            event,
            UserFactory(),
            {
                question.pk: True
                if question.kind == "yes-no"
                else ["A"]
                if question.kind == "several"
                else "A"
            },
        )
    client = client_for("host")

    with django_assert_num_queries(6):
        response = client.get(reverse("events:questions", kwargs={"pk": event.pk}))

    assert [q.answer_count for q in response.context["questions"]] == [1] * count


@pytest.mark.parametrize("count", [1, 3])
def test_the_attendee_page_with_answers_query_count_does_not_grow(
    client_for, world, django_assert_num_queries, count
):
    event = EventFactory(organization=world.organization)
    [access] = add_common(event, world.host, "access")
    for _ in range(count):
        register(event, UserFactory(), {access.pk: ["Live captions"]})
    client = client_for("host")

    with django_assert_num_queries(8):
        response = client.get(reverse("events:attendees", kwargs={"pk": event.pk}))

    assert response.context["rollup"] == [("Live captions", count)]


def test_a_persons_answers_are_in_their_export_and_go_with_their_account(world):
    from strategists.accounts.services import account_delete
    from strategists.common import personal_data

    event = EventFactory(organization=world.organization)
    [access] = add_common(event, world.host, "access")
    person = UserFactory()
    register(event, person, {access.pk: ["Live captions"]})
    other = register(event, UserFactory(), {access.pk: ["A quiet room"]})

    exported = personal_data.export(person)["trainings"]["registrations"]
    account_delete(user=person, keep_credentials=True)

    assert [r["answers"] for r in exported] == [
        [{"question": "Do you have access needs?", "answer": ["Live captions"]}]
    ]
    assert list(Answer.objects.values_list("registration", "value")) == [
        (other.pk, ["A quiet room"])
    ]
