"""Resource documents, corpus statistics and the BM25F + feature ranker.

``ResourceDoc`` holds what ranking needs of one resource (per-field stem frequencies, kind,
cost, region, skill areas); build it once per resource and store ``to_dict()`` if you like.
``CorpusStats`` is a plain, incrementally maintained dataclass (document frequencies and field
length sums). ``rank()`` scores any candidate list, wherever the candidates came from.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .params import DEFAULT_PARAMS, FIELDS, Params
from .query import QueryAnalysis, _compiled, _detect_places
from .spell import Speller
from .text import fold, stem, stem_tokens, tokenize
from .vocab import load

__all__ = ["CorpusStats", "ResourceDoc", "rank"]

_TUPLES: dict[tuple[int, ...], tuple[int, ...]] = {}


def _intern(value: tuple[int, ...]) -> tuple[int, ...]:
    return _TUPLES.setdefault(value, value)


@lru_cache(maxsize=1)
def _geography() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """(region name -> country, region name -> regions sharing a group with it)."""
    data = load("places")
    country = {name: info["country"] for name, info in data["regions"].items()}
    neighbours: dict[str, set[str]] = {name: set() for name in country}
    for names in data["groups"].values():
        for name in names:
            neighbours.setdefault(name, set()).update(names)
    return country, {k: frozenset(v) for k, v in neighbours.items()}


@dataclass(frozen=True)
class ResourceDoc:
    """One resource as the ranker sees it. ``tf`` maps stems to per-field counts (FIELDS order)."""

    id: str
    kind: str = ""
    cost: str = ""
    region: str = ""
    skill_areas: tuple[str, ...] = ()
    tf: Mapping[str, tuple[int, ...]] = field(default_factory=dict, repr=False)
    lengths: tuple[int, ...] = (0,) * len(FIELDS)
    places: frozenset[str] = frozenset()
    cheap: bool = False
    words: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_fields(
        cls,
        id: str,
        name: str = "",
        summary: str = "",
        description: str = "",
        tags: Iterable[str] = (),
        skill_areas: Iterable[str] = (),
        kind: str = "",
        cost: str = "",
        region: str = "",
    ) -> ResourceDoc:
        tags = list(tags)
        skill_areas = tuple(skill_areas)
        texts = (name, " ; ".join(tags), summary, description, " ".join(skill_areas))
        token_lists = [tokenize(text) for text in texts]
        counters = [Counter(stem_tokens(tokens)) for tokens in token_lists]
        words: dict[str, str] = {}
        for tokens in token_lists:
            for token, term in zip(tokens, stem_tokens(tokens), strict=True):
                if term != token and (term not in words or len(token) < len(words[term])):
                    words[term] = token
        tf: dict[str, tuple[int, ...]] = {}
        for term in set().union(*counters):
            tf[term] = _intern(tuple(c.get(term, 0) for c in counters))
        lengths = tuple(sum(c.values()) for c in counters)
        data = _compiled()
        place_tokens = tokenize(f"{name} ; {summary} ; {' ; '.join(tags)}")
        places, _, _ = _detect_places([(t, t, False) for t in place_tokens], data)
        markers = load("budget")["cheap_markers"]
        blob = " " + " ".join(tokenize(" ; ".join([*tags, summary]))) + " "
        cheap = any(f" {' '.join(tokenize(m))} " in blob for m in markers)
        return cls(
            id=str(id),
            kind=fold(kind).strip(),
            cost=fold(cost).strip(),
            region=region.strip(),
            skill_areas=skill_areas,
            tf=tf,
            lengths=lengths,
            places=frozenset(places),
            cheap=cheap,
            words=words,
        )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ResourceDoc:
        """From a resources.jsonl-shaped mapping (id, name, summary, description, tags, ...)."""
        return cls.from_fields(
            id=data["id"],
            name=data.get("name") or "",
            summary=data.get("summary") or "",
            description=data.get("description") or "",
            tags=data.get("tags") or (),
            skill_areas=data.get("skill_areas") or (),
            kind=data.get("kind") or "",
            cost=data.get("cost") or "",
            region=data.get("region") or "",
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (for storing beside the resource row)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "cost": self.cost,
            "region": self.region,
            "skill_areas": list(self.skill_areas),
            "tf": {term: list(counts) for term, counts in self.tf.items()},
            "lengths": list(self.lengths),
            "places": sorted(self.places),
            "cheap": self.cheap,
            "words": dict(self.words),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ResourceDoc:
        return cls(
            id=data["id"],
            kind=data.get("kind", ""),
            cost=data.get("cost", ""),
            region=data.get("region", ""),
            skill_areas=tuple(data.get("skill_areas", ())),
            tf={term: _intern(tuple(counts)) for term, counts in data.get("tf", {}).items()},
            lengths=tuple(data.get("lengths", (0,) * len(FIELDS))),
            places=frozenset(data.get("places", ())),
            cheap=bool(data.get("cheap", False)),
            words=dict(data.get("words", {})),
        )


@dataclass
class CorpusStats:
    """Document frequencies per stem and summed field lengths; add/remove docs one at a time."""

    n_docs: int = 0
    df: dict[str, int] = field(default_factory=dict)
    length_sums: list[int] = field(default_factory=lambda: [0] * len(FIELDS))
    surfaces: dict[str, str] = field(default_factory=dict)  # stem -> a word, where they differ

    @classmethod
    def from_docs(cls, docs: Iterable[ResourceDoc]) -> CorpusStats:
        stats = cls()
        for doc in docs:
            stats.add(doc)
        return stats

    def add(self, doc: ResourceDoc) -> None:
        self.n_docs += 1
        for term in doc.tf:
            self.df[term] = self.df.get(term, 0) + 1
        for term, word in doc.words.items():
            self.surfaces.setdefault(term, word)
        for i, length in enumerate(doc.lengths):
            self.length_sums[i] += length

    def remove(self, doc: ResourceDoc) -> None:
        self.n_docs = max(0, self.n_docs - 1)
        for term in doc.tf:
            left = self.df.get(term, 0) - 1
            if left > 0:
                self.df[term] = left
            else:
                self.df.pop(term, None)
                self.surfaces.pop(term, None)
        for i, length in enumerate(doc.lengths):
            self.length_sums[i] = max(0, self.length_sums[i] - length)

    def avg_length(self, index: int) -> float:
        return self.length_sums[index] / self.n_docs if self.n_docs else 0.0

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log(1.0 + (self.n_docs - df + 0.5) / (df + 0.5))

    def speller(self) -> Speller:
        """A typo corrector over the corpus stems (build once, reuse across questions)."""
        return Speller(self.df, self.surfaces)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_docs": self.n_docs,
            "df": dict(self.df),
            "length_sums": list(self.length_sums),
            "surfaces": dict(self.surfaces),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CorpusStats:
        return cls(
            n_docs=int(data["n_docs"]),
            df=dict(data["df"]),
            length_sums=list(data["length_sums"]),
            surfaces=dict(data.get("surfaces", {})),
        )


def _cost_factors() -> dict[str, dict[str, float]]:
    factors: dict[str, dict[str, float]] = load("budget")["cost_factor"]
    return factors


def region_factor(doc: ResourceDoc, analysis: QueryAnalysis, params: Params) -> float:
    country_of, neighbours = _geography()
    region = doc.region
    local = region in country_of
    if not analysis.places and not analysis.countries:
        return params.region_unplaced_local if local else 1.0
    if analysis.places and ({region} | doc.places) & analysis.places:
        return params.region_match
    wanted = set(analysis.countries) | {country_of[p] for p in analysis.places if p in country_of}
    if region.lower() in ("us", "canada"):
        return 1.0 if region.lower() in wanted else params.region_other_country
    if not local:
        return 1.0
    same_country = country_of[region] in wanted
    if not analysis.places:
        return 1.0 if same_country else params.region_other_country * params.region_other_state
    if any(region in neighbours.get(p, ()) for p in analysis.places) or any(
        p in neighbours.get(d, ()) for d in doc.places for p in analysis.places
    ):
        return params.region_same_group
    if same_country:
        return params.region_other_state
    return params.region_other_state * params.region_other_country


_LANGUAGE_STEMS = {
    "es": tuple(stem(w) for w in ("spanish", "espanol", "bilingual", "multilingual")),
    "fr": tuple(stem(w) for w in ("french", "francais", "bilingual", "bilingue", "multilingual")),
}


def budget_factor(doc: ResourceDoc, analysis: QueryAnalysis, params: Params) -> float:
    if not analysis.budget:
        return 1.0
    table = _cost_factors()[analysis.budget]
    key = "paid_cheap" if doc.cost == "paid" and doc.cheap else doc.cost
    return 1.0 + params.budget_strength * (table.get(key, 1.0) - 1.0)


def feature_factor(doc: ResourceDoc, analysis: QueryAnalysis, params: Params) -> float:
    factor = region_factor(doc, analysis, params) * budget_factor(doc, analysis, params)
    if analysis.kinds:
        factor *= 1.0 + params.kind_boost * analysis.kinds.get(doc.kind, 0.0)
    if analysis.skill_areas and doc.skill_areas:
        best = max(analysis.skill_areas.get(area, 0.0) for area in doc.skill_areas)
        factor *= 1.0 + params.skill_boost * best
    language_stems = _LANGUAGE_STEMS.get(analysis.language, ())
    if params.language_boost and any(term in doc.tf for term in language_stems):
        factor *= 1.0 + params.language_boost
    if analysis.avoid and any(doc.tf.get(term, (0,))[0] for term in analysis.avoid):
        factor *= params.avoid_factor
    return factor


def field_scales(
    doc: ResourceDoc, averages: list[float], params: Params = DEFAULT_PARAMS
) -> tuple[float, ...]:
    """Per-field multipliers: field weight / BM25 length normalisation."""
    return tuple(
        weight / ((1.0 - b + b * length / avg) if avg > 0 else 1.0)
        for weight, b, length, avg in zip(
            params.field_weights, params.field_b, doc.lengths, averages, strict=True
        )
    )


def text_score(
    doc: ResourceDoc,
    terms: list[tuple[str, float]],
    averages: list[float],
    params: Params = DEFAULT_PARAMS,
) -> float:
    """BM25F: per-field length-normalised counts mixed by field weight, then saturated.

    ``terms`` pairs each stem with its query weight times its idf.
    """
    scales = field_scales(doc, averages, params)
    k1 = params.k1
    score = 0.0
    tf = doc.tf
    for term, weight in terms:
        counts = tf.get(term)
        if counts is None:
            continue
        mixed = sum(count * scale for count, scale in zip(counts, scales, strict=True) if count)
        score += weight * mixed / (k1 + mixed)
    return score


def rank(
    analysis: QueryAnalysis,
    candidates: Iterable[ResourceDoc],
    stats: CorpusStats,
    limit: int = 10,
    params: Params = DEFAULT_PARAMS,
) -> list[tuple[str, float]]:
    """Score candidates (BM25F over expanded terms x place/budget/kind/skill factors).

    Returns up to ``limit`` (id, score) pairs, best first; ties go to the smaller id.
    Candidates that match no search term are left out.
    """
    terms = [
        (term, weight * stats.idf(term))
        for term, weight in analysis.terms.items()
        if stats.df.get(term)
    ]
    if not terms or limit <= 0:
        return []
    averages = [stats.avg_length(i) for i in range(len(FIELDS))]
    docs = list(candidates)
    scored = _score(docs, terms, averages, analysis, params)
    if params.prf_docs > 0 and params.prf_weight > 0 and len(scored) > 1:
        extra = feedback_terms(scored, docs, analysis, stats, params)
        if extra:
            scored = _score(docs, terms + extra, averages, analysis, params)
    return [(doc_id, round(score, 6)) for score, doc_id in scored[:limit]]


def _score(
    docs: list[ResourceDoc],
    terms: list[tuple[str, float]],
    averages: list[float],
    analysis: QueryAnalysis,
    params: Params,
) -> list[tuple[float, str]]:
    scored: list[tuple[float, str]] = []
    for doc in docs:
        score = text_score(doc, terms, averages, params)
        if score > 0:
            scored.append((score * feature_factor(doc, analysis, params), doc.id))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return scored


def feedback_terms(
    scored: list[tuple[float, str]],
    docs: list[ResourceDoc],
    analysis: QueryAnalysis,
    stats: CorpusStats,
    params: Params,
) -> list[tuple[str, float]]:
    """Pseudo-relevance feedback: the stems that the first-pass best resources share in their
    name, tags and summary (weighted by each resource's score and the stem's idf), as extra
    (stem, weight x idf) search terms. Stems already asked for, and stems only one resource
    uses, are left out."""
    by_id = {doc.id: doc for doc in docs}
    top = scored[: params.prf_docs]
    best = top[0][0]
    if best <= 0:
        return []
    weights: dict[str, float] = {}
    support: dict[str, int] = {}
    max_df = max(2, int(stats.n_docs * params.prf_max_df))
    for score, doc_id in top:
        doc = by_id[doc_id]
        share = score / best
        for term, counts in doc.tf.items():
            focused = counts[0] + counts[1] + counts[2]
            if not focused or term in analysis.terms or len(term) < 3:
                continue
            df = stats.df.get(term, 0)
            if df < 2 or df > max_df:
                continue
            weights[term] = weights.get(term, 0.0) + share * min(focused, 2)
            support[term] = support.get(term, 0) + 1
    ranked = sorted(
        ((w * stats.idf(t), t) for t, w in weights.items() if support[t] >= params.prf_support),
        reverse=True,
    )[: params.prf_terms]
    if not ranked:
        return []
    top_value = ranked[0][0]
    return [
        (term, params.prf_weight * value / top_value * stats.idf(term)) for value, term in ranked
    ]
