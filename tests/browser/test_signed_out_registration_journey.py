"""A visitor, signed out, answers a training's questions, registers with name and email,
confirms from the mail, and later cancels from the mail's link; meanwhile the training filled
and the next person was waitlisted, and gets the freed seat."""

import re

import pytest
from django.core import mail

from strategists.events import question_services
from strategists.events.models import Answer, Registration
from tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def last_link(to: str, path: str) -> str:
    body = [m for m in mail.outbox if m.to == [to]][-1].body
    return re.search(rf"http://\S+/trainings/{path}/\S+/", body).group(0)


def sign_up(page, event, name, email, button="Register"):
    page.goto(f"/trainings/{event.pk}/?source=flyer")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your email").fill(email)
    page.get_by_label("ASL interpretation").check()
    page.get_by_label("What problem are you bringing?").fill("Our list is a mess.")
    page.get_by_role("button", name=button).click()
    page.get_by_text("Check your mail").wait_for()
    page.goto(last_link(email, "signup"))
    page.get_by_role("button", name="Confirm my place").click()


def test_signed_out_visitor_registers_confirms_and_cancels_from_the_mail(
    world, new_page, live_server, settings
):
    settings.PUBLIC_URL = live_server.url  # the links in the mail lead to this server
    event = EventFactory(organization=world.organization, capacity=1)
    for common in ("access", "problem"):
        question_services.question_add_common(event=event, by=world.host, common=common)

    rosa = new_page()
    sign_up(rosa, event, "Rosa Díaz", "rosa@example.org")
    rosa.get_by_text("You're registered. We sent you a confirmation.").wait_for()

    # The training is full now: the next person is waitlisted.
    ben = new_page()
    sign_up(ben, event, "Ben Okafor", "ben@example.org", button="Join the waitlist")
    ben.get_by_text("you're on the waitlist").wait_for()
    assert ben.locator("#status").inner_text() == "You're number 1 on the waitlist."

    registered = [m for m in mail.outbox if m.to == ["rosa@example.org"]][-1]
    assert registered.subject == f"You are registered: {event.title}"
    assert "/accounts/claim/" in registered.body
    rosa.goto(last_link("rosa@example.org", "registration"))
    rosa.get_by_role("button", name="I can't come").click()
    rosa.get_by_text("You're no longer registered.").wait_for()

    statuses = dict(event.registrations.values_list("person__email", "status"))
    assert statuses == {"rosa@example.org": "cancelled", "ben@example.org": "offered"}
    ben_registration = Registration.objects.get(person__email="ben@example.org")
    assert ben_registration.referrer_data == {"source": "flyer"}
    assert sorted(str(a.value) for a in Answer.objects.filter(registration=ben_registration)) == [
        "Our list is a mess.",
        "['ASL interpretation']",
    ]
