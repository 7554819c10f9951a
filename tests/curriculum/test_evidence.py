import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from strategists.curriculum import selectors, services
from strategists.curriculum.models import Credential, Evidence
from tests.curriculum.conftest import competency, completed_training, pending
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_attending_a_completed_training_gives_l1_evidence_once(world, commit):
    with commit():
        event = completed_training(
            host=world.host,
            coordinator=world.coordinator,
            attendees=[world.member],
            absent=[world.other],
        )
    again = services.evidence_from_event(event=event)

    rows = list(
        Evidence.objects.order_by("competency__area__position").values_list(
            "person__email",
            "competency__area_id",
            "competency__level",
            "kind",
            "status",
            "event_id",
        )
    )
    assert rows == [
        ("member@example.net", "email-and-lists", 1, "attendance", "approved", event.pk),
        ("member@example.net", "digital-security", 1, "attendance", "approved", event.pk),
    ]
    assert again == []
    assert sorted(Credential.objects.values_list("achievement_name", flat=True)) == [
        "Digital security: L1 Practitioner",
        "Email and lists: L1 Practitioner",
    ]


def test_member_submits_work_sample_and_expert_approves_it(world, commit):
    evidence = services.evidence_submit(
        person=world.member,
        kind=Evidence.Kind.WORK_SAMPLE,
        competency=competency("email-and-lists", 2),
        description="List audit",
        link="https://example.net/audit",
    )
    with commit():
        reviewed = services.evidence_review(
            evidence=evidence, by=world.expert, approve=True, comment="Thorough."
        )

    assert (
        reviewed.status,
        reviewed.reviewed_by,
        reviewed.reviewed_at is not None,
        reviewed.review_comment,
    ) == ("approved", world.expert, True, "Thorough.")
    assert selectors.person_standing(world.member).levels == {"email-and-lists": 2}
    assert [m.subject for m in mail.outbox] == ["Your evidence is approved"]
    assert list(Credential.objects.values_list("person__email", "achievement_name")) == [
        ("member@example.net", "Email and lists: L2 Strategist")
    ]


def test_requesting_changes_needs_a_comment_and_sends_it_back(world):
    evidence = pending(world.member, "email-and-lists")

    with pytest.raises(ValidationError):
        services.evidence_review(evidence=evidence, by=world.expert, approve=False, comment=" ")
    services.evidence_review(
        evidence=evidence, by=world.expert, approve=False, comment="Add the metrics."
    )
    resubmitted = services.evidence_resubmit(
        evidence=evidence,
        by=world.member,
        description="With metrics now",
        link="https://example.net/audit-v2",
    )

    assert (resubmitted.status, resubmitted.link, resubmitted.review_comment) == (
        "pending",
        "https://example.net/audit-v2",
        "Add the metrics.",
    )


def test_nobody_reviews_themselves(world):
    evidence = pending(world.expert)

    with pytest.raises(PermissionDenied):
        services.evidence_review(evidence=evidence, by=world.expert, approve=True)
    assert world.expert.has_perm("curriculum.review_evidence", evidence) is False
    assert Evidence.objects.get(pk=evidence.pk).status == "pending"


def test_nobody_reviews_or_signs_off_their_own_organizations_people(world):
    colleague = UserFactory(organization=world.organization)
    world.expert.organization = world.organization
    world.expert.save()
    evidence = pending(colleague)

    with pytest.raises(PermissionDenied):
        services.evidence_review(evidence=evidence, by=world.expert, approve=True)
    with pytest.raises(PermissionDenied):
        services.evidence_sign_off(
            person=colleague,
            by=world.expert,
            competency=competency("web-and-cms", 2),
            description="Saw it",
        )
    assert (
        world.expert.has_perm("curriculum.review_evidence", evidence),
        world.expert.has_perm("curriculum.sign_off", colleague),
        world.expert.has_perm("curriculum.sign_off", world.member),
    ) == (False, False, True)


def test_members_who_are_not_experts_cannot_review(world):
    evidence = pending(world.member)

    with pytest.raises(PermissionDenied):
        services.evidence_review(evidence=evidence, by=world.other, approve=True)


def test_expert_sign_off_is_approved_with_who_and_when(world, commit):
    with commit():
        evidence = services.evidence_sign_off(
            person=world.member,
            by=world.expert,
            competency=competency("digital-security", 3),
            description="Ran the phishing drill.",
        )

    assert (
        evidence.kind,
        evidence.status,
        evidence.reviewed_by,
        evidence.reviewed_at is not None,
    ) == ("sign-off", "approved", world.expert, True)
    assert selectors.person_standing(world.member).levels == {"digital-security": 3}


def test_a_reviewed_evidence_cannot_be_reviewed_twice(world):
    evidence = pending(world.member, "email-and-lists")
    services.evidence_review(evidence=evidence, by=world.expert, approve=True)

    with pytest.raises(ValidationError) as error:
        services.evidence_review(
            evidence=evidence, by=world.coordinator, approve=False, comment="No"
        )
    assert error.value.messages == ["This evidence has already been reviewed."]
