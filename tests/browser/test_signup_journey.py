import re

import pytest
from django.core import mail
from django.utils import timezone

from strategists.accounts.models import User
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_signs_up_verifies_applies_as_expert_and_a_coordinator_approves(page, new_page):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "One thousand digital strategists for the labor movement, in one year."
    )
    page.get_by_role("link", name="Sign up", exact=True).first.click()

    page.get_by_label("Your name").fill("Lucía Fernández")
    page.get_by_label("Email").fill("lucia@example.net")
    page.get_by_label("Password").fill("short")
    page.get_by_label("City").fill("Atlantis")
    page.get_by_role("button", name="Create my account").click()
    assert page.get_by_text("We don't know the city “Atlantis”").is_visible()
    assert page.get_by_text("This password is too short").is_visible()

    page.get_by_label("Password").fill("union-strong-2027")
    page.get_by_label("City").fill("Tucson, AZ")
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("heading", name="Check your email").wait_for()

    link = re.search(r"http://\S+/accounts/verify/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_text("Your email address is confirmed. Welcome!").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == "Lucía Fernández"

    page.get_by_role("link", name="Volunteer as an expert").click()
    page.get_by_label("Web and CMS").check()
    page.get_by_label("Digital security").check()
    page.get_by_label("Home city").fill("Tucson, AZ")
    page.get_by_role("group", name="Languages you can train in").get_by_label("Spanish").check()
    page.get_by_role("group", name="Languages you can train in").get_by_label("English").check()
    page.get_by_label("When available").select_option("evenings")
    page.get_by_label("Trainings a year at most").fill("5")
    page.get_by_label("Your experience").fill("I built the Tucson workers' center website.")
    page.get_by_label("References").fill("Rosa Díaz, rosa@example.net")
    page.get_by_role("button", name="Send my application").click()

    page.get_by_text("Thank you for volunteering!").wait_for()
    assert page.get_by_text("is waiting for a coordinator").is_visible()
    user = User.objects.get(email="lucia@example.net")
    assert (user.is_verified, user.is_expert, user.expert_profile.max_trainings_per_year) == (
        True,
        False,
        5,
    )

    # A coordinator reads the application on the roles page and approves it with a message.
    User.objects.create_user(
        email="cora@example.net",
        password="correct horse battery staple",
        name="Cora Coordinator",
        is_coordinator=True,
        email_verified_at=timezone.now(),
    )
    coordinator = new_page()
    sign_in(coordinator, "cora@example.net")
    coordinator.goto("/accounts/roles/")
    coordinator.locator("#applications").get_by_role("link", name="Lucía Fernández").click()
    coordinator.get_by_label("Approve").check()
    coordinator.get_by_label("Message to the person").fill("Bienvenida, Lucía.")
    coordinator.get_by_role("button", name="Save the decision").click()
    coordinator.get_by_text("Decision saved; Lucía Fernández is told by mail.").wait_for()

    assert "Bienvenida, Lucía." in mail.outbox[-1].body
    page.goto(f"/accounts/people/{user.pk}/")
    section = page.locator("#expert-profile")
    assert "Web and CMS, Digital security" in section.inner_text()
    assert "Tucson, AZ" in section.inner_text()
    assert "Evenings" in section.inner_text()
