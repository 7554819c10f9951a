"""A host's or coordinator's message reaches exactly its segment, through the outbox, in HTML and
plain text, with one-click unsubscribe headers; it is logged and audited."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from strategists.common.models import AuditEntry, OutgoingMail
from strategists.events.models import Event
from strategists.messaging.models import Delivery, Message, Unsubscription
from tests.factories import EventFactory, UserFactory
from tests.messaging.conftest import register

pytestmark = pytest.mark.django_db

BODY = {"subject": "Bring a laptop & charger", "body": "See you Saturday.\nhttps://example.org/map"}


def compose_url(**params) -> str:
    from urllib.parse import urlencode

    return reverse("messaging:compose") + "?" + urlencode(params)


def send(client, url, data=BODY, capture=None):
    with capture(execute=True):
        return client.post(url, data)


def recipients(message) -> set[str]:
    return set(Delivery.objects.filter(message=message).values_list("person__email", flat=True))


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        ("all", {"came", "missed", "waiting", "offered"}),
        ("confirmed", {"came", "missed"}),
        ("waitlist", {"waiting", "offered"}),
        ("checked-in", {"came"}),
    ],
)
def test_host_message_reaches_exactly_its_segment(
    client_for, world, training, mailoutbox, django_capture_on_commit_callbacks, group, expected
):
    client = client_for("host")
    response = send(
        client,
        compose_url(segment="training", event=training.pk, group=group),
        capture=django_capture_on_commit_callbacks,
    )
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:detail", args=[message.pk])
    emails = {f"{name}@example.org" for name in expected}
    assert recipients(message) == emails
    assert {m.to[0] for m in mailoutbox} == emails
    assert message.recipients == len(expected)
    assert message.sender == world.host
    assert message.kind == Message.Kind.HOST


def test_no_shows_are_those_who_held_a_seat_at_a_past_training_and_did_not_come(
    client_for, world, training, django_capture_on_commit_callbacks
):
    Event.objects.filter(pk=training.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=2) + dt.timedelta(hours=6),
    )
    send(
        client_for("host"),
        compose_url(segment="training", event=training.pk, group="no-show"),
        capture=django_capture_on_commit_callbacks,
    )
    assert recipients(Message.objects.get()) == {"missed@example.org"}


def test_nobody_has_missed_a_training_that_has_not_begun(client_for, training):
    response = client_for("host").get(
        compose_url(segment="training", event=training.pk, group="no-show")
    )
    assert response.context["count"] == 0


def test_the_mail_has_html_plain_text_the_layout_and_one_click_headers(
    client_for, training, mailoutbox, django_capture_on_commit_callbacks, client
):
    send(
        client_for("host"),
        compose_url(segment="training", event=training.pk, group="checked-in"),
        capture=django_capture_on_commit_callbacks,
    )
    [mail] = mailoutbox
    assert mail.subject == "Bring a laptop & charger"
    assert mail.body.startswith("See you Saturday.\nhttps://example.org/map\n")
    [(html, mimetype)] = mail.alternatives
    assert mimetype == "text/html"
    assert '<a href="https://example.org/map"' in html
    assert "1000 Strategists" in html
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = mail.extra_headers["List-Unsubscribe"]
    assert link.startswith("<http") and link.endswith(">")
    assert link[1:-1] in mail.body
    # RFC 8058: the mail client POSTs with no session, and the person is unsubscribed.
    client.logout()
    path = link[1:-1].removeprefix("http://127.0.0.1:8000")
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    came = training.people["came"]
    assert list(Unsubscription.objects.values_list("person", "category", "source")) == [
        (came.pk, "hosts", "link")
    ]


def test_an_unsubscribed_person_gets_only_transactional_mail(
    client_for, world, training, mailoutbox, django_capture_on_commit_callbacks
):
    came = training.people["came"]
    Unsubscription.objects.create(person=came, category="hosts", source="preferences")
    send(
        client_for("host"),
        compose_url(segment="training", event=training.pk, group="confirmed"),
        capture=django_capture_on_commit_callbacks,
    )
    assert [m.to[0] for m in mailoutbox] == ["missed@example.org"]
    skipped = OutgoingMail.objects.get(to="came@example.org")
    assert (skipped.status, skipped.body) == (OutgoingMail.Status.SKIPPED, "")
    # Transactional mail (a registration confirmation) still reaches them.
    from strategists.events.registration_services import registration_create

    other = EventFactory(organization=world.organization)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=other, person=came)
    assert [m.to[0] for m in mailoutbox] == ["came@example.org"]
    assert "List-Unsubscribe" not in mailoutbox[0].extra_headers


def test_an_unsubscribed_member_gets_no_circle_digest(world):
    from strategists.common.mail import mail_person

    Unsubscription.objects.create(person=world.member, category="digests", source="link")
    mail = mail_person(
        world.member,
        template="messaging/mail/message",
        context={"message": Message(subject="Digest", body="News"), "person": world.member},
        kind="circle-digest",
    )
    assert mail.status == OutgoingMail.Status.SKIPPED
    world.member.unsubscriptions.all().delete()
    mail = mail_person(
        world.member,
        template="messaging/mail/message",
        context={"message": Message(subject="Digest", body="News"), "person": world.member},
        kind="circle-digest",
    )
    assert mail.status == OutgoingMail.Status.QUEUED
    assert set(mail.headers) == {"List-Unsubscribe", "List-Unsubscribe-Post"}


def test_sending_is_audited_with_who_what_and_how_many(
    client_for, world, training, django_capture_on_commit_callbacks
):
    send(
        client_for("host"),
        compose_url(segment="training", event=training.pk, group="waitlist"),
        capture=django_capture_on_commit_callbacks,
    )
    entry = AuditEntry.objects.get(action="message.sent")
    message = Message.objects.get()
    assert (entry.actor, entry.object_id) == (world.host, str(message.pk))
    assert entry.data["recipients"] == 2
    assert entry.data["params"] == {"event": training.pk, "group": "waitlist"}


def test_the_progress_bar_counts_sent_mail(
    client_for, training, django_capture_on_commit_callbacks
):
    client = client_for("host")
    send(
        client,
        compose_url(segment="training", event=training.pk, group="all"),
        capture=django_capture_on_commit_callbacks,
    )
    message = Message.objects.get()
    OutgoingMail.objects.filter(to="came@example.org").update(status=OutgoingMail.Status.QUEUED)
    response = client.get(reverse("messaging:progress", args=[message.pk]))
    assert response.context["progress"] == {
        "total": 4,
        "sent": 3,
        "skipped": 0,
        "failed": 0,
        "done": 3,
        "finished": False,
        "percent": 75,
    }
    assert 'hx-trigger="every 2s"' in response.content.decode()
    OutgoingMail.objects.update(status=OutgoingMail.Status.SENT)
    response = client.get(reverse("messaging:progress", args=[message.pk]))
    assert "hx-get" not in response.content.decode()


def test_a_host_of_another_organization_cannot_write_to_this_training(client_for, training):
    response = client_for("other_host").post(
        compose_url(segment="training", event=training.pk, group="all"), BODY
    )
    assert response.status_code == 403
    assert Message.objects.count() == 0


def test_sending_is_rate_limited(
    client_for, training, settings, django_capture_on_commit_callbacks
):
    settings.RATELIMITS = {**settings.RATELIMITS, "message_send": {"user": "2/h"}}
    client = client_for("host")
    url = compose_url(segment="training", event=training.pk, group="checked-in")
    statuses = [
        send(client, url, capture=django_capture_on_commit_callbacks).status_code for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Message.objects.count() == 2


def test_coordinator_writes_to_a_dashboard_segment(
    client_for, world, mailoutbox, django_capture_on_commit_callbacks
):
    # Hana's organization has no date set; another organization with a training does.
    busy = EventFactory().organization
    busy.hosts.add(UserFactory(email="busy-host@example.org"))
    send(
        client_for("coordinator"),
        compose_url(segment="dashboard", table="hosts"),
        capture=django_capture_on_commit_callbacks,
    )
    message = Message.objects.get()
    assert recipients(message) == {"host@example.net"}
    assert message.kind == Message.Kind.PROGRAM
    assert mailoutbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_no_show_segment_of_the_dashboard(client_for, world):
    from strategists.goals import services as goals_services
    from strategists.goals.models import ProgramYear

    today = timezone.localdate()
    year = goals_services.program_year_ensure()
    ProgramYear.objects.filter(pk=year.pk).update(
        starts_on=today - dt.timedelta(days=100), ends_on=today + dt.timedelta(days=265)
    )
    event = EventFactory(
        starts_at=timezone.now() - dt.timedelta(days=3),
        ends_at=timezone.now() - dt.timedelta(days=3) + dt.timedelta(hours=6),
    )
    register(event, world.member)
    register(event, world.other, checked_in_at=timezone.now() - dt.timedelta(days=3))
    for table in ("no-shows", "no-show-trainings"):
        response = client_for("coordinator").get(compose_url(segment="dashboard", table=table))
        assert list(response.context["segment"].people) == [world.member]


def test_the_dashboard_offers_message_these_people(client_for, world):
    response = client_for("coordinator").get(reverse("goals:dashboard"))
    assert (
        reverse("messaging:compose") + "?segment=dashboard&amp;table=hosts"
        in response.content.decode()
    )


def test_hosts_cannot_use_dashboard_segments(client_for, world):
    response = client_for("host").get(compose_url(segment="dashboard", table="hosts"))
    assert response.status_code == 403


def test_one_click_unsubscribe_needs_no_session_and_no_csrf_token(world):
    from django.test import Client

    from strategists.messaging.tokens import unsubscribe_token

    url = reverse("messaging:unsubscribe", args=[unsubscribe_token(world.member.pk, "program")])
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert list(Unsubscription.objects.values_list("person", "category")) == [
        (world.member.pk, "program")
    ]
    # Twice is still one opt-out, and one audit entry.
    Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert AuditEntry.objects.filter(action="mail.unsubscribed").count() == 1


def test_a_token_for_one_person_cannot_be_edited_into_another(world):
    from django.test import Client

    from strategists.messaging.tokens import unsubscribe_token

    token = unsubscribe_token(world.member.pk, "program")
    forged = token.replace(
        token.split(":")[0], unsubscribe_token(world.host.pk, "program").split(":")[0]
    )
    response = Client(enforce_csrf_checks=True).post(
        reverse("messaging:unsubscribe", args=[forged])
    )
    assert response.status_code == 404
    assert Unsubscription.objects.count() == 0


def test_the_request_records_the_segment_and_the_mails_are_written_after_commit(
    client_for, training, mailoutbox
):
    """Without the commit (no worker yet) the message waits with its deliveries and no mail."""
    client = client_for("host")
    client.post(compose_url(segment="training", event=training.pk, group="all"), BODY)
    message = Message.objects.get()
    assert message.deliveries.filter(mail__isnull=True).count() == 4
    assert OutgoingMail.objects.count() == 0
    progress = client.get(reverse("messaging:progress", args=[message.pk])).context["progress"]
    assert (progress["total"], progress["done"], progress["finished"]) == (4, 0, False)


def test_a_message_whose_worker_died_is_finished_by_the_periodic_job(client_for, training):
    from strategists.messaging.fanout import messages_fan_out_due

    client_for("host").post(compose_url(segment="training", event=training.pk, group="all"), BODY)
    assert messages_fan_out_due() == 0  # too recent: its worker may still be at it
    later = timezone.now() + dt.timedelta(minutes=5)
    assert messages_fan_out_due(now=later) == 4
    assert messages_fan_out_due(now=later) == 0
    assert set(OutgoingMail.objects.values_list("to", flat=True)) == {
        "came@example.org",
        "missed@example.org",
        "waiting@example.org",
        "offered@example.org",
    }
