import pytest

from strategists.accounts import demo as accounts_demo
from strategists.community import demo, selectors
from strategists.community.models import (
    Circle,
    Mentorship,
    Opportunity,
    RegistryListing,
    Reply,
    Thread,
)
from strategists.curriculum import demo as curriculum_demo
from strategists.events import demo as events_demo

pytestmark = pytest.mark.django_db


def counts():
    return (
        Circle.objects.count(),
        Thread.objects.count(),
        Reply.objects.count(),
        RegistryListing.objects.count(),
        Mentorship.objects.count(),
        Opportunity.objects.count(),
    )


def test_the_demo_shows_circles_a_pair_the_registry_and_opportunities_and_is_idempotent(client):
    for module in (accounts_demo, events_demo, curriculum_demo, demo):
        module.build(log=lambda message: None, seed=1000)
    first = counts()
    demo.build(log=lambda message: None, seed=1000)

    assert counts() == first
    assert (
        Circle.objects.filter(
            slug__in=[
                "union-webmasters",
                "online-campaigners",
                "canada",
                "worker-centers",
                "texting-tools",
            ]
        ).count()
        == 5
    )
    assert first[1] >= 10 and first[2] >= 15
    assert Mentorship.objects.get().state == "active"
    listed = [person.email for person in selectors.registry()]
    assert "certified@example.org" in listed and len(listed) >= 10
    assert len(client.get("/opportunities/").context["opportunities"]) == 5
    assert len(client.get("/strategists/").context["people"]) == len(listed)
    from strategists.accounts.models import User

    client.force_login(User.objects.get(email="member@example.org"))
    assert [t.title for t in client.get("/circles/texting-tools/").context["threads"]][-1] == (
        "Spoke vs. Hustle for a 4,000-member local?"
    )
    assert len(client.get("/mentoring/").context["mentorships"]) == 1
