"""Where sign-ups come from: ?source=, utm_* and share links per host, partner organization or
person, stored in Action Network's referrer_data shape and counted for the hosts."""

import pytest
from django.urls import reverse

from strategists.common.models import AuditEntry
from strategists.events import question_services, signup_services
from strategists.events.models import ShareLink
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def register(event, referrer_data):
    return signup_services.registration_create_with_answers(
        event=event, person=UserFactory(), referrer_data=referrer_data
    ).registration


def test_a_host_makes_a_share_link_and_sees_what_each_source_brought(client_for, world):
    event = EventFactory(organization=world.organization)
    client = client_for("host")
    url = reverse("events:sources", kwargs={"pk": event.pk})
    client.post(url, {"kind": "organization", "label": "Jobs With Justice"})
    link = ShareLink.objects.get()
    register(event, {"referrer": link.code, "source": "flyer"})
    register(event, {"referrer": link.code, "utm_source": "mastodon", "utm_campaign": "spring"})
    register(event, {"source": "flyer", "website": "https://union.example/news"})
    register(event, {})

    response = client.get(url)

    assert link.code.startswith("jobs-with-justice-")
    assert response.context["counts"] == {
        "source": [("flyer", 2)],
        "referrer": [("Jobs With Justice", 2)],
        "utm_source": [("mastodon", 1)],
        "utm_campaign": [("spring", 1)],
        "website": [("union.example", 1)],
    }
    assert [(shown.label, n) for shown, _url, n in response.context["links"]] == [
        ("Jobs With Justice", 2)
    ]
    assert f"/trainings/{event.pk}/?ref={link.code}" in response.content.decode()
    assert AuditEntry.objects.filter(action="share_link.created").count() == 1


def test_cancelled_signups_are_not_counted(world):
    from strategists.events import registration_services, signup_selectors

    event = EventFactory(organization=world.organization)
    registration = register(event, {"source": "flyer"})
    registration_services.registration_cancel(registration=registration)

    assert signup_selectors.source_counts(event)["source"] == []


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"kind": "person", "label": ""}, {"label"}),
        ({"kind": "planet", "label": "Mars"}, {"kind"}),
        ({"kind": "person", "label": "x" * 121}, {"label"}),
    ],
)
def test_bad_share_link_input_names_the_field(client_for, world, data, errors):
    event = EventFactory(organization=world.organization)

    response = client_for("host").post(reverse("events:sources", kwargs={"pk": event.pk}), data)

    assert response.status_code == 400
    assert set(response.context["form"].errors) == errors
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("count", [1, 3])
def test_the_sources_page_query_count_does_not_grow(
    client_for, world, django_assert_num_queries, count
):
    event = EventFactory(organization=world.organization)
    for i in range(count):
        link = question_services.share_link_create(
            event=event, by=world.host, kind="person", label=f"Person {i}"
        )
        register(event, {"referrer": link.code})
    client = client_for("host")

    with django_assert_num_queries(7):
        response = client.get(reverse("events:sources", kwargs={"pk": event.pk}))

    assert [n for _link, _url, n in response.context["links"]] == [1] * count
