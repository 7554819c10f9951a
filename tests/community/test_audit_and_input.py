"""Every community service leaves an audit entry; every remaining form refuses bad input cleanly."""

import pytest

from strategists.common.models import AuditEntry
from strategists.community import mentoring_services, services
from strategists.community.models import (
    Circle,
    CircleModerator,
    Membership,
    Opportunity,
    Report,
    Thread,
)
from tests.community.conftest import circle, moderator, opportunity, thread

pytestmark = pytest.mark.django_db


def actions():
    return list(AuditEntry.objects.order_by("pk").values_list("action", "actor"))


def test_circle_services_are_audited(world):
    made = services.circle_create(
        by=world.coordinator, name="Texting tools", slug="texting-tools", kind="topic"
    )
    private = services.circle_create(
        by=world.coordinator, name="Organizers", slug="organizers", kind="role", members_only=True
    )
    services.circle_join(circle=made, user=world.member)
    services.circle_join(circle=private, user=world.member)
    services.circle_leave(circle=made, user=world.member)
    services.circle_join(circle=made, user=world.member)
    posted = services.thread_create(
        circle=made, author=world.member, title="Spoke?", body="Who uses it?"
    )
    report = services.post_report(thread=posted, reporter=world.other, reason="Off topic")
    services.report_dismiss(report=report, by=world.coordinator)

    assert actions() == [
        ("circle.created", world.coordinator.pk),
        ("circle.created", world.coordinator.pk),
        ("circle.joined", world.member.pk),
        ("circle.join_requested", world.member.pk),
        ("circle.left", world.member.pk),
        ("circle.joined", world.member.pk),
        ("thread.created", world.member.pk),
        ("post.reported", world.other.pk),
        ("report.dismissed", world.coordinator.pk),
    ]


def test_mentoring_request_is_audited(world):
    from strategists.accounts.models import SkillArea

    request = mentoring_services.mentor_request_create(
        user=world.member, areas=SkillArea.objects.filter(pk="web-and-cms")
    )

    entry = AuditEntry.objects.get(action="mentor_request.created")
    assert (entry.object_id, entry.data["after"]) == (str(request.pk), {"areas": ["web-and-cms"]})


@pytest.mark.parametrize(
    "data",
    [
        {"reason": ""},
        {"reason": "x" * 501},
        {"reason": "a" * 1_000_000},
        {"reply": "abc", "reason": "spam"},
        {"reply": "999999", "reason": "spam"},
    ],
)
def test_bad_hide_input_hides_nothing(client, world, data):
    campaigners = circle(members=[world.member])
    asked = thread(campaigners, world.member)
    client.force_login(world.coordinator)

    response = client.post(f"/circles/online-campaigners/threads/{asked.pk}/hide/", data)

    assert response.status_code in (302, 404)
    assert Thread.objects.get().hidden_at is None


@pytest.mark.parametrize("value", ["", "abc", "999999", "<script>", "1" * 1000])
def test_bad_moderator_input_grants_nothing(client, world, value):
    circle(members=[world.member])
    client.force_login(world.coordinator)

    response = client.post("/circles/online-campaigners/moderators/", {"user": value})

    assert (response.status_code, list(response.context["form"].errors)) == (200, ["user"])
    assert CircleModerator.objects.count() == 0


@pytest.mark.parametrize("pk", ["999999"])
def test_approving_a_missing_membership_is_not_found(client, world, pk):
    made = circle("organizers", members=[world.member], members_only=True)
    moderator(made, world.host)
    client.force_login(world.host)

    assert client.post(f"/circles/organizers/members/{pk}/approve/").status_code == 404
    assert Membership.objects.count() == 1


@pytest.mark.parametrize(
    "query",
    [
        "?kind=gig",
        "?region=mars",
        "?area=<script>",
        "?mine=maybe&remote=yes",
        "?area=" + "a" * 10_000,
    ],
)
def test_bad_opportunity_searches_show_the_page(client, world, query):
    opportunity(world.organization, title="Organizer")

    response = client.get(f"/opportunities/{query}")

    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
    assert [p.title for p in response.context["opportunities"]] in (["Organizer"], [])


@pytest.mark.parametrize("data", [{"reason": ""}, {"reason": "x" * 501}, {}])
def test_bad_removal_input_removes_nothing(client, world, data):
    post = opportunity(world.organization)
    client.force_login(world.coordinator)

    response = client.post(f"/opportunities/{post.pk}/remove/", data)

    assert response.status_code == 302
    assert Opportunity.objects.get().state == "published"


def test_a_missing_circle_or_thread_is_not_found(client, world):
    circle(members=[world.member])
    client.force_login(world.member)

    assert client.get("/circles/nope/").status_code == 404
    assert client.get("/circles/online-campaigners/threads/999999/").status_code == 404
    assert client.post("/circles/nope/join/").status_code == 404
    assert (Circle.objects.count(), Report.objects.count()) == (1, 0)
