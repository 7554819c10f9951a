"""The plain BM25 baseline of the benchmark README, for comparison only.

k1 = 1.5, b = 0.75 over name + summary + description + tags as one field; tokens are
lowercased ``\\w+`` runs; no stemming, no stopwords, no expansion.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["BM25Baseline", "baseline_tokens"]

_WORD = re.compile(r"\w+")


def baseline_tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class BM25Baseline:
    def __init__(self, resources: Iterable[Mapping[str, Any]], k1: float = 1.5, b: float = 0.75):
        self.k1, self.b = k1, b
        self.ids: list[str] = []
        self.tfs: list[Counter[str]] = []
        self.lengths: list[int] = []
        self.df: Counter[str] = Counter()
        for r in resources:
            text = " ".join(
                [
                    r.get("name", ""),
                    r.get("summary", ""),
                    r.get("description", ""),
                    " ".join(r.get("tags", [])),
                ]
            )
            tokens = baseline_tokens(text)
            counts = Counter(tokens)
            self.ids.append(r["id"])
            self.tfs.append(counts)
            self.lengths.append(len(tokens))
            self.df.update(counts.keys())
        self.n = len(self.ids)
        self.avg = sum(self.lengths) / self.n if self.n else 0.0

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))

    def ask(self, question: str, limit: int = 10) -> list[tuple[str, float]]:
        terms = [t for t in dict.fromkeys(baseline_tokens(question)) if t in self.df]
        scored = []
        for i, counts in enumerate(self.tfs):
            norm = self.k1 * (1 - self.b + self.b * self.lengths[i] / self.avg)
            score = 0.0
            for term in terms:
                tf = counts.get(term, 0)
                if tf:
                    score += self.idf(term) * tf * (self.k1 + 1) / (tf + norm)
            if score > 0:
                scored.append((score, self.ids[i]))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [(doc_id, round(score, 6)) for score, doc_id in scored[:limit]]
