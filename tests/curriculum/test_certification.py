import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from strategists.curriculum import selectors, services
from strategists.curriculum.models import Certification, Credential
from tests.curriculum.conftest import almost_certified, capstone, competency
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_what_is_missing_follows_the_default_rule(world):
    almost_certified(world.member, capstone=False)
    services.evidence_sign_off(
        person=world.member,
        by=world.expert,
        competency=competency("email-and-lists", 2),
        description="Again",
    )

    assert selectors.person_standing(world.member).missing == [
        "An approved capstone: a digital organizing plan for a real organization"
    ]


def test_a_new_member_is_missing_everything(world):
    assert selectors.person_standing(world.member).missing == [
        "L2 Strategist in: Digital strategy, Email and lists, Social media, Communications and media, "
        "Web and CMS, Data and CRM, Analytics and testing, Online to offline, Digital security, "
        "Tools, vendors and budgets",
        "L3 Connector in 2 more areas",
        "An approved capstone: a digital organizing plan for a real organization",
    ]


def test_approving_the_capstone_certifies_and_issues_credentials_after_commit(world, commit):
    almost_certified(world.member, capstone=False)
    plan = capstone(world.member)

    with commit():
        services.evidence_review(evidence=plan, by=world.expert, approve=True)

    certification = Certification.objects.get(person=world.member)
    assert (certification.status, selectors.certified_count()) == ("certified", 1)
    assert (
        Credential.objects.filter(person=world.member).count() == 13
    )  # 10 x L2, 2 x L3, the certificate
    assert (
        Credential.objects.get(kind="certificate").achievement_name
        == "Certified Digital Strategist"
    )
    assert [m.subject for m in mail.outbox] == [
        "Your evidence is approved",
        "You are a certified digital strategist",
    ]


def test_issuing_again_issues_nothing_twice(world, commit):
    almost_certified(world.member, capstone=False)
    with commit():
        services.evidence_review(evidence=capstone(world.member), by=world.expert, approve=True)

    from strategists.curriculum.tasks import issue_credentials

    result = issue_credentials.enqueue(world.member.pk)
    assert (result.return_value, Credential.objects.count()) == (0, 13)


def test_nothing_is_signed_when_the_decision_rolls_back(world):
    almost_certified(world.member, capstone=False)

    services.evidence_review(
        evidence=capstone(world.member), by=world.expert, approve=True
    )  # no commit

    assert Credential.objects.count() == 0


def test_coordinator_reverses_a_certification_with_a_reason(world, commit):
    almost_certified(world.member, capstone=False)
    with commit():
        services.evidence_review(evidence=capstone(world.member), by=world.expert, approve=True)
    certification = Certification.objects.get(person=world.member)

    with pytest.raises(ValidationError):
        services.certification_reverse(certification=certification, by=world.coordinator, reason="")
    services.certification_reverse(
        certification=certification, by=world.coordinator, reason="Plagiarized plan"
    )

    certification.refresh_from_db()
    certificate = Credential.objects.get(kind="certificate")
    assert (certification.status, certification.reversed_by, certification.reason) == (
        "reversed",
        world.coordinator,
        "Plagiarized plan",
    )
    assert (certificate.is_revoked, certificate.revoked_reason, selectors.certified_count()) == (
        True,
        "Plagiarized plan",
        0,
    )
    assert Credential.objects.filter(kind="area-level", revoked_at__isnull=True).count() == 12
    # More evidence does not quietly certify them again.
    services.evidence_sign_off(
        person=world.member,
        by=world.expert,
        competency=competency("email-and-lists", 3),
        description="More",
    )
    assert Certification.objects.get(person=world.member).status == "reversed"


def test_reinstating_issues_a_new_certificate(world, commit):
    almost_certified(world.member)
    with commit():
        certification = services.certification_check(person=world.member)
    services.certification_reverse(
        certification=certification, by=world.coordinator, reason="Mistake?"
    )

    with commit():
        services.certification_reinstate(certification=certification, by=world.coordinator)

    certificates = Credential.objects.filter(kind="certificate")
    assert sorted(c.is_revoked for c in certificates) == [False, True]
    assert selectors.certified_count() == 1


def test_coordinators_can_change_the_rule(world, commit):
    services.certificate_rule_update(
        by=world.coordinator,
        all_areas_level=1,
        advanced_level=2,
        advanced_areas=0,
        capstone_required=False,
    )
    person = UserFactory()

    from tests.curriculum.conftest import approved

    for area in selectors.area_names():
        approved(person, area, 1)
    assert services.certification_check(person=person).status == "certified"


def test_the_rule_refuses_a_higher_level_below_the_base_level(world):
    with pytest.raises(ValidationError):
        services.certificate_rule_update(
            by=world.coordinator,
            all_areas_level=3,
            advanced_level=2,
            advanced_areas=2,
            capstone_required=True,
        )
