import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from strategists.events.models import Event, Registration
from tests.browser.conftest import sign_in
from tests.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def link_in_last_mail_to(email, pattern=r"http://\S+/trainings/registration/\S+/"):
    message = [m for m in mail.outbox if m.to == [email]][-1]
    return re.search(pattern, message.body).group(0)


def test_propose_approve_find_register_waitlist_offer_and_check_in(new_page, live_server, settings):
    settings.PUBLIC_URL = live_server.url
    organization = OrganizationFactory(name="Detroit Federation of Teachers", slug="dft")
    host = UserFactory(name="Hana Host", email="hana@example.net", organization=organization)
    organization.hosts.add(host)
    UserFactory(name="Cora Coordinator", email="cora@example.net", is_coordinator=True)
    first = UserFactory(name="First Person", email="first@example.net")
    second = UserFactory(name="Second Person", email="second@example.net")

    context = new_page
    # The host sets a date.
    page = context(viewport={"width": 1200, "height": 900})
    sign_in(page, "hana@example.net")
    page.goto("/trainings/propose/")
    page.get_by_label("Title").fill("Secure your local")
    day = timezone.localdate() + dt.timedelta(days=20)
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Start time (local)").fill("10:00")
    page.get_by_label("City", exact=True).fill("Detroit, MI")
    page.get_by_label("Venue", exact=True).fill("DFT hall")
    page.get_by_label("English").check()
    page.get_by_label("Capacity").fill("1")
    page.get_by_label("Digital security").first.check()
    page.get_by_label("Web and CMS").first.check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("A coordinator will review your training soon").wait_for()
    event = Event.objects.get(title="Secure your local")
    assert event.state == "proposed"

    # The coordinator approves it from the queue.
    coordinator = context(viewport={"width": 1200, "height": 900})
    sign_in(coordinator, "cora@example.net")
    coordinator.goto("/trainings/queue/")
    coordinator.get_by_role("button", name="Approve").click()
    coordinator.get_by_text("Approved and published: Secure your local").wait_for()

    # A visitor finds it near their ZIP and registers: the event fills.
    visitor = context(viewport={"width": 1200, "height": 900})
    visitor.goto("/trainings/")
    visitor.get_by_label("Near (city, ZIP or postal code)").fill("48104")
    visitor.get_by_role("button", name="Find").click()
    visitor.get_by_text("Nearest to Ann Arbor, MI 48104 first.").wait_for()
    visitor.get_by_role("link", name="Secure your local", exact=True).click()
    assert "1 of 1 seats left" in visitor.locator("#seats").inner_text()
    # They have an account: signed in, registering is one click (signed out, see
    # test_signed_out_registration_journey).
    sign_in(visitor, "first@example.net")
    visitor.goto(f"/trainings/{event.pk}/")
    visitor.get_by_role("button", name="Register").click()
    visitor.get_by_text("You're registered.").first.wait_for()

    # A second person finds it full and joins the waitlist.
    waiting = context(viewport={"width": 1200, "height": 900})
    sign_in(waiting, "second@example.net")
    waiting.goto(f"/trainings/{event.pk}/")
    assert "0 of 1 seats left" in waiting.locator("#seats").inner_text()
    waiting.get_by_role("button", name="Join the waitlist").click()
    waiting.get_by_text("You're number 1 on the waitlist.").wait_for()

    # The first cancels with one click from their email; the second gets the offer and accepts.
    visitor.goto(link_in_last_mail_to(first.email))
    visitor.get_by_role("button", name="I can't come").click()
    visitor.get_by_text("Thank you for freeing your seat").wait_for()
    waiting.goto(link_in_last_mail_to(second.email))
    waiting.get_by_role("button", name="Accept the seat").click()
    waiting.get_by_text("The seat is yours. See you there!").wait_for()
    assert Registration.objects.get(event=event, person=second).status == "registered"

    # On the day, the host checks people in on a phone and marks what was taught.
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=5))
    phone = context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in(phone, "hana@example.net")
    phone.goto(f"/trainings/{event.pk}/check-in/")
    phone.get_by_label("Search by name").fill("Second")
    phone.get_by_role("button", name="Check in Second Person").tap()
    phone.get_by_text("Checked in").first.wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Only the areas the training was approved for can be marked; both are ticked already.
    phone.get_by_label("Web and CMS").check()
    phone.get_by_role("button", name="Complete the training").tap()
    phone.get_by_text("The training is complete.").wait_for()

    event.refresh_from_db()
    assert event.state == "completed"
    assert sorted(event.taught_areas.values_list("id", flat=True)) == [
        "digital-security",
        "web-and-cms",
    ]
    assert sorted(
        event.registrations.filter(checked_in_at__isnull=False).values_list("status", flat=True)
    ) == ["registered"]
