"""Circle threads about a directory resource, and the page the directory links to."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from strategists.community.models import Thread
from tests.community.conftest import circle, resource, thread
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_thread_about_a_resource_links_both_ways(client, world):
    circle(members=[world.member])
    spoke = resource()
    client.force_login(world.member)

    form = client.get("/circles/online-campaigners/threads/new/?resource=R900").context["form"]
    client.post(
        "/circles/online-campaigners/threads/new/",
        {
            "title": "Spoke for a big local?",
            "body": "Has anyone run it at scale?",
            "resource": "r900",
        },
    )

    posted = Thread.objects.get()
    assert (form.initial["resource"], posted.resource) == ("R900", spoke)
    page = client.get(f"/circles/online-campaigners/threads/{posted.pk}/").content.decode()
    assert '<a href="/where-to-go/r/R900/">Spoke</a>' in page
    assert client.get("/circles/about/R900/").context["threads"] == [posted]


@pytest.mark.parametrize("value", ["R999", "<script>", "x" * 21, "R901"])
def test_a_thread_cannot_point_at_a_missing_or_unlisted_resource(client, world, value):
    circle(members=[world.member])
    resource(public_id="R901", status="pending")
    client.force_login(world.member)

    response = client.post(
        "/circles/online-campaigners/threads/new/", {"title": "T", "body": "B", "resource": value}
    )

    assert list(response.context["form"].errors) == ["resource"]
    assert Thread.objects.count() == 0


def test_threads_of_a_members_only_circle_stay_hidden_from_the_resource_page(client, world):
    spoke = resource()
    private = circle("organizers", members=[world.member], members_only=True)
    public = circle(members=[world.member])
    secret = thread(private, world.member, title="Our Spoke budget")
    Thread.objects.filter(pk=secret.pk).update(resource=spoke)
    open_one = thread(public, world.member, title="Spoke tips")
    Thread.objects.filter(pk=open_one.pk).update(resource=spoke)

    client.force_login(world.other)
    assert [t.title for t in client.get("/circles/about/R900/").context["threads"]] == [
        "Spoke tips"
    ]
    client.force_login(world.member)
    assert sorted(t.title for t in client.get("/circles/about/R900/").context["threads"]) == [
        "Our Spoke budget",
        "Spoke tips",
    ]


def test_an_unlisted_resource_has_no_discussion_page(client, world):
    resource(status="pending")
    client.force_login(world.member)

    assert client.get("/circles/about/R900/").status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_the_resource_discussion_page_takes_a_fixed_number_of_queries(client, world, count):
    spoke = resource()
    campaigners = circle(members=[world.member])
    for n in range(count):
        Thread.objects.filter(pk=thread(campaigners, UserFactory(), title=f"T{n}").pk).update(
            resource=spoke
        )
    client.force_login(world.member)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/circles/about/R900/")

    assert len(response.context["threads"]) == count
    assert len(queries) == 5  # session, user, resource, threads with circle and author, my circles


def test_the_directory_page_of_a_resource_links_to_its_circle_threads(client, world):
    resource()

    page = client.get("/where-to-go/r/R900/").content.decode()
    client.force_login(world.member)
    threads = client.get("/circles/about/R900/")

    link = '<p id="resource-circles"><a href="/circles/about/R900/">'
    assert (link in page, threads.status_code) == (True, 200)
