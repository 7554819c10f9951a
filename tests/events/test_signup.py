"""Signing up for a training signed out: name and email, a mailed link that confirms before a
seat is taken, the same address twice is one registration, and no answer tells a stranger
whether an address had an account or a registration."""

import re

import pytest
from django.urls import reverse

from strategists.common.models import AuditEntry, OutgoingMail
from strategists.events import registration_services, selectors, signup_services
from strategists.events.models import PendingSignup, Registration
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def signup(client, event, **data):
    return client.post(
        reverse("events:register", kwargs={"pk": event.pk}),
        {"name": "Rosa Parks", "email": "rosa@example.org", **data},
    )


def mails(to):
    return list(OutgoingMail.objects.filter(to=to).order_by("pk"))


def link(mail, name):
    return re.search(rf"http://[^\s]+/trainings/{name}/[^\s/]+/", mail.body).group(0)


def seats(event):
    return selectors.event_detail(event.pk).seats_taken


def test_signed_out_signup_takes_no_seat_until_the_mailed_link_is_confirmed(client):
    event = EventFactory(capacity=5)

    response = signup(client, event, source="newsletter", utm_campaign="spring")

    assert response.status_code == 302
    assert seats(event) == 0
    assert not Registration.objects.exists()
    [confirm] = mails("rosa@example.org")
    assert confirm.subject == f"Confirm your place: {event.title}"
    url = link(confirm, "signup")
    assert client.get(url).status_code == 200  # a mail scanner's visit takes nothing
    assert seats(event) == 0

    confirmed = client.post(url)

    registration = Registration.objects.get()
    assert (registration.person.email, registration.status, registration.source) == (
        "rosa@example.org",
        "registered",
        "web",
    )
    assert registration.referrer_data == {"source": "newsletter", "utm_campaign": "spring"}
    assert confirmed.url.startswith("/trainings/registration/")
    assert seats(event) == 1
    assert not PendingSignup.objects.exists()
    registered = mails("rosa@example.org")[-1]
    assert registered.subject == f"You are registered: {event.title}"
    # The manage link, the calendar and the claim link, in the one mail; no separate claim mail.
    assert "/trainings/registration/" in registered.body
    assert f"/trainings/{event.pk}/calendar.ics" in registered.body
    assert "/accounts/claim/" in registered.body
    assert len(mails("rosa@example.org")) == 2


def test_the_same_email_twice_is_one_registration(client):
    event = EventFactory(capacity=5)
    signup(client, event)
    signup(client, event, email="ROSA@example.org ")
    first, second = (link(m, "signup") for m in mails("rosa@example.org"))

    assert PendingSignup.objects.count() == 1
    assert client.get(first).status_code == 404  # the newer mail's link replaced it
    client.post(second)
    signup(client, event)

    assert event.registrations.count() == 1
    assert mails("rosa@example.org")[-1].subject == f"You are already signed up: {event.title}"
    assert PendingSignup.objects.count() == 0


def page_after(client, response) -> str:
    return client.get(response.url).content.decode()


@pytest.mark.parametrize("had", ["nothing", "account", "registration"])
def test_the_answer_is_the_same_whatever_the_address_had(client, had):
    """Neither the page, nor the redirect, nor the seat count tells a stranger anything."""
    event = EventFactory(capacity=5)
    if had != "nothing":
        person = UserFactory(email="rosa@example.org", name="Rosa Real")
        if had == "registration":
            registration_services.registration_create(event=event, person=person)
    seats_before, mails_before = seats(event), len(mails("rosa@example.org"))

    response = signup(client, event, name="Someone Else")
    page = page_after(client, response)

    assert response.url == f"/trainings/{event.pk}/"
    assert "Check your mail: we sent a message about" in page
    assert "Rosa Real" not in page
    assert seats(event) == seats_before
    assert len(mails("rosa@example.org")) == mails_before + 1


def test_a_full_training_puts_the_confirmed_signup_on_the_waitlist(client):
    event = EventFactory(capacity=1)
    registration_services.registration_create(event=event, person=UserFactory())
    token = signup_services.signup_request(event=event, email="late@example.org", name="Late")

    client.post(reverse("events:signup_confirm", kwargs={"token": token}))

    registration = Registration.objects.get(person__email="late@example.org")
    assert registration.status == "waitlisted"
    assert seats(event) == 1
    assert mails("late@example.org")[-1].subject == f"On the waitlist: {event.title}"


def test_the_honeypot_answers_like_a_person_and_does_nothing(client):
    event = EventFactory()

    response = signup(client, event, homepage="http://spam.example")

    assert response.status_code == 302
    assert "Check your mail" in page_after(client, response)
    assert not OutgoingMail.objects.exists()
    assert not PendingSignup.objects.exists()


def test_signups_are_rate_limited_per_address(client):
    event = EventFactory()
    statuses = [signup(client, event).status_code for _ in range(4)]

    assert statuses == [302, 302, 302, 429]
    assert len(mails("rosa@example.org")) == 3


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"name": "", "email": ""}, {"name", "email"}),
        ({"email": "not an address"}, {"email"}),
        ({"name": "x" * 151}, {"name"}),
        ({"name": "Nul\x00Char"}, {"name"}),
    ],
)
def test_bad_signup_input_names_the_field(client, data, errors):
    event = EventFactory()

    response = signup(client, event, **data)

    assert response.status_code == 400
    assert set(response.context["signup_form"].errors) == errors
    assert not OutgoingMail.objects.exists()


def test_a_closed_training_refuses_every_address_alike(client):
    event = EventFactory(state="completed")

    response = signup(client, event)

    assert "Registration is closed for this training." in page_after(client, response)
    assert not OutgoingMail.objects.exists()


def test_an_expired_or_used_confirmation_link_says_so(client):
    event = EventFactory()
    token = signup_services.signup_request(event=event, email="a@example.org", name="A")
    url = reverse("events:signup_confirm", kwargs={"token": token})
    client.post(url)

    assert client.post(url).status_code == 404
    assert (
        client.get(reverse("events:signup_confirm", kwargs={"token": "x" * 500})).status_code == 404
    )


def test_signed_in_people_register_in_one_click(client_for, world):
    event = EventFactory()

    response = client_for("member").post(
        reverse("events:register", kwargs={"pk": event.pk}), {"utm_source": "mastodon"}
    )

    registration = event.registrations.get()
    assert (response.status_code, registration.person, registration.status) == (
        302,
        world.member,
        "registered",
    )
    assert registration.referrer_data == {"utm_source": "mastodon"}


def test_the_page_carries_where_the_visitor_came_from_into_the_form(client):
    event = EventFactory()

    page = client.get(
        reverse("events:detail", kwargs={"pk": event.pk}) + "?source=flyer&ref=abc&utm_medium=sms"
    ).content.decode()

    assert 'name="source" value="flyer"' in page
    assert 'name="ref" value="abc"' in page
    assert 'name="utm_medium" value="sms"' in page
    assert 'name="email"' in page


def test_a_host_adding_an_existing_account_by_email_sees_the_name_they_typed(client_for, world):
    """Typing an address must not reveal the account's real name or organization, until its
    owner confirms the registration themselves."""
    event = EventFactory(organization=world.organization)
    owner = UserFactory(
        name="Real Name", email="k7@example.org", organization=world.other_organization
    )
    registration = registration_services.walk_in_add(
        event=event, name="Typed Name", email="k7@example.org", checked_in=False
    )
    client = client_for("host")

    page = client.get(reverse("events:attendees", kwargs={"pk": event.pk})).content.decode()
    csv_text = client.get(reverse("events:attendees_csv", kwargs={"pk": event.pk})).content.decode()
    search = client.get(reverse("events:checkin", kwargs={"pk": event.pk}), {"q": "Real"})

    assert registration.person == owner
    assert "Typed Name" in page and "Real Name" not in page and "Local 2002" not in page
    assert "Typed Name" in csv_text and "Real Name" not in csv_text
    assert list(search.context["registrations"]) == []

    registration_services.registration_confirm(registration=registration)

    page = client.get(reverse("events:attendees", kwargs={"pk": event.pk})).content.decode()
    assert "Real Name" in page


def test_a_person_new_to_the_platform_added_by_a_host_shows_as_typed(world):
    event = EventFactory(organization=world.organization)

    registration = registration_services.walk_in_add(
        event=event, name="Brand New", email="brand-new@example.org"
    )

    assert (registration.display_name, registration.guest_name) == ("Brand New", "")


def test_signups_write_the_audit_log(client):
    event = EventFactory()
    token = signup_services.signup_request(event=event, email="a@example.org", name="A")
    signup_services.signup_confirm(pending=PendingSignup.objects.get())

    assert token
    assert list(
        AuditEntry.objects.filter(action__startswith="signup.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["signup.requested", "signup.confirmed"]


def test_unconfirmed_signups_are_purged_once_their_link_no_longer_works():
    import datetime as dt

    from django.utils import timezone

    soon = EventFactory()
    signup_services.signup_request(event=soon, email="a@example.org", name="A")
    signup_services.signup_request(event=soon, email="b@example.org", name="B")
    PendingSignup.objects.filter(email="a@example.org").update(
        created_at=timezone.now() - dt.timedelta(days=31)
    )

    assert signup_services.pending_signups_purge() == 1
    assert list(PendingSignup.objects.values_list("email", flat=True)) == ["b@example.org"]
    assert AuditEntry.objects.get(action="signup.purged").data == {"count": 1}


def test_a_person_a_host_added_shows_by_their_own_name_once_they_register_themselves(client, world):
    event = EventFactory(organization=world.organization)
    owner = UserFactory(name="Real Name", email="k8@example.org")
    registration = registration_services.walk_in_add(
        event=event, name="Typed Name", email="k8@example.org", checked_in=False
    )
    client.force_login(owner)

    client.post(reverse("events:register", kwargs={"pk": event.pk}))

    registration.refresh_from_db()
    assert (registration.display_name, event.registrations.count()) == ("Real Name", 1)


def test_a_link_from_another_site_is_kept_but_not_our_own_pages(client):
    event = EventFactory()
    url = reverse("events:detail", kwargs={"pk": event.pk})

    outside = client.get(url, HTTP_REFERER="https://union.example/news")
    inside = client.get(url, HTTP_REFERER="http://testserver/trainings/")

    assert outside.context["signup_form"].initial == {"website": "https://union.example/news"}
    assert inside.context["signup_form"].initial == {}
