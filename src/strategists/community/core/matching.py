"""Who could mentor whom: a pure function over plain values, tested without a database.

A pair needs at least one area in common and, when both sides name languages, one language in
common. Among the mentors with room left, the best pair shares more areas, then the same region,
then the lighter load; ties go to the lower id, so the same input always gives the same pairs.
People asking longest are served first.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

AREA_WEIGHT = 10
REGION_WEIGHT = 3
LANGUAGE_WEIGHT = 1
LOAD_WEIGHT = 4


@dataclass(frozen=True)
class Seeker:
    id: int
    person: int
    areas: frozenset[str]
    region: str | None = None
    languages: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Mentor:
    id: int
    person: int
    areas: frozenset[str]
    capacity: int
    load: int = 0
    region: str | None = None
    languages: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Pair:
    seeker: int
    mentor: int
    areas: tuple[str, ...]
    score: float


def score(seeker: Seeker, mentor: Mentor, load: int | None = None) -> float | None:
    """How good a pair is, or None when it can't be one."""
    load = mentor.load if load is None else load
    if seeker.person == mentor.person or load >= mentor.capacity:
        return None
    shared = seeker.areas & mentor.areas
    if not shared:
        return None
    common_language = seeker.languages & mentor.languages
    if seeker.languages and mentor.languages and not common_language:
        return None
    total = AREA_WEIGHT * len(shared) - LOAD_WEIGHT * load / mentor.capacity
    if seeker.region and seeker.region == mentor.region:
        total += REGION_WEIGHT
    if common_language:
        total += LANGUAGE_WEIGHT
    return total


def propose(
    seekers: Iterable[Seeker],
    mentors: Iterable[Mentor],
    excluded: frozenset[tuple[int, int]] = frozenset(),
) -> list[Pair]:
    """One proposal per seeker who can be matched, in the seekers' order. `excluded` holds
    (seeker person, mentor person) pairs that must not be proposed again (one of them declined)."""
    mentors = sorted(mentors, key=lambda m: m.id)
    load = {m.id: m.load for m in mentors}
    pairs = []
    for seeker in seekers:
        best: tuple[float, Mentor] | None = None
        for mentor in mentors:
            if (seeker.person, mentor.person) in excluded:
                continue
            value = score(seeker, mentor, load[mentor.id])
            if value is not None and (best is None or value > best[0]):
                best = (value, mentor)
        if best is None:
            continue
        value, mentor = best
        load[mentor.id] += 1
        pairs.append(
            Pair(
                seeker=seeker.id,
                mentor=mentor.id,
                areas=tuple(sorted(seeker.areas & mentor.areas)),
                score=round(value, 3),
            )
        )
    return pairs
