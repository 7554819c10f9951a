"""Which experts know this: skill area (from the question's analysis), language, distance, load."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from strategists.accounts.models import City, ExpertProfile, User
from strategists.common.geo import haversine_km

ROUTE_TO = 3
AREA_WEIGHT = 3.0
LANGUAGE_WEIGHT = 2.0
NEAR_WEIGHT = 1.0
LOAD_PENALTY = 0.5
NEAR_KM = 3000.0


@dataclass
class ExpertMatch:
    user: User
    score: float
    areas: list = field(default_factory=list)
    speaks: bool = True
    distance_km: float | None = None
    load: int = 0


def distance_km(a: City | None, b: City | None) -> float | None:
    if a is None or b is None:
        return None
    return haversine_km((a.latitude, a.longitude), (b.latitude, b.longitude))


def expert_matches(
    *,
    skill_areas: dict[str, float],
    language: str = "en",
    near: City | None = None,
    exclude: set[int] | frozenset[int] = frozenset(),
    limit: int = ROUTE_TO,
    require_area: bool = False,
) -> list[ExpertMatch]:
    """Experts willing to answer questions, best first.

    Score: shared skill areas (weighted by how strongly the question is about them), speaking the
    question's language, nearness to the asker, minus the open questions already on their plate.
    """
    profiles = (
        ExpertProfile.objects.filter(is_active=True, answers_questions=True, user__is_active=True)
        .exclude(user_id__in=exclude)
        .select_related("user", "home_city")
        .prefetch_related("skill_areas", "languages")
        .annotate(
            load=Count(
                "user__question_routings",
                filter=Q(user__question_routings__question__status="open"),
            )
        )
        .order_by("pk")
    )
    matches = []
    for profile in profiles:
        areas = [area for area in profile.skill_areas.all() if area.pk in skill_areas]
        if require_area and skill_areas and not areas:
            continue
        speaks = any(lang.pk == language for lang in profile.languages.all())
        km = distance_km(near, profile.home_city)
        score = AREA_WEIGHT * sum(skill_areas[area.pk] for area in areas)
        score += LANGUAGE_WEIGHT if speaks else 0.0
        if km is not None:
            score += NEAR_WEIGHT * max(0.0, 1.0 - km / NEAR_KM)
        score -= LOAD_PENALTY * profile.load
        matches.append(ExpertMatch(profile.user, round(score, 4), areas, speaks, km, profile.load))
    matches.sort(key=lambda m: (-m.score, m.user.pk))
    return matches[:limit]
