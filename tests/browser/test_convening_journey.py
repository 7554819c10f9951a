import datetime as dt

import pytest
from django.utils import timezone

from strategists.accounts.models import SkillArea
from strategists.convening.models import Conference, Proposal, Room, Session, TimeSlot, Track
from strategists.curriculum.models import Evidence
from tests.browser.conftest import sign_in
from tests.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SLUG = "labor-organizes-online"


def test_propose_review_accept_place_publish_delegate_follow_and_check_in(
    new_page, live_server, settings
):
    settings.PUBLIC_URL = live_server.url
    organization = OrganizationFactory(name="Detroit Federation of Teachers", slug="dft")
    host = UserFactory(name="Hana Host", email="hana@example.net", organization=organization)
    organization.hosts.add(host)
    UserFactory(name="Cora Coordinator", email="cora@example.net", is_coordinator=True)
    UserFactory(
        name="Mona Proposer",
        email="mona@example.net",
        organization=OrganizationFactory(name="Secret Local 9"),
    )
    UserFactory(name="Rita Reviewer", email="rita@example.net")
    for name in ("Dee", "Dan", "Dora"):
        UserFactory(name=f"{name} Delegate", email=f"{name.lower()}@example.net")
    # A conference on now, with one slot going on and one room already taken in it.
    now = timezone.now().replace(second=0, microsecond=0)
    conference = Conference.objects.create(
        slug=SLUG,
        name="Labor Organizes Online",
        timezone="America/Detroit",
        starts_on=now.date(),
        days=2,
        capacity=100,
    )
    hall = Room.objects.create(conference=conference, name="Hall A", position=0)
    Room.objects.create(conference=conference, name="Room B", position=1)
    security = SkillArea.objects.get(id="digital-security")
    track = Track.objects.create(conference=conference, skill_area=security, name=security.name)
    slot = TimeSlot.objects.create(
        conference=conference,
        starts_at=now - dt.timedelta(minutes=10),
        ends_at=now + dt.timedelta(minutes=80),
    )
    Session.objects.create(
        conference=conference,
        title="Already here",
        abstract="Taken.",
        track=track,
        room=hall,
        starts_at=slot.starts_at,
        ends_at=slot.starts_at + dt.timedelta(minutes=60),
    )

    # A member proposes a session.
    mona = new_page()
    sign_in(mona, "mona@example.net")
    mona.goto(f"/conference/{SLUG}/propose/")
    mona.get_by_label("Title").fill("Signal groups that stay safe")
    mona.get_by_label("Abstract").fill(
        "Set up and run a safe group chat for an organizing committee."
    )
    mona.get_by_label("Format").select_option("workshop")
    mona.get_by_label("Track").select_option(label=security.name)
    mona.get_by_label("Level").select_option("newcomer")
    mona.get_by_label("Length (minutes)").fill("60")
    mona.get_by_label("What attendees will be able to do afterwards").fill("Run a safe group chat.")
    mona.get_by_role("button", name="Send my proposal").click()
    mona.get_by_text("Reviewers will read your proposal without your name on it").wait_for()
    proposal = Proposal.objects.get()

    # The coordinator grants Rita the reviewer role; Rita reviews blind.
    cora = new_page()
    sign_in(cora, "cora@example.net")
    cora.goto(f"/conference/{SLUG}/reviewers/")
    cora.get_by_label("Email of the person").fill("rita@example.net")
    cora.get_by_role("button", name="Grant the reviewer role").click()
    cora.get_by_text("Rita Reviewer may now review proposals.").wait_for()
    rita = new_page()
    sign_in(rita, "rita@example.net")
    rita.goto(f"/conference/{SLUG}/review/")
    rita.get_by_role("link", name="Signal groups that stay safe").click()
    for secret in ("Mona", "mona@example.net", "Secret Local 9"):
        assert secret not in rita.content()
    for criterion in ("relevance", "clarity", "practice"):
        rita.locator(f"input[name={criterion}][value='4']").check()
    rita.get_by_role("button", name="Save my review").click()
    rita.get_by_text("Your review is saved.").wait_for()

    # The coordinator sees the score and accepts; Mona confirms.
    cora.goto(f"/conference/{SLUG}/proposals/")
    cora.get_by_text("1 review: mean 12.0/15, from 12 to 12").wait_for()
    cora.get_by_label("Message to the speaker").fill("Welcome aboard.")
    cora.get_by_role("button", name="Accept").click()
    cora.get_by_text("Decision sent to the speaker.").wait_for()
    mona.goto(f"/conference/{SLUG}/proposals/{proposal.pk}/")
    mona.get_by_role("button", name="Confirm that I will speak").click()
    mona.get_by_text("Confirmed. See you at the conference!").wait_for()

    # In the grid, Hall A is taken at that time: refused with the reason; Room B takes it.
    cora.goto(f"/conference/{SLUG}/schedule/")
    cora.get_by_label("Session", exact=True).select_option(
        label="Signal groups that stay safe (60′)"
    )
    cora.get_by_label("Room", exact=True).select_option(label="Hall A")
    cora.locator("#place-slot").select_option(index=1)
    cora.get_by_role("button", name="Place or move").click()
    cora.get_by_text("Hall A already has “Already here” at that time.").wait_for()
    cora.get_by_label("Session for Room B").select_option(
        label="Signal groups that stay safe (60′)"
    )
    cora.get_by_role("button", name="Place", exact=True).click()
    cora.get_by_role("link", name="Signal groups that stay safe").wait_for()
    cora.get_by_role("button", name="Publish the schedule").click()
    cora.get_by_text("Schedule published: 2 new sessions.").wait_for()
    session = Proposal.objects.get().session
    assert (session.room.name, session.state) == ("Room B", "published")

    # The host reserves a block of 3 and names three people.
    hana = new_page()
    sign_in(hana, "hana@example.net")
    hana.goto(f"/conference/{SLUG}/delegations/")
    hana.get_by_label("Organization").select_option(label="Detroit Federation of Teachers")
    hana.get_by_label("Seats in the block").fill("3")
    hana.get_by_role("button", name="Reserve").click()
    hana.get_by_text("3 seats reserved.").wait_for()
    hana.get_by_label("Emails of the people you send").fill(
        "dee@example.net\ndan@example.net\ndora@example.net"
    )
    hana.get_by_role("button", name="Name them").click()
    hana.get_by_text("3 people named.").wait_for()
    assert "3 of 3 seats named" in hana.content()

    # Dee adds the session to her schedule and checks in from her phone with the room's code.
    dee = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in(dee, "dee@example.net")
    dee.goto(f"/conference/{SLUG}/agenda/")
    dee.get_by_role("link", name="Signal groups that stay safe").click()
    dee.get_by_role("button", name="Add to my schedule").click()
    dee.get_by_text("Added to your schedule.").wait_for()
    dee.goto(f"/conference/{SLUG}/my-schedule/")
    dee.get_by_role("link", name="Signal groups that stay safe").wait_for()
    mona.goto(f"/conference/{SLUG}/sessions/{session.pk}/attendance/")
    code = mona.locator("#checkin-code").inner_text().strip()
    dee.goto(f"/conference/{SLUG}/sessions/{session.pk}/check-in/")
    dee.get_by_label("Code shown in the room").fill(code)
    dee.get_by_role("button", name="Check in").click()
    dee.get_by_text("Checked in. It counts as evidence toward your certificate.").wait_for()

    # Her L1 evidence in the session's area is on her path.
    evidence = Evidence.objects.get(person__email="dee@example.net")
    dee.goto(f"/skills/evidence/{evidence.pk}/")
    dee.get_by_text("Attended “Signal groups that stay safe” at Labor Organizes Online.").wait_for()
    assert (evidence.competency.area_id, evidence.competency.level, evidence.status) == (
        "digital-security",
        1,
        "approved",
    )
