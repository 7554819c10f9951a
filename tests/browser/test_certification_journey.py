import json
from pathlib import Path

import pytest

from strategists.accounts.models import SkillArea
from strategists.curriculum import services
from strategists.curriculum.models import Certification, Credential
from tests.browser.conftest import sign_in
from tests.curriculum.conftest import competency, completed_training
from tests.factories import ExpertProfileFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_folders(settings, tmp_path):
    settings.SIGNING_KEYS_DIR = tmp_path / "keys"
    settings.MEDIA_ROOT = tmp_path / "media"


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_training_to_certificate_to_revocation(page):
    organization = OrganizationFactory(name="Local 1001", slug="local-1001")
    host = UserFactory(name="Hana Host", email="host@example.net", organization=organization)
    organization.hosts.add(host)
    coordinator = UserFactory(
        name="Cora Coordinator", email="coordinator@example.net", is_coordinator=True
    )
    # An expert a coordinator approved for every area: the journey needs sign-offs in all ten.
    expert = ExpertProfileFactory(
        user__name="Ed Expert",
        user__email="expert@example.net",
        skill_areas=SkillArea.objects.all(),
    ).user
    member = UserFactory(name="Mona Member", email="member@example.net", organization=organization)

    # Attend a training: the host marks what it taught, and the member gets L1 evidence.
    completed_training(
        host=host,
        coordinator=coordinator,
        attendees=[member],
        areas=["email-and-lists", "digital-security"],
    )
    # Earlier sign-offs: L2 in nine areas, L3 in two.
    for area in SkillArea.objects.exclude(id="web-and-cms"):
        services.evidence_sign_off(
            person=member,
            by=expert,
            competency=competency(area.pk, 2),
            description="Demonstrated at the workshop.",
        )
    for area in ["email-and-lists", "digital-security"]:
        services.evidence_sign_off(
            person=member,
            by=expert,
            competency=competency(area, 3),
            description="Diagnosed another local's problem.",
        )

    # The expert signs off the last area in the browser.
    sign_in(page, "expert@example.net")
    page.goto(f"/skills/people/{member.pk}/")
    page.get_by_role("link", name="Sign off a skill").click()
    page.get_by_label("Skill area").select_option("web-and-cms")
    page.get_by_label("Level").select_option("2")
    page.get_by_label("What they demonstrated").fill(
        "Planned the local's new site: accessibility and backups."
    )
    page.get_by_role("button", name="Sign off").click()
    page.get_by_text("Signed off. Thank you!").wait_for()
    sign_out(page)

    # The member sees only the capstone missing, and submits it.
    sign_in(page, "member@example.net")
    page.goto("/skills/me/")
    assert page.locator("#missing").inner_text() == (
        "An approved capstone: a digital organizing plan for a real organization"
    )
    assert page.locator("#levels").get_by_role("row", name="Email and lists").inner_text().split(
        "\t"
    )[1] == ("L3 Connector")
    page.get_by_role("link", name="Submit my capstone").click()
    page.get_by_label("Title of your plan").fill("Local 1001 digital organizing plan")
    page.get_by_label("The organization it is for").fill("Local 1001")
    page.get_by_label("Summary").fill("Goals, metrics and a budget for the contract campaign.")
    page.get_by_label("Link").fill("https://example.net/plan")
    page.get_by_role("button", name="Send my capstone").click()
    page.get_by_text("Thank you! An expert will review it.").wait_for()
    sign_out(page)

    # The expert approves it from the review queue.
    sign_in(page, "expert@example.net")
    page.goto("/skills/reviews/")
    page.get_by_role("link", name="Capstone: Local 1001 digital organizing plan").click()
    page.get_by_label("Approve").check()
    page.get_by_label("Comment for the member").fill("Clear goals and a realistic budget.")
    page.get_by_role("button", name="Save my review").click()
    page.get_by_text("Your review is saved. Thank you!").wait_for()
    sign_out(page)

    # Certified: the credential page says valid, and so does the verify page.
    assert Certification.objects.get(person=member).status == "certified"
    sign_in(page, "member@example.net")
    page.goto("/skills/me/")
    assert page.locator("#status").get_by_text("Certified digital strategist").is_visible()
    page.get_by_role("link", name="See the certificate credential").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Certified Digital Strategist"
    assert page.locator("#credential-status").inner_text() == "Valid"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the credential").click()
    document = json.loads(Path(download.value.path()).read_text())
    credential = Credential.objects.get(person=member, kind="certificate")
    assert document == credential.document
    assert page.url.endswith(f"/credentials/{credential.pk}/")

    page.get_by_role("link", name="Check a credential").click()
    page.get_by_label("Paste the credential (JSON)").fill(json.dumps(document))
    page.get_by_role("button", name="Check").click()
    assert page.locator("#verdict .badge").inner_text() == "Valid"
    sign_out(page)

    # A coordinator revokes it; the verify page now says so.
    sign_in(page, "coordinator@example.net")
    page.goto(f"/credentials/{credential.pk}/")
    page.get_by_label("Reason").fill("The capstone was someone else's plan.")
    page.get_by_role("button", name="Revoke").click()
    page.get_by_text("The credential is revoked.").wait_for()
    assert page.locator("#credential-status").inner_text() == "Revoked"

    page.goto("/credentials/verify/")
    page.get_by_label("Paste the credential (JSON)").fill(json.dumps(document))
    page.get_by_role("button", name="Check").click()
    assert page.locator("#verdict .badge").inner_text() == "Revoked"
    assert (
        page.locator("#verdict-reason").inner_text()
        == "Why: the issuer has revoked this credential."
    )
    assert Certification.objects.get(person=member).status == "reversed"
