"""Every write on skills: evidence, reviews, sign-offs, the framework, certification.

Credentials are issued by a task queued after commit, so a rolled-back decision never
signs anything, and a slow signature never holds up the request.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.common.audit import audit_log
from strategists.common.mail import mail_person
from strategists.curriculum import issuing, selectors
from strategists.curriculum import rules as curriculum_rules
from strategists.curriculum.models import (
    CertificateRule,
    Certification,
    Competency,
    Credential,
    Evidence,
)
from strategists.curriculum.signals import certified


def _issue_after_commit(person_ids) -> None:
    from strategists.curriculum.tasks import issue_credentials

    for person_id in sorted(set(person_ids)):
        transaction.on_commit(lambda person_id=person_id: issue_credentials.enqueue(person_id))


def _mail(person: User, template: str, context: dict, kind: str) -> None:
    mail_person(person, template=f"curriculum/mail/{template}", context=context, kind=kind)


def _refusal() -> str:
    return _(
        "You can't decide on this: it is outside the areas you were approved for, or it is your own, "
        "your organization's, or from someone who reviewed you."
    )


def _check_reviewer(user: User, evidence: Evidence) -> None:
    """The same rule as rules.py, enforced again where the write happens."""
    if not curriculum_rules.may_review(user, evidence):
        raise PermissionDenied(_refusal())


# --- evidence --------------------------------------------------------------------------------


@transaction.atomic
def evidence_from_event(*, event) -> list[Evidence]:
    """Everyone checked in at a completed training gets L1 evidence in each area it taught.
    Running it again (the host corrects the areas) adds what is missing and removes nothing."""
    competencies = list(Competency.objects.filter(area__in=event.taught_areas.all(), level=1))
    attendees = list(
        event.registrations.filter(person__isnull=False, checked_in_at__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    existing = set(
        Evidence.objects.filter(event=event, kind=Evidence.Kind.ATTENDANCE).values_list(
            "person_id", "competency_id"
        )
    )
    when = event.completed_at or timezone.now()
    created = Evidence.objects.bulk_create(
        [
            Evidence(
                person_id=person_id,
                competency=competency,
                kind=Evidence.Kind.ATTENDANCE,
                status=Evidence.Status.APPROVED,
                event=event,
                title=event.title[:200],
                reviewed_at=when,
                description=_("Attended “%(title)s”.") % {"title": event.title},
            )
            for person_id in attendees
            for competency in competencies
            if (person_id, competency.pk) not in existing
        ]
    )
    people = {evidence.person_id for evidence in created}
    if created:
        audit_log(
            "evidence.attended",
            event,
            data={
                "people": sorted(people),
                "areas": sorted({c.area_id for c in competencies}),
                "evidence": [evidence.pk for evidence in created],
            },
        )
    # L1 evidence can only complete a rule that asks for no more than L1 anywhere.
    if selectors.certificate_rule().all_areas_level <= 1:
        for person in User.objects.filter(pk__in=people):
            certification_check(person=person)
    _issue_after_commit(people)
    return created


@transaction.atomic
def evidence_submit(
    *,
    person: User,
    kind: str,
    description: str,
    competency: Competency | None = None,
    link: str = "",
    file=None,
    title: str = "",
    organization_name: str = "",
) -> Evidence:
    """A work sample, a prior-learning claim or the capstone, for an expert to review."""
    if kind not in {
        Evidence.Kind.WORK_SAMPLE,
        Evidence.Kind.PRIOR_LEARNING,
        Evidence.Kind.CAPSTONE,
    }:
        raise ValidationError(_("Members submit work samples, prior learning or a capstone."))
    if (kind == Evidence.Kind.CAPSTONE) != (competency is None):
        raise ValidationError(
            _("A capstone covers the whole certificate; other evidence one skill level.")
        )
    if not link and not file:
        raise ValidationError(_("Add a link or a file."))
    evidence = Evidence(
        person=person,
        kind=kind,
        competency=competency,
        description=description,
        link=link,
        title=title,
        organization_name=organization_name,
    )
    if file:
        evidence.file = file
    evidence.full_clean(exclude=["file"])
    evidence.save()
    audit_log("evidence.submitted", evidence, actor=person, data={"kind": kind})
    return evidence


@transaction.atomic
def evidence_resubmit(
    *,
    evidence: Evidence,
    by: User,
    description: str,
    link: str = "",
    file=None,
    title: str = "",
    organization_name: str = "",
) -> Evidence:
    """After a reviewer asked for changes, the member updates it and it goes back in the queue."""
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.person_id != by.pk:
        raise PermissionDenied
    if evidence.status != Evidence.Status.CHANGES_REQUESTED:
        raise ValidationError(_("Only evidence sent back for changes can be updated."))
    evidence.description, evidence.link = description, link
    evidence.title, evidence.organization_name = (
        title or evidence.title,
        organization_name or evidence.organization_name,
    )
    if file:
        evidence.file = file
    if not evidence.link and not evidence.file:
        raise ValidationError(_("Add a link or a file."))
    evidence.status = Evidence.Status.PENDING
    evidence.save()
    audit_log(
        "evidence.resubmitted",
        evidence,
        actor=by,
        before={"status": Evidence.Status.CHANGES_REQUESTED},
        after={"status": evidence.status},
    )
    return evidence


@transaction.atomic
def evidence_review(*, evidence: Evidence, by: User, approve: bool, comment: str = "") -> Evidence:
    """Approve, or ask for changes (with a comment). Records who decided and when."""
    evidence = (
        Evidence.objects.select_for_update(of=("self",))
        .select_related("person", "competency__area")
        .get(pk=evidence.pk)
    )
    _check_reviewer(by, evidence)
    if evidence.status != Evidence.Status.PENDING:
        raise ValidationError(_("This evidence has already been reviewed."))
    if not approve and not comment.strip():
        raise ValidationError(_("Tell the member what to change."))
    evidence.status = Evidence.Status.APPROVED if approve else Evidence.Status.CHANGES_REQUESTED
    evidence.reviewed_by = by
    evidence.reviewed_at = timezone.now()
    evidence.review_comment = comment.strip()
    evidence.save()
    audit_log(
        "evidence.approved" if approve else "evidence.changes_requested",
        evidence,
        actor=by,
        before={"status": Evidence.Status.PENDING},
        after={"status": evidence.status},
        data={"person": evidence.person_id, "comment": evidence.review_comment},
    )
    _mail(evidence.person, "reviewed", {"evidence": evidence, "reviewer": by}, "evidence-reviewed")
    if approve:
        certification_check(person=evidence.person)
        _issue_after_commit([evidence.person_id])
    return evidence


@transaction.atomic
def evidence_sign_off(
    *, person: User, by: User, competency: Competency, description: str
) -> Evidence:
    """An expert saw the skill demonstrated and signs it off: approved on the spot."""
    if not curriculum_rules.may_sign_off(by, person, competency):
        raise PermissionDenied(_refusal())
    if not description.strip():
        raise ValidationError(_("Say what they demonstrated."))
    now = timezone.now()
    evidence = Evidence.objects.create(
        person=person,
        competency=competency,
        kind=Evidence.Kind.SIGN_OFF,
        status=Evidence.Status.APPROVED,
        description=description.strip(),
        reviewed_by=by,
        reviewed_at=now,
    )
    audit_log(
        "evidence.signed_off",
        evidence,
        actor=by,
        data={"person": person.pk, "competency": str(competency)},
    )
    _mail(person, "signed_off", {"evidence": evidence, "reviewer": by}, "evidence-signed-off")
    certification_check(person=person)
    _issue_after_commit([person.pk])
    return evidence


# --- the framework ---------------------------------------------------------------------------


@transaction.atomic
def competency_update(
    *, competency: Competency, by: User, can_do: str, evidence: str
) -> Competency:
    before = {"can_do": competency.can_do, "evidence": competency.evidence}
    competency.can_do, competency.evidence = can_do.strip(), evidence.strip()
    competency.full_clean()
    competency.save()
    audit_log(
        "competency.updated",
        competency,
        actor=by,
        before=before,
        after={"can_do": competency.can_do, "evidence": competency.evidence},
    )
    return competency


@transaction.atomic
def certificate_rule_update(
    *,
    by: User,
    all_areas_level: int,
    advanced_level: int,
    advanced_areas: int,
    capstone_required: bool,
) -> CertificateRule:
    """A new rule applies from now on: certifications already granted stand."""
    if advanced_level < all_areas_level:
        raise ValidationError(_("The higher level can't be below the level needed in every area."))
    rule = CertificateRule.objects.select_for_update().get_or_create(pk=1)[0]
    fields = ["all_areas_level", "advanced_level", "advanced_areas", "capstone_required"]
    before = {name: getattr(rule, name) for name in fields}
    rule.all_areas_level, rule.advanced_level = all_areas_level, advanced_level
    rule.advanced_areas, rule.capstone_required = advanced_areas, capstone_required
    rule.updated_by = by
    rule.full_clean()
    rule.save()
    audit_log(
        "certificate_rule.updated",
        rule,
        actor=by,
        before=before,
        after={name: getattr(rule, name) for name in fields},
    )
    return rule


# --- certification ---------------------------------------------------------------------------


@transaction.atomic
def certification_check(*, person: User) -> Certification | None:
    """Certify the person once the rule is met. A reversed certification stays reversed:
    only a coordinator decides on it again."""
    certification = Certification.objects.select_for_update().filter(person=person).first()
    if certification is not None:
        return certification
    if not selectors.person_standing(person).meets_rule:
        return None
    certification = Certification.objects.create(person=person, certified_at=timezone.now())
    audit_log("certification.granted", certification, data={"person": person.pk})
    certified.send(sender=Certification, certification=certification)
    _mail(person, "certified", {"person": person}, "certified")
    _issue_after_commit([person.pk])
    return certification


@transaction.atomic
def certification_reverse(*, certification: Certification, by: User, reason: str) -> Certification:
    """A coordinator takes a certification back; its certificate credential is revoked."""
    certification = (
        Certification.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=certification.pk)
    )
    if not reason.strip():
        raise ValidationError(_("Give a reason."))
    if certification.status == Certification.Status.REVERSED:
        return certification
    certification.status = Certification.Status.REVERSED
    certification.reversed_by, certification.reversed_at = by, timezone.now()
    certification.reason = reason.strip()
    certification.save()
    audit_log(
        "certification.reversed",
        certification,
        actor=by,
        before={"status": Certification.Status.CERTIFIED},
        after={"status": certification.status},
        data={"reason": certification.reason},
    )
    for credential in Credential.objects.filter(
        person=certification.person, kind=Credential.Kind.CERTIFICATE, revoked_at__isnull=True
    ):
        issuing.credential_revoke(credential=credential, by=by, reason=reason)
    _mail(
        certification.person, "reversed", {"certification": certification}, "certification-reversed"
    )
    return certification


@transaction.atomic
def certification_reinstate(*, certification: Certification, by: User) -> Certification:
    """Undo a reversal: certified again, with a new certificate credential."""
    certification = Certification.objects.select_for_update().get(pk=certification.pk)
    if certification.status == Certification.Status.CERTIFIED:
        return certification
    certification.status = Certification.Status.CERTIFIED
    certification.reason = ""
    certification.reversed_by = certification.reversed_at = None
    certification.save()
    audit_log(
        "certification.reinstated",
        certification,
        actor=by,
        before={"status": Certification.Status.REVERSED},
        after={"status": certification.status},
    )
    certified.send(sender=Certification, certification=certification)
    _issue_after_commit([certification.person_id])
    return certification


@transaction.atomic
def credential_revoke(*, credential: Credential, by: User | None, reason: str) -> Credential:
    if not reason.strip():
        raise ValidationError(_("Give a reason."))
    credential = issuing.credential_revoke(credential=credential, by=by, reason=reason)
    _mail(credential.person, "revoked", {"credential": credential}, "credential-revoked")
    return credential
