"""Every write on skills and credentials leaves one typed audit entry, in its own transaction."""

import pytest
from django.core.exceptions import PermissionDenied

from strategists.common.models import AuditEntry
from strategists.curriculum import issuing, services
from strategists.curriculum.models import Certification, Credential, Evidence
from tests.curriculum.conftest import (
    almost_certified,
    approved,
    competency,
    completed_training,
    pending,
)

pytestmark = pytest.mark.django_db


def entries(action: str) -> list[tuple]:
    return list(
        AuditEntry.objects.filter(action=action)
        .order_by("pk")
        .values_list("object_type", "object_id", "actor_id", "data")
    )


def test_attendance_evidence_is_logged_on_the_training(world):
    event = completed_training(
        host=world.host, coordinator=world.coordinator, attendees=[world.member]
    )
    evidence = list(
        Evidence.objects.filter(event=event).order_by("pk").values_list("pk", flat=True)
    )

    assert entries("evidence.attended") == [
        (
            "events.event",
            str(event.pk),
            None,
            {
                "people": [world.member.pk],
                "areas": ["digital-security", "email-and-lists"],
                "evidence": evidence,
            },
        )
    ]


def test_submitting_and_resubmitting_evidence_is_logged(world):
    evidence = services.evidence_submit(
        person=world.member,
        kind=Evidence.Kind.WORK_SAMPLE,
        competency=competency("email-and-lists", 2),
        description="List audit",
        link="https://example.net/audit",
    )
    services.evidence_review(
        evidence=evidence, by=world.expert, approve=False, comment="Add numbers."
    )
    services.evidence_resubmit(
        evidence=evidence,
        by=world.member,
        description="With numbers",
        link="https://example.net/audit-2",
    )

    assert entries("evidence.submitted") == [
        ("curriculum.evidence", str(evidence.pk), world.member.pk, {"kind": "work-sample"})
    ]
    assert entries("evidence.changes_requested") == [
        (
            "curriculum.evidence",
            str(evidence.pk),
            world.expert.pk,
            {
                "person": world.member.pk,
                "comment": "Add numbers.",
                "before": {"status": "pending"},
                "after": {"status": "changes-requested"},
            },
        )
    ]
    assert entries("evidence.resubmitted") == [
        (
            "curriculum.evidence",
            str(evidence.pk),
            world.member.pk,
            {"before": {"status": "changes-requested"}, "after": {"status": "pending"}},
        )
    ]


def test_approving_evidence_is_logged_and_a_refused_review_logs_nothing(world):
    evidence = pending(world.member)
    with pytest.raises(PermissionDenied):
        services.evidence_review(evidence=evidence, by=world.host, approve=True)

    services.evidence_review(evidence=evidence, by=world.expert, approve=True, comment="Good.")

    assert entries("evidence.approved") == [
        (
            "curriculum.evidence",
            str(evidence.pk),
            world.expert.pk,
            {
                "person": world.member.pk,
                "comment": "Good.",
                "before": {"status": "pending"},
                "after": {"status": "approved"},
            },
        )
    ]


def test_a_sign_off_is_logged(world):
    evidence = services.evidence_sign_off(
        person=world.member,
        by=world.expert,
        competency=competency("email-and-lists", 2),
        description="Saw it.",
    )

    assert entries("evidence.signed_off") == [
        (
            "curriculum.evidence",
            str(evidence.pk),
            world.expert.pk,
            {"person": world.member.pk, "competency": "Email and lists · L2 Strategist"},
        )
    ]


def test_framework_and_rule_changes_are_logged_with_before_and_after(world):
    cell = competency("web-and-cms", 2)
    old = cell.can_do
    services.competency_update(
        competency=cell, by=world.coordinator, can_do="Plan a site.", evidence="A plan."
    )
    rule = services.certificate_rule_update(
        by=world.coordinator,
        all_areas_level=2,
        advanced_level=3,
        advanced_areas=3,
        capstone_required=True,
    )

    [(kind, pk, actor, data)] = entries("competency.updated")
    assert (kind, pk, actor, data["before"]["can_do"][:40], data["after"]) == (
        "curriculum.competency",
        str(cell.pk),
        world.coordinator.pk,
        old[:40],
        {"can_do": "Plan a site.", "evidence": "A plan."},
    )
    assert entries("certificate_rule.updated") == [
        (
            "curriculum.certificaterule",
            str(rule.pk),
            world.coordinator.pk,
            {
                "before": {
                    "all_areas_level": 2,
                    "advanced_level": 3,
                    "advanced_areas": 2,
                    "capstone_required": True,
                },
                "after": {
                    "all_areas_level": 2,
                    "advanced_level": 3,
                    "advanced_areas": 3,
                    "capstone_required": True,
                },
            },
        )
    ]


def test_certification_granted_reversed_and_reinstated_are_logged(world):
    almost_certified(world.member)
    certification = services.certification_check(person=world.member)
    services.certification_reverse(
        certification=certification, by=world.coordinator, reason="Copied plan"
    )
    services.certification_reinstate(certification=certification, by=world.coordinator)

    target = ("curriculum.certification", str(certification.pk))
    assert entries("certification.granted") == [(*target, None, {"person": world.member.pk})]
    assert entries("certification.reversed") == [
        (
            *target,
            world.coordinator.pk,
            {
                "reason": "Copied plan",
                "before": {"status": "certified"},
                "after": {"status": "reversed"},
            },
        )
    ]
    assert entries("certification.reinstated") == [
        (
            *target,
            world.coordinator.pk,
            {"before": {"status": "reversed"}, "after": {"status": "certified"}},
        )
    ]
    assert Certification.objects.get().status == "certified"


def test_issuing_and_revoking_credentials_is_logged(world):
    approved(world.member, "web-and-cms", 2)
    [credential] = issuing.credentials_issue(people=[world.member])
    services.credential_revoke(credential=credential, by=world.coordinator, reason="Duplicate")

    assert entries("credential.issued") == [
        (
            "curriculum.credential",
            str(credential.pk),
            None,
            {
                "person": world.member.pk,
                "kind": "area-level",
                "achievement": "Web and CMS: L2 Strategist",
                "status_index": credential.status_index,
            },
        )
    ]
    assert entries("credential.revoked") == [
        (
            "curriculum.credential",
            str(credential.pk),
            world.coordinator.pk,
            {"person": world.member.pk, "reason": "Duplicate"},
        )
    ]
    # Published when the first credential was issued, and again with the revoked bit set.
    assert [data for *_, data in entries("status_list.published")] == [
        {"revoked": 0},
        {"revoked": 1},
    ]
    assert Credential.objects.get().is_revoked is True
