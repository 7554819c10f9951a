"""Who may see and decide what about evidence.

Reviewers are coordinators and active experts; an expert reviews only the areas a coordinator
approved for them. Nobody reviews themselves, anyone who shares an organization with them
(granted or self-declared), or anyone who reviewed them (no sign-off rings). Views refuse with
404 what a person may not see, so walking ids tells nothing; services check the same rules
again where the write happens.
"""

import rules
from django.db.models import Q, QuerySet

from strategists.accounts.models import ExpertApplication, Organization, User
from strategists.accounts.rules import is_coordinator, is_host, is_member, is_self
from strategists.curriculum.models import Certification, Evidence
from strategists.events.models import Registration, TrainerAssignment


def organization_ids(user: User) -> set[int]:
    """Every organization the person belongs to for conflicts of interest: the ones they host
    for, the one an approved expert application named, and the one they declared. A declared
    organization only ever adds exclusions; it grants nothing anywhere."""
    if user is None or not user.pk:
        return set()
    ids = set(Organization.objects.filter(hosts=user).values_list("pk", flat=True))
    ids |= set(
        ExpertApplication.objects.filter(
            user=user,
            state=ExpertApplication.State.APPROVED,
            organization__isnull=False,
        ).values_list("organization_id", flat=True)
    )
    if user.organization_id:
        ids.add(user.organization_id)
    return ids


def people_of_organizations(organization_ids_: set[int]) -> QuerySet[User]:
    """Everyone who belongs (granted or declared) to any of these organizations."""
    return User.objects.filter(
        Q(organization_id__in=organization_ids_)
        | Q(hosted_organizations__in=organization_ids_)
        | Q(
            expert_applications__state=ExpertApplication.State.APPROVED,
            expert_applications__organization_id__in=organization_ids_,
        ),
    )


def reviewers_of(person: User) -> QuerySet[User]:
    """Everyone who ever decided on this person's evidence (a review or a sign-off)."""
    return User.objects.filter(
        pk__in=Evidence.objects.filter(person=person, reviewed_by__isnull=False).values(
            "reviewed_by"
        )
    )


def approved_area_ids(user: User) -> set[str]:
    """The areas a coordinator approved this expert to review; none unless the profile is active."""
    if not is_member(user):
        return set()
    profile = getattr(user, "expert_profile", None)
    if profile is None or not profile.is_active:
        return set()
    return set(profile.approved_areas.values_list("pk", flat=True))


@rules.predicate
def is_approved_expert(user):
    """An active expert with at least one approved area: someone who may review anything."""
    return bool(approved_area_ids(user))


is_reviewer = is_approved_expert | is_coordinator


@rules.predicate
def independent_of_person(user, person):
    """Not the person, not sharing an organization with them, and not someone they reviewed."""
    if not is_member(user) or person is None or user.pk == person.pk:
        return False
    if organization_ids(user) & organization_ids(person):
        return False
    return not reviewers_of(user).filter(pk=person.pk).exists()


@rules.predicate
def independent_of_evidence(user, evidence):
    return evidence is not None and independent_of_person(user, evidence.person)


def covers_area(user, area_id: str | None) -> bool:
    """Coordinators cover every area; an expert their approved ones. A capstone (no area) is a
    whole plan: any approved expert may review it, the rest of the rules still apply."""
    if is_coordinator(user):
        return True
    areas = approved_area_ids(user)
    return bool(areas) if area_id is None else area_id in areas


@rules.predicate
def covers_evidence(user, evidence):
    if evidence is None:
        return False
    return covers_area(user, evidence.competency.area_id if evidence.competency_id else None)


@rules.predicate
def owns_evidence(user, evidence):
    return is_member(user) and evidence is not None and evidence.person_id == user.pk


@rules.predicate
def knows_person(user, person):
    """An expert has a reason to open someone's path: evidence of theirs waits in the expert's
    areas, they attended a training the expert trained at, or the expert reviewed them before."""
    if person is None:
        return False
    areas = approved_area_ids(user)
    if not areas:
        return False
    waiting = Evidence.objects.filter(person=person, status=Evidence.Status.PENDING).filter(
        Q(competency__area__in=areas) | Q(kind=Evidence.Kind.CAPSTONE)
    )
    trained = Registration.objects.filter(
        person=person,
        checked_in_at__isnull=False,
        event__in=TrainerAssignment.objects.filter(
            trainer=user, status=TrainerAssignment.Status.ACCEPTED
        ).values("event"),
    )
    reviewed = Evidence.objects.filter(person=person, reviewed_by=user)
    return waiting.exists() or trained.exists() or reviewed.exists()


def may_review(user: User, evidence) -> bool:
    """The one rule for deciding on evidence, used by the views and by the services."""
    return is_member(user) and user.has_perm("curriculum.review_evidence", evidence)


def may_sign_off(user: User, person: User, competency) -> bool:
    """Sign off this competency for this person: independent of them and approved in its area."""
    return (
        is_reviewer(user)
        and independent_of_person(user, person)
        and covers_area(user, competency.area_id)
    )


@rules.predicate
def is_certified(user):
    return (
        is_member(user)
        and Certification.objects.filter(
            person=user, status=Certification.Status.CERTIFIED
        ).exists()
    )


@rules.predicate
def may_endorse(user, credential):
    """Hosts and certified strategists vouch for others' standing credentials."""
    return (
        credential is not None
        and credential.revoked_at is None
        and credential.person_id != user.pk
        and (is_host(user) or is_certified(user))
    )


@rules.predicate
def gave_endorsement(user, endorsement):
    return endorsement is not None and endorsement.endorser_id == user.pk


rules.add_perm(
    "curriculum.view_path",
    is_self | is_coordinator | (is_approved_expert & independent_of_person & knows_person),
)
rules.add_perm("curriculum.sign_off", is_reviewer & independent_of_person)
rules.add_perm("curriculum.submit_evidence", is_member)
rules.add_perm("curriculum.change_evidence", owns_evidence)
rules.add_perm(
    "curriculum.view_evidence",
    owns_evidence
    | is_coordinator
    | (is_approved_expert & covers_evidence & independent_of_evidence),
)
rules.add_perm(
    "curriculum.review_evidence", is_reviewer & covers_evidence & independent_of_evidence
)
rules.add_perm("curriculum.review_queue", is_reviewer)
rules.add_perm("curriculum.edit_framework", is_coordinator)
rules.add_perm("curriculum.view_certified", is_coordinator)
rules.add_perm("curriculum.reverse_certification", is_coordinator)
rules.add_perm("curriculum.revoke_credential", is_coordinator)
rules.add_perm("curriculum.trace_credential", is_coordinator)
rules.add_perm("curriculum.endorse_credential", is_member & may_endorse)
rules.add_perm("curriculum.withdraw_endorsement", is_member & (gave_endorsement | is_coordinator))
