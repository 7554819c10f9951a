"""The community journey in a browser: join a circle, post a thread, another member replies and
mentions an expert, who gets the mail; a member asks for a mentor and is matched; a certified
member opts into the registry, appears in it, opts out and disappears."""

import pytest

from strategists.common.models import OutgoingMail
from strategists.community.models import Circle, Mentorship
from tests.browser.conftest import sign_in
from tests.community.conftest import certify
from tests.factories import ExpertProfileFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_circle_mention_mentoring_and_registry(new_page, live_server, settings):
    settings.PUBLIC_URL = live_server.url
    UserFactory(name="Mona Member", email="mona@example.net")
    UserFactory(name="Otto Organizer", email="otto@example.net")
    UserFactory(name="Cora Coordinator", email="cora@example.net", is_coordinator=True)
    expert = ExpertProfileFactory(
        user__name="Ed Expert", user__email="ed@example.net", mentors=True
    )
    Circle.objects.create(
        slug="texting-tools",
        name="Texting tools",
        kind="topic",
        description="Peer-to-peer and broadcast texting.",
    )

    # Mona joins the circle and starts a thread.
    mona = new_page()
    sign_in(mona, "mona@example.net")
    mona.goto("/circles/")
    mona.get_by_role("button", name="Join").click()
    mona.get_by_role("link", name="New thread").click()
    mona.get_by_label("Title").fill("Spoke or Hustle?")
    mona.get_by_label("Text").fill("We need a **texting tool** for 4,000 members.")
    mona.get_by_role("button", name="Post").click()
    mona.locator(".body strong", has_text="texting tool").wait_for()

    # Otto joins, replies and mentions the expert, who gets a mail.
    otto = new_page()
    sign_in(otto, "otto@example.net")
    otto.goto("/circles/texting-tools/")
    otto.get_by_role("button", name="Join to post").click()
    otto.get_by_role("link", name="Spoke or Hustle?").click()
    otto.get_by_label("Your reply").fill("Ask @[Ed Expert], who set it up for three locals.")
    otto.get_by_role("button", name="Reply").click()
    otto.locator("#replies strong", has_text="@Ed Expert").wait_for()
    mail = OutgoingMail.objects.get(kind="circle-mention")
    assert (mail.to, mail.subject) == (
        "ed@example.net",
        "Otto Organizer mentioned you in Texting tools",
    )

    # Mona asks for a mentor; the coordinator proposes pairs; both accept.
    mona.goto("/mentoring/ask/")
    for area in mona.locator("input[name=areas]").all():
        area.uncheck()
    mona.get_by_label("Email and lists").check()
    mona.get_by_role("button", name="Save").click()
    mona.get_by_text("We will look for a mentor").wait_for()
    cora = new_page()
    sign_in(cora, "cora@example.net")
    cora.goto("/mentoring/matches/")
    cora.get_by_role("button", name="Propose mentors to everyone waiting").click()
    cora.get_by_text("1 pair proposed.").wait_for()
    mona.goto("/mentoring/")
    mona.get_by_role("button", name="Accept").click()
    mona.get_by_text("You accepted. Waiting for the other side.").wait_for()
    ed = new_page()
    sign_in(ed, "ed@example.net")
    ed.goto("/mentoring/")
    ed.get_by_role("button", name="Accept").click()
    ed.get_by_text("You mentor Mona Member").wait_for()
    pair = Mentorship.objects.get()
    assert (pair.mentor, pair.state) == (expert.user, "active")

    # A certified member opts in, appears in the registry, opts out and disappears.
    certify(UserFactory(name="Rosa Certified", email="rosa@example.net"))
    rosa = new_page()
    sign_in(rosa, "rosa@example.net")
    rosa.goto("/strategists/me/")
    rosa.get_by_label("List me in the public registry of strategists").check()
    rosa.get_by_label("Ask me about").fill("texting programs")
    rosa.get_by_role("button", name="Save").click()
    visitor = new_page()
    visitor.goto("/strategists/")
    visitor.locator("#registry").get_by_role("link", name="Rosa Certified").wait_for()
    rosa.get_by_label("List me in the public registry of strategists").uncheck()
    rosa.get_by_role("button", name="Save").click()
    rosa.get_by_text("You are not listed.").wait_for()
    visitor.goto("/strategists/")
    visitor.get_by_text("Nobody is listed for this search.").wait_for()
