"""Tokens that open something without signing in are stored hashed, expire or can be replaced,
and a dead one gets a page that says to sign in (never a 500)."""

import datetime as dt
import hashlib
import re
from urllib.parse import quote

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategists.common.models import AuditEntry, OutgoingMail
from strategists.events import registration_services, services
from strategists.events.models import CalendarFeed, Event, Registration, RegistrationLink
from strategists.events.tokens import calendar_feed_rotate
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://\S+/trainings/registration/([^/\s]+)/")


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mailed_tokens(to: str) -> list[str]:
    return [
        token
        for m in OutgoingMail.objects.filter(to=to).order_by("pk")
        for token in LINK.findall(m.body)
    ]


def register(event=None, person=None, **event_values):
    person = person or UserFactory()
    registration = registration_services.registration_create(
        event=event or EventFactory(**event_values), person=person
    ).registration
    return registration, mailed_tokens(person.email)[-1]


def test_the_mailed_link_is_stored_only_as_its_hash(client):
    registration, token = register()

    stored = list(RegistrationLink.objects.values_list("registration", "token_hash"))

    assert stored == [(registration.pk, sha256(token))]
    assert {f.name for f in Registration._meta.concrete_fields} & {"token", "token_hash"} == set()
    response = client.get(reverse("events:registration", kwargs={"token": token}))
    assert (response.status_code, response.context["registration"]) == (200, registration)


def test_each_mail_carries_its_own_link_and_all_of_them_work(client):
    event = EventFactory(capacity=1)
    first, _ = register(event)
    waiting, waitlisted_token = register(event)
    registration_services.registration_cancel(
        registration=first
    )  # the seat is offered: a second mail

    tokens = mailed_tokens(waiting.person.email)
    pages = [client.get(reverse("events:registration", kwargs={"token": t})) for t in tokens]

    assert len(set(tokens)) == 2
    assert [(p.status_code, p.context["registration"].status) for p in pages] == [
        (200, "offered")
    ] * 2
    response = client.post(
        reverse(
            "events:registration_action", kwargs={"token": waitlisted_token, "action": "accept"}
        )
    )
    waiting.refresh_from_db()
    assert (response.status_code, waiting.status) == (302, "registered")


def test_a_link_works_until_a_week_after_the_training():
    starts = timezone.now() + dt.timedelta(days=3)
    _, token = register(starts_at=starts, ends_at=starts + dt.timedelta(hours=6))
    link = RegistrationLink.objects.get(token_hash=sha256(token))

    ends = starts + dt.timedelta(hours=6)
    assert link.valid_until == ends + dt.timedelta(days=7)
    assert (
        link.is_valid(ends + dt.timedelta(days=6)),
        link.is_valid(ends + dt.timedelta(days=7, seconds=1)),
    ) == (True, False)


def test_a_rescheduled_training_moves_the_end_of_its_links():
    registration, token = register()
    event = registration.event
    later = event.starts_at + dt.timedelta(days=60)

    services.event_update(
        event=event,
        by=event.proposed_by or UserFactory(is_coordinator=True),
        starts_at=later,
        ends_at=later + dt.timedelta(hours=6),
    )

    link = RegistrationLink.objects.get(token_hash=sha256(token))
    assert link.valid_until == later + dt.timedelta(hours=6, days=7)


def test_an_expired_link_asks_to_sign_in_and_changes_nothing(client):
    starts = timezone.now() - dt.timedelta(days=10)
    registration, token = register(starts_at=timezone.now() + dt.timedelta(days=1))
    Event.objects.filter(pk=registration.event.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=6)
    )

    page = client.get(reverse("events:registration", kwargs={"token": token}))
    action = client.post(
        reverse("events:registration_action", kwargs={"token": token, "action": "cancel"})
    )

    registration.refresh_from_db()
    next_url = reverse("events:detail", kwargs={"pk": registration.event.pk})
    assert (page.status_code, action.status_code, registration.status) == (410, 410, "registered")
    assert "This link has expired" in page.content.decode()
    assert "Links in our emails stop working a week after the training." in page.content.decode()
    assert f'href="{reverse("accounts:login")}?next={next_url}"' in page.content.decode()


@pytest.mark.parametrize("token", ["not-a-token", "x" * 5000, "%00", "a.b"])
def test_an_unknown_link_gets_a_clear_page(client, token):
    response = client.get(reverse("events:registration", kwargs={"token": token}))
    action = client.post(
        reverse("events:registration_action", kwargs={"token": token, "action": "confirm"})
    )

    assert (response.status_code, action.status_code) == (404, 404)
    assert "This link does not work" in response.content.decode()
    assert "Sign in to manage your registration." in response.content.decode()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(token=st.text(min_size=1, max_size=300))
def test_no_token_gets_a_500(client, token):
    path = quote(token, safe="")

    responses = [
        client.get(f"/trainings/registration/{path}/"),
        client.get(f"/trainings/feed/{path}.ics"),
        client.post(f"/trainings/registration/{path}/cancel/"),
    ]

    assert {r.status_code for r in responses} <= {
        400,
        404,
        405,
    }  # a decoded "/" can make it another URL


def test_signed_in_the_training_page_opens_a_fresh_link_to_my_registration(client):
    registration, _ = register()
    client.force_login(registration.person)

    detail = client.get(reverse("events:detail", kwargs={"pk": registration.event.pk}))
    response = client.post(
        reverse("events:my_registration_link", kwargs={"pk": registration.event.pk})
    )

    assert (
        reverse("events:my_registration_link", kwargs={"pk": registration.event.pk})
        in detail.content.decode()
    )
    token = response["Location"].split("/")[-2]
    assert response["Location"] == reverse("events:registration", kwargs={"token": token})
    assert (
        RegistrationLink.objects.filter(registration=registration, token_hash=sha256(token)).count()
        == 1
    )
    assert client.get(response["Location"]).context["registration"] == registration


def test_nobody_gets_a_link_to_someone_elses_registration(client):
    registration, _ = register()
    client.force_login(UserFactory())

    response = client.post(
        reverse("events:my_registration_link", kwargs={"pk": registration.event.pk})
    )

    assert (response.status_code, RegistrationLink.objects.count()) == (404, 1)


def test_my_trainings_makes_a_private_feed_link_shown_once(client):
    person = UserFactory()
    registration_services.registration_create(event=EventFactory(title="Mine"), person=person)
    client.force_login(person)

    before = client.get(reverse("events:mine")).content.decode()
    response = client.post(reverse("events:mine"))
    made = response.content.decode()
    feed_url = re.search(r"<code>(http://\S+\.ics)</code>", made).group(1)
    token = feed_url.rsplit("/", 1)[-1].removesuffix(".ics")
    after = client.get(reverse("events:mine")).content.decode()

    assert "Make my private link" in before
    assert "shown only this once" in made
    assert "no-store" in response["Cache-Control"]
    assert token not in after
    assert "Make a new private link" in after
    assert CalendarFeed.objects.get(person=person).token_hash == sha256(token)
    ics = client.get(feed_url.removeprefix("http://127.0.0.1:8000"))
    assert (ics.status_code, b"SUMMARY:Mine" in ics.content) == (200, True)
    entry = AuditEntry.objects.get(action="calendar_feed.created")
    assert (entry.actor, entry.object_id) == (
        person,
        str(CalendarFeed.objects.get(person=person).pk),
    )


def test_a_new_private_link_retires_the_old_one_and_is_audited(client):
    person = UserFactory()
    _, old = calendar_feed_rotate(person=person)
    client.force_login(person)

    made = client.post(reverse("events:mine")).content.decode()
    new = re.search(r"/trainings/feed/([^/\s]+)\.ics", made).group(1)
    client.logout()
    old_response = client.get(reverse("events:feed_ics", kwargs={"token": old}))
    new_response = client.get(reverse("events:feed_ics", kwargs={"token": new}))

    assert (old_response.status_code, new_response.status_code) == (404, 200)
    assert "This private calendar link was replaced by a newer one" in old_response.content.decode()
    assert [
        (e.action, e.actor)
        for e in AuditEntry.objects.filter(action__startswith="calendar_feed.").order_by("pk")
    ] == [("calendar_feed.created", person), ("calendar_feed.rotated", person)]
    assert CalendarFeed.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_existing_plain_tokens_and_they_keep_working(reference_data, client):
    registration, _ = register()
    person = UserFactory()
    before_hashing = [("events", "0002_token_hashes")]
    executor = MigrationExecutor(connection)
    executor.migrate(before_hashing)
    old = executor.loader.project_state(before_hashing).apps
    old.get_model("events", "RegistrationLink").objects.all().delete()
    old.get_model("events", "Registration").objects.filter(pk=registration.pk).update(
        token="mailed-before"
    )
    old.get_model("events", "CalendarFeed").objects.create(
        person_id=person.pk, token="subscribed-before"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert list(RegistrationLink.objects.values_list("registration", "token_hash")) == [
        (registration.pk, sha256("mailed-before"))
    ]
    assert CalendarFeed.objects.get(person=person).token_hash == sha256("subscribed-before")
    page = client.get(reverse("events:registration", kwargs={"token": "mailed-before"}))
    feed = client.get(reverse("events:feed_ics", kwargs={"token": "subscribed-before"}))
    assert (page.status_code, page.context["registration"], feed.status_code) == (
        200,
        registration,
        200,
    )
