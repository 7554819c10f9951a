import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from strategists.common.models import AuditEntry, OutgoingMail
from strategists.community import services
from strategists.community.models import Circle, CircleModerator, Membership, Reply, Report, Thread
from tests.community.conftest import circle, moderator, thread
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_joins_an_open_circle_and_posts_a_thread(client, world):
    campaigners = circle()
    client.force_login(world.member)

    client.post("/circles/online-campaigners/join/")
    response = client.post(
        "/circles/online-campaigners/threads/new/",
        {"title": "Which texting tool?", "body": "We tried **Spoke** and Hustle."},
    )

    posted = Thread.objects.get()
    assert response.url == f"/circles/online-campaigners/threads/{posted.pk}/"
    assert (posted.circle, posted.author, posted.body_html) == (
        campaigners,
        world.member,
        "<p>We tried <strong>Spoke</strong> and Hustle.</p>\n",
    )
    assert list(
        AuditEntry.objects.filter(action__in=["circle.joined", "thread.created"])
        .values_list("action", flat=True)
        .order_by("pk")
    ) == ["circle.joined", "thread.created"]
    page = client.get(response.url).content.decode()
    assert "<strong>Spoke</strong>" in page


def test_someone_who_has_not_joined_cannot_post(client, world):
    circle()
    client.force_login(world.member)

    response = client.post(
        "/circles/online-campaigners/threads/new/", {"title": "Hi", "body": "Hello"}
    )

    assert (response.status_code, Thread.objects.count()) == (403, 0)
    with pytest.raises(PermissionDenied):
        services.thread_create(
            circle=Circle.objects.get(), author=world.member, title="Hi", body="Hello"
        )


def test_a_reply_that_mentions_an_expert_mails_the_expert(client, world, commit):
    campaigners = circle(members=[world.member, world.other])
    asked = thread(campaigners, world.member)
    client.force_login(world.other)

    with commit():
        client.post(
            f"/circles/online-campaigners/threads/{asked.pk}/",
            {"body": "Ask @[Ed Expert], who set up Spoke for three locals."},
        )

    mail = OutgoingMail.objects.get(kind="circle-mention")
    reply = Reply.objects.get()
    assert (mail.to, mail.subject) == (
        "expert@example.net",
        "Otto Other mentioned you in Online Campaigners",
    )
    assert f"/circles/online-campaigners/threads/{asked.pk}/#reply-{reply.pk}" in mail.body
    assert AuditEntry.objects.get(action="reply.created").data["mentioned"] == [world.expert.pk]


def test_the_mention_mail_is_in_the_persons_language(world, commit):
    world.expert.preferred_language = "es"
    world.expert.save()
    campaigners = circle(members=[world.member])

    services.thread_create(
        circle=campaigners, author=world.member, title="Hola", body="@[Ed Expert] ayuda"
    )

    assert OutgoingMail.objects.get(kind="circle-mention").language == "es"


def test_a_mention_in_a_members_only_circle_reaches_only_members(world):
    private = circle("organizers", members=[world.member], members_only=True)

    services.thread_create(
        circle=private, author=world.member, title="Budget", body="@[Ed Expert] look"
    )

    assert OutgoingMail.objects.filter(kind="circle-mention").count() == 0


def test_a_name_shared_by_two_people_is_not_guessed(world):
    UserFactory(name="Ed Expert", email="ed2@example.net")
    campaigners = circle(members=[world.member])

    services.thread_create(circle=campaigners, author=world.member, title="Q", body="@[Ed Expert]?")

    assert OutgoingMail.objects.filter(kind="circle-mention").count() == 0


def test_threads_of_a_members_only_circle_are_hidden_from_others(client, world):
    private = circle("organizers", members=[world.member], members_only=True)
    secret = thread(private, world.member, title="Our contract fight")

    client.force_login(world.other)
    assert client.get("/circles/organizers/").status_code == 404
    assert client.get(f"/circles/organizers/threads/{secret.pk}/").status_code == 404
    client.force_login(world.member)
    assert client.get(f"/circles/organizers/threads/{secret.pk}/").context["thread"] == secret


def test_joining_a_members_only_circle_waits_for_a_moderator(client, world):
    private = circle("organizers", members=[world.member], members_only=True)
    moderator(private, world.member)
    client.force_login(world.other)

    client.post("/circles/organizers/join/")

    membership = Membership.objects.get(user=world.other)
    assert membership.state == "pending"
    assert client.get("/circles/organizers/").status_code == 404
    client.force_login(world.member)
    client.post(f"/circles/organizers/members/{membership.pk}/approve/")
    assert Membership.objects.get(pk=membership.pk).state == "active"
    assert (
        AuditEntry.objects.filter(
            action="circle.member_approved", object_id=str(membership.pk)
        ).count()
        == 1
    )
    client.force_login(world.other)
    assert client.get("/circles/organizers/").status_code == 200


def test_a_moderator_hides_a_reported_reply_with_a_reason(client, world):
    campaigners = circle(members=[world.member, world.other])
    moderator(campaigners, world.host)
    asked = thread(campaigners, world.member)
    rude = Reply.objects.create(
        thread=asked, author=world.other, body="rude", body_html="<p>rude</p>"
    )
    client.force_login(world.member)
    client.post(
        f"/circles/online-campaigners/threads/{asked.pk}/report/",
        {"reply": rude.pk, "reason": "Insults"},
    )
    client.force_login(world.host)
    assert [
        r.reason for r in client.get("/circles/online-campaigners/reports/").context["reports"]
    ] == ["Insults"]

    client.post(
        f"/circles/online-campaigners/threads/{asked.pk}/hide/",
        {"reply": rude.pk, "reason": "Personal attack"},
    )

    rude.refresh_from_db()
    assert (rude.hidden_by, rude.hidden_reason) == (world.host, "Personal attack")
    assert Report.objects.get().resolved_by == world.host
    assert AuditEntry.objects.get(action="reply.hidden").data["after"] == {
        "reason": "Personal attack"
    }
    client.force_login(world.member)
    page = client.get(f"/circles/online-campaigners/threads/{asked.pk}/").content.decode()
    assert "Hidden by the moderators: Personal attack" in page
    assert "<p>rude</p>" not in page


def test_only_moderators_and_coordinators_hide(world):
    campaigners = circle(members=[world.member])
    asked = thread(campaigners, world.member)

    with pytest.raises(PermissionDenied):
        services.post_hide(post=asked, by=world.member, reason="mine")
    with pytest.raises(ValidationError):
        services.post_hide(post=asked, by=world.coordinator, reason="   ")
    services.post_hide(post=asked, by=world.coordinator, reason="Off topic")
    assert Thread.objects.get().hidden_reason == "Off topic"


def test_a_coordinator_grants_and_revokes_a_moderator(client, world):
    campaigners = circle(members=[world.member])
    client.force_login(world.coordinator)

    client.post("/circles/online-campaigners/moderators/", {"user": world.member.pk})
    grant = CircleModerator.objects.get()
    assert (
        grant.user,
        grant.granted_by,
        world.member.has_perm("community.moderate_circle", campaigners),
    ) == (world.member, world.coordinator, True)
    client.post(f"/circles/online-campaigners/moderators/{grant.pk}/revoke/")

    grant.refresh_from_db()
    assert (grant.revoked_by, world.member.has_perm("community.moderate_circle", campaigners)) == (
        world.coordinator,
        False,
    )
    assert list(
        AuditEntry.objects.filter(action__startswith="circle_moderator.")
        .values_list("action", "actor")
        .order_by("pk")
    ) == [
        ("circle_moderator.granted", world.coordinator.pk),
        ("circle_moderator.revoked", world.coordinator.pk),
    ]


def test_a_moderator_cannot_be_granted_to_someone_outside_the_circle(client, world):
    circle(members=[world.member])
    client.force_login(world.coordinator)

    response = client.post("/circles/online-campaigners/moderators/", {"user": world.other.pk})

    assert list(response.context["form"].errors) == ["user"]
    assert CircleModerator.objects.count() == 0


def test_the_weekly_digest_mails_each_member_once_in_their_language(world):
    world.other.preferred_language = "fr"
    world.other.save()
    campaigners = circle(members=[world.member, world.other])
    Membership.objects.update(created_at=timezone.now() - dt.timedelta(days=10))
    thread(campaigners, world.member, title="Which texting tool?")
    later = timezone.now() + dt.timedelta(minutes=1)

    assert services.digests_send_due(now=later) == 1
    assert services.digests_send_due(now=later + dt.timedelta(hours=1)) == 0

    mail = OutgoingMail.objects.get(kind="circle-digest")
    assert (mail.to, mail.language) == ("other@example.net", "fr")
    assert "Which texting tool?" in mail.body
    assert AuditEntry.objects.filter(action="circle.digest_sent").count() == 1


def test_the_digest_leaves_out_hidden_posts_and_own_posts(world):
    campaigners = circle(members=[world.member, world.other])
    Membership.objects.update(created_at=timezone.now() - dt.timedelta(days=10))
    hidden = thread(campaigners, world.other, title="Spam")
    Thread.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())

    assert services.digests_send_due(now=timezone.now() + dt.timedelta(minutes=1)) == 0


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "body": "x"},
        {"title": "x" * 201, "body": "x"},
        {"title": "Hi", "body": ""},
        {"title": "Hi", "body": "   "},
        {"title": "Hi", "body": "a" * 1_000_000},
    ],
)
def test_bad_thread_input_is_refused(client, world, data):
    circle(members=[world.member])
    client.force_login(world.member)

    response = client.post("/circles/online-campaigners/threads/new/", data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert Thread.objects.count() == 0


def test_script_in_a_post_is_neutralized(client, world):
    circle(members=[world.member])
    client.force_login(world.member)

    client.post(
        "/circles/online-campaigners/threads/new/",
        {
            "title": "<script>alert(1)</script>",
            "body": "<script>alert(2)</script> [x](javascript:alert(3))",
        },
    )

    page = client.get(
        f"/circles/online-campaigners/threads/{Thread.objects.get().pk}/"
    ).content.decode()
    assert "<script>alert" not in page
    assert 'href="javascript' not in page


@pytest.mark.parametrize("data", [{"body": ""}, {"body": "a" * 1_000_000}, {}])
def test_bad_reply_input_is_refused(client, world, data):
    campaigners = circle(members=[world.member])
    asked = thread(campaigners, world.member)
    client.force_login(world.member)

    response = client.post(f"/circles/online-campaigners/threads/{asked.pk}/", data)

    assert (response.status_code, list(response.context["form"].errors)) == (200, ["body"])
    assert Reply.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"reason": ""},
        {"reason": "x" * 501},
        {"reply": "abc", "reason": "x"},
        {"reply": "999999", "reason": "x"},
    ],
)
def test_bad_report_input_files_nothing(client, world, data):
    campaigners = circle(members=[world.member])
    asked = thread(campaigners, world.member)
    client.force_login(world.other)

    response = client.post(f"/circles/online-campaigners/threads/{asked.pk}/report/", data)

    assert response.status_code in (302, 404)
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"slug": "bad slug!", "name": "X", "kind": "topic"},
        {"slug": "x", "name": "", "kind": "topic"},
        {"slug": "x", "name": "X", "kind": "party"},
        {"slug": "new", "name": "X", "kind": "topic"},
        {"slug": "x", "name": "X", "kind": "topic", "description": "a" * 1_000_000},
    ],
)
def test_bad_circle_input_is_refused(client, world, data):
    client.force_login(world.coordinator)

    response = client.post("/circles/new/", data)

    assert (response.status_code, Circle.objects.count()) == (200, 0)
    assert response.context["form"].errors


def _threads(count, author):
    campaigners = Circle.objects.get()
    for n in range(count):
        posted = thread(campaigners, UserFactory(), title=f"Thread {n}")
        Reply.objects.create(thread=posted, author=author, body="yes", body_html="<p>yes</p>")


@pytest.mark.parametrize("count", [1, 3])
def test_the_circle_list_takes_a_fixed_number_of_queries(client, world, count):
    for n in range(count):
        circle(f"circle-{n}", members=[world.member, world.other])
    client.force_login(world.member)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/circles/")

    assert len(response.context["circles"]) == count
    # session, user, circles with counts and my state, the permission backend's two look-ups
    assert len(queries) == 5


@pytest.mark.parametrize("count", [1, 3])
def test_the_thread_list_takes_a_fixed_number_of_queries(client, world, count):
    circle(members=[world.member])
    _threads(count, world.member)
    client.force_login(world.member)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/circles/online-campaigners/")

    assert len(response.context["threads"]) == count
    # session, user, circle, may read (membership), membership, may post, may moderate (2), threads, moderators
    assert len(queries) == 10


@pytest.mark.parametrize("count", [1, 3])
def test_a_thread_page_takes_a_fixed_number_of_queries(client, world, count):
    campaigners = circle(members=[world.member])
    asked = thread(campaigners, world.member)
    for n in range(count):
        Reply.objects.create(
            thread=asked, author=UserFactory(), body=f"r{n}", body_html=f"<p>r{n}</p>"
        )
    client.force_login(world.member)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/circles/online-campaigners/threads/{asked.pk}/")

    assert len(response.context["replies"]) == count
    # circle, session, user, thread, replies, may post (membership), may moderate (grant)
    assert len(queries) == 7


@pytest.mark.parametrize("count", [1, 3])
def test_the_report_list_takes_a_fixed_number_of_queries(client, world, count):
    campaigners = circle(members=[world.member])
    for n in range(count):
        Report.objects.create(
            thread=thread(campaigners, UserFactory(), title=f"T{n}"),
            reporter=UserFactory(),
            reason="spam",
        )
    client.force_login(world.coordinator)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/circles/online-campaigners/reports/")

    assert len(response.context["reports"]) == count
    # circle, session, user, may moderate (grant), reports with their posts and people
    assert len(queries) == 5


@pytest.mark.parametrize("count", [1, 3])
def test_the_moderator_list_takes_a_fixed_number_of_queries(client, world, count):
    campaigners = circle(members=[world.member])
    for _n in range(count):
        moderator(campaigners, UserFactory(), by=world.coordinator)
    client.force_login(world.coordinator)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/circles/online-campaigners/moderators/")

    assert len(response.context["moderators"]) == count
    assert len(queries) == 5


def test_a_hidden_thread_shows_readers_only_the_reason_and_takes_no_replies(client, world):
    campaigners = circle(members=[world.member, world.other])
    asked = thread(campaigners, world.member, title="Buy my course")
    Reply.objects.create(
        thread=asked, author=world.other, body="spam too", body_html="<p>spam too</p>"
    )
    services.post_hide(post=asked, by=world.coordinator, reason="Advertising")
    client.force_login(world.other)

    response = client.get(f"/circles/online-campaigners/threads/{asked.pk}/")
    client.post(f"/circles/online-campaigners/threads/{asked.pk}/", {"body": "More"})

    body = response.content.decode()
    assert (response.context["replies"], response.context["can_post"]) == ([], False)
    assert "Hidden by the moderators: Advertising" in body and "Buy my course" not in body
    assert Reply.objects.count() == 1
    client.force_login(world.coordinator)
    assert (
        len(client.get(f"/circles/online-campaigners/threads/{asked.pk}/").context["replies"]) == 1
    )
