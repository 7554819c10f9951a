"""Reads shared by views, commands and the home page."""

import datetime as dt
from collections import defaultdict

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from strategists.accounts.models import ExpertProfile, SkillArea, User
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
        "competency__area", "reviewed_by", "event")


def person_standing(person: User, *, evidence=None, rule=None, areas=None) -> Standing:
    evidence = person_evidence(person) if evidence is None else evidence
    approved = [e for e in evidence if e.status == Evidence.Status.APPROVED]
    return standing(
        levels=levels_reached((e.competency.area_id, e.competency.level) for e in approved if e.competency_id),
        capstone_approved=any(e.is_capstone for e in approved),
        rule=rule or certificate_rule(), areas=areas if areas is not None else area_names(),
    )


def person_credentials(person: User) -> QuerySet[Credential]:
    return Credential.objects.filter(person=person).select_related("competency__area").defer("document")


def upcoming_trainings(area_ids, *, now: dt.datetime | None = None) -> dict[str, list]:
    """Approved future trainings teaching each area, soonest first, a few per area."""
    from strategists.events.models import Event

    now = now or timezone.now()
    events = (Event.objects.filter(state=Event.State.APPROVED, starts_at__gte=now, skill_areas__in=area_ids)
              .select_related("city__subdivision").prefetch_related("skill_areas").distinct()
              .order_by("starts_at", "pk")[:60])
    by_area = defaultdict(list)
    for event in events:
        for area in event.skill_areas.all():
            if area.pk in area_ids and len(by_area[area.pk]) < AREA_SUGGESTIONS:
                by_area[area.pk].append(event)
    return by_area


def experts_for(area_ids, *, exclude: User | None = None) -> dict[str, list]:
    profiles = (ExpertProfile.objects.filter(is_active=True, user__is_active=True, skill_areas__in=area_ids)
                .select_related("user", "home_city__subdivision").prefetch_related("skill_areas")
                .distinct().order_by("user__name", "pk")[:200])
    by_area = defaultdict(list)
    for profile in profiles:
        if exclude is not None and profile.user_id == exclude.pk:
            continue
        for area in profile.skill_areas.all():
            if area.pk in area_ids and len(by_area[area.pk]) < AREA_SUGGESTIONS:
                by_area[area.pk].append(profile)
    return by_area


def review_queue(reviewer: User) -> QuerySet[Evidence]:
    """Pending evidence this reviewer may decide: nobody's own, nobody from their organization."""
    queue = (Evidence.objects.filter(status=Evidence.Status.PENDING).exclude(person=reviewer)
             .select_related("person__organization", "competency__area").order_by("created_at", "pk"))
    if reviewer.organization_id:
        queue = queue.exclude(person__organization_id=reviewer.organization_id)
    return queue


def certifications() -> QuerySet[Certification]:
    return Certification.objects.select_related("person__organization", "reversed_by").prefetch_related(
        Prefetch("person__credentials", queryset=Credential.objects.filter(
            kind=Credential.Kind.CERTIFICATE).defer("document").order_by("-issued_at"), to_attr="certificates"))


def credential_detail(pk) -> Credential:
    return Credential.objects.select_related("person", "competency__area", "revoked_by").get(pk=pk)


def credential_list(*, status: str = "") -> QuerySet[Credential]:
    credentials = Credential.objects.select_related("person").defer("document").order_by("issued_at", "pk")
    if status == "revoked":
        credentials = credentials.filter(revoked_at__isnull=False)
    elif status == "valid":
        credentials = credentials.filter(revoked_at__isnull=True)
    return credentials

