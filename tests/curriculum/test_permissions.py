import pytest
from django.core.files.base import ContentFile

from strategists.curriculum import issuing
from strategists.curriculum.models import Certification, Evidence
from tests.curriculum.conftest import approved, pending
from tests.permissions import Row, case_id, cases, run_row

ALL = {"visitor": 200, "member": 200, "host": 200, "expert": 200, "coordinator": 200}
SIGNED_IN = {"visitor": 302, "member": 200, "host": 200, "expert": 200, "coordinator": 200}
REVIEWERS = {"visitor": 302, "member": 403, "host": 403, "expert": 200, "coordinator": 200}
COORDINATORS = {"visitor": 302, "member": 403, "host": 403, "expert": 403, "coordinator": 200}
COORDINATOR_POST = {**COORDINATORS, "coordinator": 302}


def others_evidence(world):
    return {"pk": pending(world.other).pk}


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


def web_l2(world):
    return {"area": "web-and-cms", "level": 2}


def members_page(world):
    return {"pk": world.member.pk}


MATRIX = [
    Row("curriculum:framework", ALL),
    Row("curriculum:certificate", ALL),
    Row("curriculum:competency", ALL, kwargs=web_l2),
    Row("curriculum:rule_edit", COORDINATORS),
    Row("curriculum:rule_edit", COORDINATOR_POST, "POST", data={
        "all_areas_level": "2", "advanced_level": "3", "advanced_areas": "2", "capstone_required": "on"}),
    Row("curriculum:competency_edit", COORDINATORS, kwargs=web_l2),
    Row("curriculum:competency_edit", COORDINATOR_POST, "POST", kwargs=web_l2,
        data={"can_do": "Plan a site.", "evidence": "A site audit."}),
    Row("curriculum:my_path", SIGNED_IN),
    Row("curriculum:person_path", {**REVIEWERS, "member": 200}, kwargs=members_page),
    Row("curriculum:sign_off", REVIEWERS, kwargs=members_page),
    Row("curriculum:sign_off", {**REVIEWERS, "expert": 302, "coordinator": 302}, "POST", kwargs=members_page,
        data={"area": "web-and-cms", "level": "2", "description": "Ran the site plan workshop."}),
    Row("curriculum:evidence_new", SIGNED_IN),
    Row("curriculum:capstone_new", SIGNED_IN),
    Row("curriculum:evidence", REVIEWERS, kwargs=others_evidence),
    Row("curriculum:evidence", {**REVIEWERS, "member": 200}, kwargs=members_file_evidence),
    Row("curriculum:evidence_edit", {**COORDINATORS, "member": 200, "coordinator": 403},
        kwargs=members_returned_evidence),
    Row("curriculum:evidence_file", {**REVIEWERS, "member": 200}, kwargs=members_file_evidence),
    Row("curriculum:evidence_review", {**REVIEWERS, "expert": 302, "coordinator": 302}, "POST",
        kwargs=others_evidence, data={"decision": "approve"}),
    Row("curriculum:review_queue", REVIEWERS),
    Row("curriculum:certified_list", COORDINATORS),
    Row("curriculum:certification_reverse", COORDINATOR_POST, "POST", kwargs=certification,
        data={"reason": "Plagiarized capstone"}),
    Row("curriculum:certification_reinstate", COORDINATOR_POST, "POST", kwargs=reversed_certification),
    Row("curriculum:verify", ALL),
    Row("curriculum:verify", ALL, "POST", data={"credential": "{}"}),
    Row("curriculum:status_list", ALL, kwargs={"number": 1}),
    Row("curriculum:credential", ALL, kwargs=credential),
    Row("curriculum:credential_json", ALL, kwargs=credential),
    Row("curriculum:credential_revoke", COORDINATOR_POST, "POST", kwargs=credential, data={"reason": "Duplicate"}),
    Row("curriculum:did_document", ALL),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]


def test_a_coordinator_cannot_review_their_own_organizations_people(client_for, world):
    world.coordinator.organization = world.organization
    world.coordinator.save()
    evidence = pending(world.host)

    response = client_for("coordinator").post(f"/skills/evidence/{evidence.pk}/review/", {"decision": "approve"})

    assert (response.status_code, Evidence.objects.get(pk=evidence.pk).status) == (403, "pending")


def test_an_expert_cannot_sign_off_themselves(client_for, world):
    response = client_for("expert").post(f"/skills/people/{world.expert.pk}/sign-off/", {
        "area": "web-and-cms", "level": "2", "description": "I am great at this."})

    assert (response.status_code, Evidence.objects.count()) == (403, 0)
