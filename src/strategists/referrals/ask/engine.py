"""In-memory ask engine: an impact-ordered inverted index for candidates, then ``rank``.

The database-backed engine keeps the same shape: swap ``candidates()`` for a full-text query
over ``analysis.fts_terms()`` and pass the rows' ResourceDocs to ``rank``.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterable, Mapping
from typing import Any

from .params import DEFAULT_PARAMS, FIELDS, Params
from .query import QueryAnalysis, analyze
from .ranking import CorpusStats, ResourceDoc, field_scales, rank
from .terms import candidate_terms, term_impact

__all__ = ["InMemoryAskEngine"]


class InMemoryAskEngine:
    """``InMemoryAskEngine(docs).ask(question, limit=10) -> [(resource id, score), ...]``.

    ``docs`` may be ResourceDocs or resources.jsonl-shaped mappings.
    """

    def __init__(
        self, docs: Iterable[ResourceDoc | Mapping[str, Any]], params: Params = DEFAULT_PARAMS
    ) -> None:
        self.params = params
        self.docs: list[ResourceDoc] = [
            d if isinstance(d, ResourceDoc) else ResourceDoc.from_mapping(d) for d in docs
        ]
        self.stats = CorpusStats.from_docs(self.docs)
        self.speller = self.stats.speller()
        self._by_region: dict[str, list[int]] = {}
        postings: dict[str, list[tuple[float, int]]] = {}
        averages = [self.stats.avg_length(i) for i in range(len(FIELDS))]
        idf = self.stats.idf
        for index, doc in enumerate(self.docs):
            self._by_region.setdefault(doc.region, []).append(index)
            for place in doc.places:
                if place != doc.region:
                    self._by_region.setdefault(place, []).append(index)
            scales = field_scales(doc, averages, params)
            for term, counts in doc.tf.items():
                impact = idf(term) * term_impact(counts, scales, params.k1)
                postings.setdefault(term, []).append((impact, index))
        self._postings: dict[str, tuple[array[int], array[float]]] = {}
        for term, items in postings.items():
            items.sort(key=lambda item: (-item[0], item[1]))
            items = items[: params.postings_per_term]
            self._postings[term] = (
                array("i", [index for _, index in items]),
                array("f", [impact for impact, _ in items]),
            )

    def analyze(self, question: str) -> QueryAnalysis:
        return analyze(question, self.speller, self.params)

    def candidates(self, analysis: QueryAnalysis) -> list[ResourceDoc]:
        """Top documents by summed term impacts over the best-weighted query terms."""
        params = self.params
        scores: dict[int, float] = {}
        get = scores.get
        for term, weight, _, depth in candidate_terms(
            analysis.terms, self.stats.idf, self._postings, params
        ):
            indexes, impacts = self._postings[term]
            for index, impact in zip(indexes[:depth], impacts[:depth], strict=True):
                scores[index] = get(index, 0.0) + weight * impact
        for place in analysis.places:
            for index in self._by_region.get(place, ())[: params.candidates]:
                scores.setdefault(index, 0.0)
        best = heapq.nlargest(params.candidates, scores, key=scores.__getitem__)
        return [self.docs[index] for index in best]

    def ask(self, question: str, limit: int = 10) -> list[tuple[str, float]]:
        analysis = self.analyze(question)
        return rank(analysis, self.candidates(analysis), self.stats, limit, self.params)
