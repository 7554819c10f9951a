"""Who may open and post to every skills and credentials page, for every role an attacker would
use. 404 where the object is not theirs to see (walking ids finds nothing), 403 where they see it
but may not act, 302 to the sign-in page for visitors."""

import pytest
from django.core.files.base import ContentFile

from strategists.curriculum import issuing
from strategists.curriculum.models import Certification, Evidence
from tests.conftest import ATTACKER_ROLES, ROLES
from tests.curriculum.conftest import approved, pending
from tests.permissions import Row, case_id, cases, run_row

SIGNED_IN_ROLES = [role for role in [*ROLES, *ATTACKER_ROLES] if role != "visitor"]


def expect(default: int, *, visitor: int = 302, **roles: int) -> dict[str, int]:
    """Every role gets `default`, the visitor `visitor`, except the roles named."""
    return {"visitor": visitor, **dict.fromkeys(SIGNED_IN_ROLES, default), **roles}


ALL = expect(200, visitor=200)
SIGNED_IN = expect(200)
REVIEWERS = expect(403, expert=200, coordinator=200)
COORDINATORS = expect(403, coordinator=200)
COORDINATOR_POST = expect(403, coordinator=302)
# Evidence and paths: hidden (404) from everyone but the owner, coordinators and reviewers of its area.
EVIDENCE = expect(404, expert=200, coordinator=200)


def others_evidence(world):
    """Pending evidence in the expert's approved area (email and lists)."""
    return {"pk": pending(world.other).pk}


def others_evidence_outside_the_experts_areas(world):
    return {"pk": pending(world.other, "web-and-cms").pk}


def members_file_evidence(world):
    evidence = pending(world.member)
    evidence.file.save("audit.pdf", ContentFile(b"%PDF-1.4 audit"))
    return {"pk": evidence.pk}


def members_returned_evidence(world):
    evidence = pending(world.member)
    Evidence.objects.filter(pk=evidence.pk).update(status=Evidence.Status.CHANGES_REQUESTED)
    return {"pk": evidence.pk}


def certification(world):
    from django.utils import timezone

    return {"pk": Certification.objects.create(person=world.other, certified_at=timezone.now()).pk}


def reversed_certification(world):
    kwargs = certification(world)
    Certification.objects.filter(pk=kwargs["pk"]).update(status=Certification.Status.REVERSED)
    return kwargs


def credential(world):
    approved(world.other, "web-and-cms", 2)
    return {"pk": issuing.credentials_issue(people=[world.other])[0].pk}


def endorsement(world):
    """The host's endorsement of another member's credential."""
    from strategists.curriculum import endorsement_services
    from strategists.curriculum.models import Credential

    pk = credential(world)["pk"]
    return {
        "pk": endorsement_services.endorsement_create(
            credential=Credential.objects.get(pk=pk), by=world.host, comment="Solid work."
        ).pk
    }


def web_l2(world):
    return {"area": "web-and-cms", "level": 2}


def members_page(world):
    """A member nobody has any reason to look up: reachable only by walking ids."""
    return {"pk": world.member.pk}


def members_page_with_evidence_waiting(world):
    """The member has evidence waiting in the expert's area: the expert may open their page."""
    pending(world.member)
    return {"pk": world.member.pk}


SIGN_OFF = {
    "area": "email-and-lists",
    "level": "2",
    "description": "Ran the list-cleaning workshop.",
}
WORK_SAMPLE = {
    "area": "email-and-lists",
    "level": "2",
    "kind": "work-sample",
    "description": "Our local's list clean-up, with before and after numbers.",
    "link": "https://example.net/list-audit",
}
CAPSTONE = {
    "title": "Plan for Local 7",
    "organization_name": "Local 7",
    "link": "https://example.net/plan",
    "description": "Goals, metrics and a budget for the year.",
}
RESUBMIT = {
    "description": "Now with the metrics section as asked.",
    "link": "https://example.net/audit-v2",
}

MATRIX = [
    Row("curriculum:framework", ALL),
    Row("curriculum:certificate", ALL),
    Row("curriculum:competency", ALL, kwargs=web_l2),
    Row("curriculum:rule_edit", COORDINATORS),
    Row(
        "curriculum:rule_edit",
        COORDINATOR_POST,
        "POST",
        data={
            "all_areas_level": "2",
            "advanced_level": "3",
            "advanced_areas": "2",
            "capstone_required": "on",
        },
    ),
    Row("curriculum:competency_edit", COORDINATORS, kwargs=web_l2),
    Row(
        "curriculum:competency_edit",
        COORDINATOR_POST,
        "POST",
        kwargs=web_l2,
        data={"can_do": "Plan a site.", "evidence": "A site audit."},
    ),
    Row("curriculum:my_path", SIGNED_IN),
    Row("curriculum:person_path", expect(404, member=200, coordinator=200), kwargs=members_page),
    Row(
        "curriculum:person_path",
        expect(404, member=200, expert=200, coordinator=200),
        kwargs=members_page_with_evidence_waiting,
    ),
    Row("curriculum:sign_off", expect(404, member=403, coordinator=200), kwargs=members_page),
    Row(
        "curriculum:sign_off",
        expect(404, member=403, expert=200, coordinator=200),
        kwargs=members_page_with_evidence_waiting,
    ),
    Row(
        "curriculum:sign_off",
        expect(404, member=403, coordinator=302),
        "POST",
        kwargs=members_page,
        data=SIGN_OFF,
    ),
    Row(
        "curriculum:sign_off",
        expect(404, member=403, expert=302, coordinator=302),
        "POST",
        kwargs=members_page_with_evidence_waiting,
        data=SIGN_OFF,
    ),
    Row("curriculum:evidence_new", SIGNED_IN),
    Row("curriculum:evidence_new", expect(302), "POST", data=WORK_SAMPLE),
    Row("curriculum:capstone_new", SIGNED_IN),
    Row("curriculum:capstone_new", expect(302), "POST", data=CAPSTONE),
    Row("curriculum:evidence", EVIDENCE, kwargs=others_evidence),
    Row(
        "curriculum:evidence",
        expect(404, coordinator=200),
        kwargs=others_evidence_outside_the_experts_areas,
    ),
    Row("curriculum:evidence", {**EVIDENCE, "member": 200}, kwargs=members_file_evidence),
    Row(
        "curriculum:evidence_edit",
        expect(404, member=200, expert=403, coordinator=403),
        kwargs=members_returned_evidence,
    ),
    Row(
        "curriculum:evidence_edit",
        expect(404, member=302, expert=403, coordinator=403),
        "POST",
        kwargs=members_returned_evidence,
        data=RESUBMIT,
    ),
    Row("curriculum:evidence_file", {**EVIDENCE, "member": 200}, kwargs=members_file_evidence),
    Row(
        "curriculum:evidence_review",
        expect(404, expert=302, coordinator=302),
        "POST",
        kwargs=others_evidence,
        data={"decision": "approve"},
    ),
    Row(
        "curriculum:evidence_review",
        expect(404, coordinator=302),
        "POST",
        kwargs=others_evidence_outside_the_experts_areas,
        data={"decision": "approve"},
    ),
    Row("curriculum:review_queue", REVIEWERS),
    Row("curriculum:certified_list", COORDINATORS),
    Row(
        "curriculum:certification_reverse",
        expect(404, coordinator=302),
        "POST",
        kwargs=certification,
        data={"reason": "Plagiarized capstone"},
    ),
    Row(
        "curriculum:certification_reinstate",
        expect(404, coordinator=302),
        "POST",
        kwargs=reversed_certification,
    ),
    Row("curriculum:verify", ALL),
    Row("curriculum:verify", ALL, "POST", data={"credential": "{}"}),
    Row("curriculum:status_list", ALL, kwargs={"number": 1}),
    Row("curriculum:credential", ALL, kwargs=credential),
    Row("curriculum:credential_json", ALL, kwargs=credential),
    Row("curriculum:credential_trace", COORDINATORS, kwargs=credential),
    Row(
        "curriculum:credential_revoke",
        COORDINATOR_POST,
        "POST",
        kwargs=credential,
        data={"reason": "Duplicate"},
    ),
    Row("curriculum:did_document", ALL),
    Row("curriculum:credential_badge", ALL, kwargs=credential),
    Row("curriculum:credential_badge", expect(405, visitor=405), "POST", kwargs=credential),
    # Without the holder's challenge a wallet gets nothing, whoever is signed in.
    Row("curriculum:wallet_exchange", expect(400, visitor=400), "POST", kwargs=credential),
    Row("curriculum:wallet_exchange", expect(405, visitor=405), kwargs=credential),
    # Hosts (of any organization) and certified strategists endorse; an ex-host no longer does.
    Row("curriculum:credential_endorse", expect(403, host=200, other_host=200), kwargs=credential),
    Row(
        "curriculum:credential_endorse",
        expect(403, host=302, other_host=302),
        "POST",
        kwargs=credential,
        data={"comment": "Ran our site rebuild."},
    ),
    Row("curriculum:endorsement", ALL, kwargs=endorsement),
    Row("curriculum:endorsement", expect(405, visitor=405), "POST", kwargs=endorsement),
    Row(
        "curriculum:endorsement_withdraw",
        expect(403, host=302, coordinator=302),
        "POST",
        kwargs=endorsement,
    ),
    Row("curriculum:endorsement_withdraw", expect(405, visitor=405), kwargs=endorsement),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]


def test_a_coordinator_cannot_review_their_own_organizations_people(client_for, world):
    world.coordinator.organization = world.organization
    world.coordinator.save()
    evidence = pending(world.host)

    response = client_for("coordinator").post(
        f"/skills/evidence/{evidence.pk}/review/", {"decision": "approve"}
    )

    assert (response.status_code, Evidence.objects.get(pk=evidence.pk).status) == (403, "pending")


def test_an_expert_cannot_sign_off_themselves(client_for, world):
    response = client_for("expert").post(
        f"/skills/people/{world.expert.pk}/sign-off/",
        {"area": "email-and-lists", "level": "2", "description": "I am great at this."},
    )

    assert (response.status_code, Evidence.objects.count()) == (403, 0)
