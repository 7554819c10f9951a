"""A person's evidence, the reviews they wrote, their certification and credentials (the signed
documents themselves, so the export is a copy they can show anyone).

On deletion: evidence not approved is deleted; approved evidence keeps only what the levels and
credentials rest on (kind, competency, event, who approved it and when), its text and upload go.
The certification stays, so the count toward 1,000 stays right. Credentials keep their status
bit: revoked (the status list says so to every verifier) or left valid, as the person chose; a
certificate revoked this way does not reverse the certification, since nobody found it unearned.
"""

from django.db.models import Q
from django.utils import timezone

from strategists.common.personal_data import isoformat, register
from strategists.curriculum.models import Certification, Credential, Evidence

REVOKED_REASON = "The holder deleted their account and asked for their credentials to be revoked."


def _export(person) -> dict:
    evidence = Evidence.objects.filter(person=person).select_related("competency__area", "event")
    reviewed = (
        Evidence.objects.filter(reviewed_by=person)
        .exclude(person=person)
        .select_related("competency")
    )
    certification = Certification.objects.filter(person=person).first()
    return {
        "evidence": [
            {
                "id": e.pk,
                "kind": e.kind,
                "status": e.status,
                "competency": str(e.competency) if e.competency_id else None,
                "title": e.title,
                "organization": e.organization_name,
                "description": e.description,
                "link": e.link,
                "file": e.file.name if e.file else None,
                "event": e.event.title if e.event_id else None,
                "submitted": isoformat(e.created_at),
                "reviewed": isoformat(e.reviewed_at),
                "review_comment": e.review_comment,
            }
            for e in evidence.order_by("created_at", "pk")
        ],
        "reviews_you_wrote": [
            {
                "evidence_id": e.pk,
                "competency": str(e.competency) if e.competency_id else None,
                "status": e.status,
                "reviewed": isoformat(e.reviewed_at),
                "comment": e.review_comment,
            }
            for e in reviewed.order_by("reviewed_at", "pk")
        ],
        "certification": None
        if certification is None
        else {
            "status": certification.status,
            "certified": isoformat(certification.certified_at),
            "reversed": isoformat(certification.reversed_at),
        },
        "credentials": [
            {
                "id": str(c.pk),
                "kind": c.kind,
                "achievement": c.achievement_name,
                "issued": isoformat(c.issued_at),
                "revoked": isoformat(c.revoked_at),
                "document": c.document,
            }
            for c in Credential.objects.filter(person=person).order_by("issued_at", "pk")
        ],
    }


def _erase(person, *, keep_credentials: bool) -> None:
    from strategists.curriculum.issuing import status_list_publish

    for evidence in Evidence.objects.filter(person=person).exclude(status=Evidence.Status.APPROVED):
        if evidence.file:
            evidence.file.delete(save=False)
        evidence.delete()
    for evidence in Evidence.objects.filter(person=person).filter(~Q(file="")):
        evidence.file.delete(save=False)
    Evidence.objects.filter(person=person).update(
        title="", organization_name="", description="", link="", file="", review_comment=""
    )
    if not keep_credentials:
        active = Credential.objects.select_for_update().filter(
            person=person, revoked_at__isnull=True
        )
        lists = set(active.values_list("status_list", flat=True))
        active.update(revoked_at=timezone.now(), revoked_by=None, revoked_reason=REVOKED_REASON)
        for number in sorted(lists):
            status_list_publish(number=number)


register("skills", exporter=_export, eraser=_erase, order=20)
