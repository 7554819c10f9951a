"""The candidate stage's two formulas, written once for the in-memory engine and the database index.

``term_impact`` is how strongly one resource matches one stem (BM25F saturation, no idf), and
``candidate_terms`` picks the question's stems worth reading and how deep to read each posting
list. ``InMemoryAskEngine`` and ``referrals/ask_index.py`` both call these, so the two engines
choose the same candidates.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping
from typing import NamedTuple

from .params import DEFAULT_PARAMS, Params

__all__ = ["CandidateTerm", "candidate_terms", "term_impact"]

MIN_DEPTH = 50  # even a weak stem reads this many postings


class CandidateTerm(NamedTuple):
    term: str
    weight: float  # the question's weight of the stem
    score: float  # weight x idf: what a posting's impact without idf is multiplied by
    depth: int  # how many of the stem's best postings to read


def term_impact(counts: Iterable[int], scales: Iterable[float], k1: float) -> float:
    """BM25F impact of one stem in one resource, without its idf: ``mixed / (k1 + mixed)`` where
    ``mixed`` sums the stem's counts per field, each times the field's length-normalised weight."""
    mixed = sum(c * s for c, s in zip(counts, scales, strict=True) if c)
    return mixed / (k1 + mixed) if mixed > 0 else 0.0


def candidate_terms(
    terms: Mapping[str, float],
    idf: Callable[[str], float],
    known: Container[str],
    params: Params = DEFAULT_PARAMS,
) -> list[CandidateTerm]:
    """The best-weighted stems the corpus has (``known``), at most ``max_candidate_terms``, each
    read to a depth that grows with its weight."""
    weighted = sorted(((w * idf(t), w, t) for t, w in terms.items() if t in known), reverse=True)[
        : params.max_candidate_terms
    ]
    return [
        CandidateTerm(t, w, score, max(MIN_DEPTH, int(params.postings_per_term * min(1.0, w))))
        for score, w, t in weighted
    ]
