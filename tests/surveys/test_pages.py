"""The results pages: what each reader sees, in a number of queries that doesn't grow, and the
link on the training page."""

import pytest
from django.urls import reverse

from tests.factories import OrganizationFactory, UserFactory
from tests.surveys.conftest import completed_training, people

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [1, 3])
def test_results_query_count_does_not_grow(client_for, world, django_assert_num_queries, count):
    trainers = people(count)
    for index in range(count):
        organization = OrganizationFactory()
        completed_training(
            organization, world.coordinator, attendees=people(2), trainers=[trainers[index]]
        )
    client = client_for("coordinator")

    with django_assert_num_queries(5):
        response = client.get(reverse("surveys:results"))

    assert len(response.context["trainings"]) == count
    assert len(response.context["organizations"]) == count
    assert sorted(t.name for t in response.context["trainers"]) == sorted(t.name for t in trainers)
    assert all(t.name in response.content.decode() for t in trainers)


@pytest.mark.parametrize("count", [1, 3])
def test_training_results_query_count_does_not_grow(
    client_for, world, django_assert_num_queries, count
):
    from tests.surveys.test_answers import answer

    trainers = people(count)
    attendees = people(count)
    event = completed_training(
        world.organization, world.host, attendees=attendees, trainers=trainers
    )
    for person in attendees:
        answer(
            client_for("visitor"),
            person,
            improve=f"Improve {person.pk}",
            **{f"trainer_{t.pk}": "4" for t in trainers},
        )
    client = client_for("host")

    with django_assert_num_queries(11):
        response = client.get(reverse("surveys:training_results", kwargs={"pk": event.pk}))

    results = response.context["results"]
    assert (results.answered, len(results.trainers), len(results.improve)) == (
        count,
        count,
        count,
    )


def test_the_training_page_links_the_results_for_its_host_only(client_for, world):
    event = completed_training(world.organization, world.host, attendees=[UserFactory()])
    url = reverse("events:detail", kwargs={"pk": event.pk})
    link = reverse("surveys:training_results", kwargs={"pk": event.pk})

    assert link in client_for("host").get(url).content.decode()
    assert link not in client_for("member").get(url).content.decode()
