"""Reads shared by views, commands and the home page."""

import datetime as dt
from collections import defaultdict

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from strategists.accounts.models import ExpertProfile, SkillArea, User
from strategists.curriculum import rules as curriculum_rules
from strategists.curriculum.models import (
    CertificateRule,
    Certification,
    Competency,
    Credential,
    Evidence,
)
from strategists.curriculum.progress import Standing, levels_reached, standing

AREA_SUGGESTIONS = 3


def certified_count() -> int:
    """The number the home page counts toward 1,000."""
    return Certification.objects.filter(status=Certification.Status.CERTIFIED).count()


def certificate_rule() -> CertificateRule:
    return CertificateRule.objects.get_or_create(pk=1)[0]


def framework() -> QuerySet[Competency]:
    return Competency.objects.select_related("area").order_by("area__position", "level")


def competency(area_id: str, level: int) -> Competency:
    return Competency.objects.select_related("area").get(area_id=area_id, level=level)


def area_names() -> dict[str, str]:
    return dict(SkillArea.objects.order_by("position").values_list("id", "name"))


def person_evidence(person: User) -> QuerySet[Evidence]:
    return Evidence.objects.filter(person=person).select_related(
        "competency__area", "reviewed_by", "event"
    )


def person_standing(person: User, *, evidence=None, rule=None, areas=None) -> Standing:
    evidence = person_evidence(person) if evidence is None else evidence
    approved = [e for e in evidence if e.status == Evidence.Status.APPROVED]
    return standing(
        levels=levels_reached(
            (e.competency.area_id, e.competency.level) for e in approved if e.competency_id
        ),
        capstone_approved=any(e.is_capstone for e in approved),
        rule=rule or certificate_rule(),
        areas=areas if areas is not None else area_names(),
    )


def person_credentials(person: User) -> QuerySet[Credential]:
    return (
        Credential.objects.filter(person=person)
        .select_related("competency__area")
        .defer("document")
    )


def upcoming_trainings(area_ids, *, now: dt.datetime | None = None) -> dict[str, list]:
    """Approved future trainings teaching each area, soonest first, a few per area."""
    from strategists.events.models import Event

    now = now or timezone.now()
    events = (
        Event.objects.filter(
            state=Event.State.APPROVED, starts_at__gte=now, skill_areas__in=area_ids
        )
        .select_related("city__subdivision")
        .prefetch_related("skill_areas")
        .distinct()
        .order_by("starts_at", "pk")[:60]
    )
    by_area = defaultdict(list)
    for event in events:
        for area in event.skill_areas.all():
            if area.pk in area_ids and len(by_area[area.pk]) < AREA_SUGGESTIONS:
                by_area[area.pk].append(event)
    return by_area


def experts_for(area_ids, *, exclude: User | None = None) -> dict[str, list]:
    profiles = (
        ExpertProfile.objects.filter(is_active=True, user__is_active=True, skill_areas__in=area_ids)
        .select_related("user", "home_city__subdivision")
        .prefetch_related("skill_areas")
        .distinct()
        .order_by("user__name", "pk")[:200]
    )
    by_area = defaultdict(list)
    for profile in profiles:
        if exclude is not None and profile.user_id == exclude.pk:
            continue
        for area in profile.skill_areas.all():
            if area.pk in area_ids and len(by_area[area.pk]) < AREA_SUGGESTIONS:
                by_area[area.pk].append(profile)
    return by_area


def review_queue(reviewer: User) -> QuerySet[Evidence]:
    """Pending evidence this reviewer may decide: in their approved areas (every area for a
    coordinator), and nobody's own, nobody from their organizations, nobody who reviewed them.
    The same rules as `curriculum.review_evidence`, in SQL."""
    queue = (
        Evidence.objects.filter(status=Evidence.Status.PENDING)
        .exclude(person=reviewer)
        .select_related("person__organization", "competency__area")
        .order_by("created_at", "pk")
    )
    if not curriculum_rules.is_coordinator(reviewer):
        areas = curriculum_rules.approved_area_ids(reviewer)
        if not areas:
            return queue.none()
        queue = queue.filter(Q(competency__area__in=areas) | Q(kind=Evidence.Kind.CAPSTONE))
    organizations = curriculum_rules.organization_ids(reviewer)
    if organizations:
        queue = queue.exclude(
            person__in=curriculum_rules.people_of_organizations(organizations).values("pk")
        )
    return queue.exclude(person__in=curriculum_rules.reviewers_of(reviewer).values("pk"))


def certifications() -> QuerySet[Certification]:
    return Certification.objects.select_related(
        "person__organization", "reversed_by"
    ).prefetch_related(
        Prefetch(
            "person__credentials",
            queryset=Credential.objects.filter(kind=Credential.Kind.CERTIFICATE)
            .defer("document")
            .order_by("-issued_at"),
            to_attr="certificates",
        )
    )


def credential_detail(pk) -> Credential:
    return Credential.objects.select_related("person", "competency__area", "revoked_by").get(pk=pk)


def credential_list(*, status: str = "") -> QuerySet[Credential]:
    credentials = (
        Credential.objects.select_related("person").defer("document").order_by("issued_at", "pk")
    )
    if status == "revoked":
        credentials = credentials.filter(revoked_at__isnull=False)
    elif status == "valid":
        credentials = credentials.filter(revoked_at__isnull=True)
    return credentials


def credential_trace(credential: Credential) -> dict:
    """What a credential rests on: the approved evidence it was issued for (as of its issue
    time), who approved each piece, which training and host for attendance, and the audit
    entries (coordinator overrides, with their reasons) on all of these."""
    from strategists.common.models import AuditEntry

    evidence = (
        Evidence.objects.filter(
            person_id=credential.person_id,
            status=Evidence.Status.APPROVED,
            reviewed_at__lte=credential.issued_at,
        )
        .select_related(
            "competency__area", "reviewed_by", "event__organization", "event__completed_by"
        )
        .order_by("competency__area__position", "competency__level", "reviewed_at", "pk")
    )
    if credential.kind == Credential.Kind.AREA_LEVEL:
        evidence = evidence.filter(competency_id=credential.competency_id)
    evidence = list(evidence)
    certification = (
        Certification.objects.filter(person_id=credential.person_id)
        .select_related("reversed_by")
        .first()
        if credential.kind == Credential.Kind.CERTIFICATE
        else None
    )
    objects = Q(object_type="curriculum.credential", object_id=str(credential.pk))
    objects |= Q(object_type="curriculum.evidence", object_id__in=[str(e.pk) for e in evidence])
    events = {e.event_id for e in evidence if e.event_id}
    if events:
        from strategists.events.models import Registration

        registrations = Registration.objects.filter(
            event_id__in=events, person_id=credential.person_id
        )
        objects |= Q(object_type="events.event", object_id__in=[str(pk) for pk in events])
        objects |= Q(
            object_type="events.registration",
            object_id__in=[str(pk) for pk in registrations.values_list("pk", flat=True)],
        )
    if certification is not None:
        objects |= Q(object_type="curriculum.certification", object_id=str(certification.pk))
    entries = (
        AuditEntry.objects.filter(objects).select_related("actor").order_by("created_at", "pk")
    )
    return {
        "credential": credential,
        "evidence": evidence,
        "certification": certification,
        "entries": list(entries),
    }


def credential_endorsements(credential: Credential) -> QuerySet:
    """The endorsements standing on a credential, oldest first, with their endorsers."""
    from strategists.curriculum.models import Endorsement

    return Endorsement.objects.filter(
        credential=credential, withdrawn_at__isnull=True
    ).select_related("endorser")
