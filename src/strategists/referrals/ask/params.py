"""Tunable numbers of the ask engine, in one place (defaults chosen on both dev sets)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_PARAMS", "FIELDS", "Params"]

# Fields of a resource, in the order of ResourceDoc term-frequency tuples.
FIELDS: tuple[str, ...] = ("name", "tags", "summary", "description", "skills")


@dataclass(frozen=True)
class Params:
    # BM25F
    k1: float = 1.2
    field_weights: tuple[float, ...] = (2.0, 2.0, 1.5, 0.8, 0.5)
    field_b: tuple[float, ...] = (0.3, 0.3, 0.5, 0.75, 0.3)
    # Query term weights
    weak_weight: float = 0.3
    corrected_weight: float = 0.8
    translation_weight: float = 0.9
    synonym_weight: float = 0.8
    place_word_weight: float = 0.5
    expansion_weight: float = 0.5  # concept terms, when the question's own words are known
    expansion_weight_max: float = 1.5  # ... when none of them occur in the corpus
    # Soft concepts: a concept none of whose triggers matched still counts (at this strength)
    # when the question holds enough of its trigger words (summed specificity >= threshold).
    soft_concept_weight: float = 0.5
    soft_concept_threshold: float = 1.5
    # Feature boosts (multiplicative)
    skill_boost: float = 0.3
    language_boost: float = 0.3  # a Spanish/French question, a resource that serves the language
    kind_boost: float = 0.3
    region_match: float = 1.5
    region_same_group: float = 0.8
    region_other_state: float = 0.2
    region_other_country: float = 0.6
    region_unplaced_local: float = 0.85
    budget_strength: float = 1.0
    avoid_factor: float = 0.3  # resources named with a word the question negates ("not Zoom")
    # Pseudo-relevance feedback (0 docs = off)
    prf_docs: int = 3
    prf_terms: int = 8
    prf_weight: float = 0.3
    prf_support: int = 2  # a feedback stem must occur in this many of the top resources
    prf_max_df: float = 0.1  # ... and in at most this share of all resources
    # Candidate generation
    candidates: int = 200
    postings_per_term: int = 1000
    max_candidate_terms: int = 30


DEFAULT_PARAMS = Params()
