"""An attendee answers from the mailed link; the answers roll up per training, per trainer and
per host organization, with response rates."""

import pytest
from django.urls import reverse

from strategists.common.models import AuditEntry
from strategists.surveys import selectors
from strategists.surveys.models import SurveyResponse
from tests.factories import OrganizationFactory, UserFactory
from tests.surveys.conftest import completed_training, people, survey_token

pytestmark = pytest.mark.django_db


def answer(client, person, **data):
    url = reverse("surveys:answer", kwargs={"token": survey_token(person)})
    return client.post(url, {"overall": "4", **data})


def test_an_attendee_answers_once_without_signing_in(client, world):
    person = UserFactory()
    trainer = UserFactory(name="Tess Trainer")
    event = completed_training(
        world.organization, world.host, attendees=[person], trainers=[trainer]
    )
    url = reverse("surveys:answer", kwargs={"token": survey_token(person)})

    page = client.get(url)
    response = client.post(
        url,
        {
            "overall": "5",
            "area_email-and-lists": "4",
            "area_digital-security": "",
            f"trainer_{trainer.pk}": "5",
            "improve": "More time for practice.",
            "comments": "Great day.",
        },
    )
    again = client.post(url, {"overall": "1"})

    assert list(page.context["form"].fields) == [
        "overall",
        "area_email-and-lists",
        "area_digital-security",
        f"trainer_{trainer.pk}",
        "improve",
        "comments",
    ]
    assert (response.status_code, response["Location"]) == (302, url)
    assert "Your answers about" in again.content.decode()
    saved = SurveyResponse.objects.get(event=event)
    assert (saved.overall, saved.improve, saved.comments) == (
        5,
        "More time for practice.",
        "Great day.",
    )
    assert list(saved.area_ratings.values_list("area_id", "rating")) == [("email-and-lists", 4)]
    assert list(saved.trainer_ratings.values_list("trainer__name", "rating")) == [
        ("Tess Trainer", 5)
    ]
    entry = AuditEntry.objects.get(action="survey.answered")
    assert (entry.actor, entry.data) == (None, {"event": event.pk})


def test_answers_roll_up_per_training_trainer_and_organization(client, world):
    trainer = UserFactory(name="Tess Trainer")
    attendees = people(4)
    event = completed_training(
        world.organization, world.host, attendees=attendees, trainers=[trainer]
    )
    for person, overall, area, rating in zip(
        attendees[:3], ["5", "4", "2"], ["5", "3", ""], ["4", "", "2"], strict=True
    ):
        answer(
            client,
            person,
            overall=overall,
            **{"area_email-and-lists": area, f"trainer_{trainer.pk}": rating},
        )
    other_org = OrganizationFactory(name="Local 3003")
    other = completed_training(other_org, world.coordinator, attendees=people(2))
    answer(client, other.registrations.first().person, overall="3")

    results = selectors.training_results(event)
    trainings = {e.title: e for e in selectors.trainings_with_results(world.coordinator)}
    organizations = {o.name: o for o in selectors.organizations_with_results(world.coordinator)}
    trainers = selectors.trainers_with_results(world.coordinator)

    assert (results.invited, results.answered, results.response_rate) == (4, 3, 75)
    assert results.overall_mean == pytest.approx(11 / 3)
    assert results.distribution == [(5, 1), (4, 1), (3, 0), (2, 1), (1, 0)]
    assert results.areas == [{"name": "Email and lists", "mean": 4.0, "count": 2}]
    assert results.trainers == [
        {"trainer_id": trainer.pk, "name": "Tess Trainer", "mean": 3.0, "count": 2}
    ]
    assert [
        (e.invited, e.answered, e.response_rate, e.overall_mean)
        for e in (trainings[event.title], trainings[other.title])
    ] == [(4, 3, 75, pytest.approx(11 / 3)), (2, 1, 50, 3.0)]
    assert [
        (o.trainings, o.invited, o.answered, o.response_rate)
        for o in (organizations["Local 1001"], organizations["Local 3003"])
    ] == [(1, 4, 3, 75), (1, 2, 1, 50)]
    assert [(t.name, t.invited, t.answered, t.ratings, t.rating_mean) for t in trainers] == [
        ("Tess Trainer", 4, 3, 2, 3.0)
    ]


def test_hosts_and_trainers_see_only_their_own_results(world):
    trainer = UserFactory(name="Tess Trainer")
    mine = completed_training(
        world.organization, world.host, attendees=people(1), trainers=[trainer]
    )
    other_org = OrganizationFactory(name="Local 3003")
    theirs = completed_training(other_org, world.coordinator, attendees=people(1))

    assert [e.pk for e in selectors.trainings_with_results(world.host)] == [mine.pk]
    assert [o.name for o in selectors.organizations_with_results(world.host)] == ["Local 1001"]
    assert selectors.trainers_with_results(world.host) == []
    assert [e.pk for e in selectors.trainings_with_results(trainer)] == [mine.pk]
    assert [t.pk for t in selectors.trainers_with_results(trainer)] == [trainer.pk]
    assert sorted(e.pk for e in selectors.trainings_with_results(world.coordinator)) == sorted(
        [mine.pk, theirs.pk]
    )


def test_a_trainer_sees_only_their_own_rating_on_a_training_they_taught(client, world):
    tess, theo = UserFactory(name="Tess Trainer"), UserFactory(name="Theo Trainer")
    person = UserFactory()
    event = completed_training(
        world.organization, world.host, attendees=[person], trainers=[tess, theo]
    )
    answer(client, person, **{f"trainer_{tess.pk}": "5", f"trainer_{theo.pk}": "3"})
    url = reverse("surveys:training_results", kwargs={"pk": event.pk})

    client.force_login(tess)
    as_trainer = client.get(url).context["results"].trainers
    client.force_login(world.host)
    as_host = client.get(url).context["results"].trainers

    assert [row["name"] for row in as_trainer] == ["Tess Trainer"]
    assert [row["name"] for row in as_host] == ["Tess Trainer", "Theo Trainer"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"overall": ""}, "overall", "This field is required."),
        ({"overall": "9"}, "overall", "Select a valid choice. 9 is not one of the available choices."),
        ({"overall": "3", "area_email-and-lists": "0"}, "area_email-and-lists", "Select a valid choice. 0 is not one of the available choices."),
        ({"overall": "3", "improve": "x" * 2001}, "improve", "Ensure this value has at most 2000 characters (it has 2001)."),
        ({"overall": "3", "comments": "bad\x00text"}, "comments", "Null characters are not allowed."),
    ],
)  # fmt: skip
def test_bad_answers_name_the_field_and_save_nothing(client, world, data, field, message):
    person = UserFactory()
    completed_training(world.organization, world.host, attendees=[person])
    url = reverse("surveys:answer", kwargs={"token": survey_token(person)})

    response = client.post(url, data)

    assert (response.status_code, response.context["form"].errors[field]) == (200, [message])
    assert SurveyResponse.objects.count() == 0


@pytest.mark.parametrize("token", ["not-a-token", "x" * 500])
def test_an_unknown_link_is_a_404_page(client, db, token):
    response = client.get(reverse("surveys:answer", kwargs={"token": token}))

    assert (response.status_code, "This link does not work" in response.content.decode()) == (
        404,
        True,
    )


def test_an_old_link_is_closed(client, world):
    from django.utils import timezone

    from strategists.surveys.models import SurveyInvitation

    person = UserFactory()
    completed_training(world.organization, world.host, attendees=[person])
    SurveyInvitation.objects.update(sent_at=timezone.now() - timezone.timedelta(days=31))

    response = client.post(
        reverse("surveys:answer", kwargs={"token": survey_token(person)}), {"overall": "4"}
    )

    assert response.status_code == 410
    assert SurveyResponse.objects.count() == 0


def test_the_survey_form_is_rate_limited(client, world, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "survey": {"ip": "3/h"}}
    person = UserFactory()
    completed_training(world.organization, world.host, attendees=[person])
    url = reverse("surveys:answer", kwargs={"token": survey_token(person)})

    statuses = [client.post(url, {"overall": ""}).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_a_persons_export_has_their_surveys_and_deletion_keeps_the_counts(client, world):
    from strategists.common import personal_data

    person = UserFactory()
    event = completed_training(world.organization, world.host, attendees=[person, UserFactory()])
    answer(client, person, improve="Longer lunch.", comments="Thanks!")

    exported = personal_data.export(person)["surveys"]["surveys"]
    personal_data.erase(person, keep_credentials=True)

    assert [(s["event"]["id"], s["overall"], s["improve"]) for s in exported] == [
        (event.pk, 4, "Longer lunch.")
    ]
    results = selectors.training_results(event)
    assert (results.invited, results.answered, results.improve) == (2, 1, [])
