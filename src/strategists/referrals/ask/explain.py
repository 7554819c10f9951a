"""Why a resource answers a question: "falls over → hosting; Tampa → Florida; free".

``explain(analysis, doc)`` lists the reasons a ranked resource matched, from what the analysis
recorded (``QueryAnalysis.sources``: the typed words behind each concept, rewrite and place) and
what the resource holds. Members see why to trust an answer; curators see which words a
resource is missing. ``explanation_text(reasons)`` renders them on one line (English; a view
may translate the reason kinds and join them itself).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .query import QueryAnalysis, _compiled
from .ranking import CorpusStats, ResourceDoc
from .text import stem, tokenize

__all__ = ["Reason", "explain", "explanation_text"]

LANGUAGES = {"es": "Spanish", "fr": "French"}
FREE_COSTS = frozenset({"free", "freemium", "donation"})
COMMON_SHARE = 0.25  # with stats: words in more than this share of resources explain nothing
MIN_EXPAND_WEIGHT = 0.5  # a concept's side words (weight below this) explain nothing


@dataclass(frozen=True)
class Reason:
    """``kind``: "concept" (a situation recognised), "rewrite" (translation, synonym, jargon or
    typo fix), "words" (the member's own words), "place", "budget", "language", "kind".
    ``typed``: what the member wrote ("" when not one phrase); ``matched``: what it matched in
    the resource."""

    kind: str
    typed: str
    matched: str

    def text(self) -> str:
        if self.typed and self.matched and self.typed != self.matched:
            return f"{self.typed} → {self.matched}"
        return self.matched or self.typed


def _concept(cid: str) -> dict[str, Any] | None:
    for concept in _compiled().concepts:
        if concept["id"] == cid or concept["id"].partition("#")[0] == cid:
            return concept
    return None


def _surface(term: str, doc: ResourceDoc, analysis: QueryAnalysis) -> str:
    return doc.words.get(term) or analysis.surfaces.get(term) or term


def _join(words: Iterable[str], limit: int = 3) -> str:
    return ", ".join(list(dict.fromkeys(words))[:limit])


def explain(
    analysis: QueryAnalysis,
    doc: ResourceDoc,
    limit: int = 6,
    stats: CorpusStats | None = None,
) -> list[Reason]:
    """Up to ``limit`` reasons, strongest first: recognised situations, rewrites, the member's
    own words, then place, budget, language and kind of resource. With ``stats``, words most
    resources share ("union") are not given as reasons."""
    limit_df = COMMON_SHARE * stats.n_docs if stats is not None and stats.n_docs >= 20 else None
    matched = {
        term
        for term in analysis.terms
        if term in doc.tf
        and (limit_df is None or stats is None or stats.df.get(term, 0) <= limit_df)
    }
    explained: set[str] = set()
    reasons: list[Reason] = []
    for cid, _ in sorted(analysis.concepts.items(), key=lambda item: (-item[1], item[0])):
        concept = _concept(cid)
        if concept is None:
            continue
        stems = [
            stem(t)
            for phrase, weight in concept["expand"].items()
            if weight >= MIN_EXPAND_WEIGHT
            for t in tokenize(phrase)
        ]
        hits = [s for s in dict.fromkeys(stems) if s in matched and s not in explained]
        if not hits:
            continue
        explained.update(hits)
        typed = analysis.sources.get(f"concept:{cid}", "")
        reasons.append(Reason("concept", typed, _join(_surface(s, doc, analysis) for s in hits)))
    rewrites: dict[str, list[str]] = {}
    for term in sorted(matched - explained):
        source = analysis.sources.get(f"term:{term}", "")
        if source:
            rewrites.setdefault(source, []).append(_surface(term, doc, analysis))
            explained.add(term)
    reasons.extend(Reason("rewrite", source, _join(words)) for source, words in rewrites.items())
    typed_stems = [stem(t) for t in tokenize(analysis.text)]
    own = [
        s
        for s in dict.fromkeys(typed_stems)
        if s in matched and s not in explained and analysis.terms[s] >= 0.5
    ]
    if own:
        reasons.append(Reason("words", "", _join((_surface(s, doc, analysis) for s in own), 5)))
    region_hits = ({doc.region} | set(doc.places)) & set(analysis.places)
    for region in sorted(region_hits)[:1]:
        reasons.append(Reason("place", analysis.sources.get(f"place:{region}", ""), region))
    if not region_hits and doc.region.lower() in analysis.countries:
        country = doc.region.lower()
        label = "Canada" if country == "canada" else "US"
        reasons.append(Reason("place", analysis.sources.get(f"place:{country}", ""), label))
    if analysis.budget in ("free", "low") and (doc.cost in FREE_COSTS or doc.cheap):
        reasons.append(Reason("budget", "", doc.cost if doc.cost in FREE_COSTS else "low cost"))
    language = LANGUAGES.get(analysis.language)
    if language and ({stem(language.lower()), stem("bilingual")} & set(doc.tf)):
        reasons.append(Reason("language", language, language))
    if analysis.kinds.get(doc.kind, 0.0) >= 0.5:
        reasons.append(Reason("kind", "", doc.kind))
    return reasons[:limit]


def explanation_text(reasons: Iterable[Reason]) -> str:
    """``"matched because: falls over → hosting; Tampa → Florida; free"`` (or "")."""
    parts = [reason.text() for reason in reasons if reason.text()]
    return "matched because: " + "; ".join(parts) if parts else ""
