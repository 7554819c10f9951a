"""Benchmark metrics: nDCG@5, MRR@10 and recall@10 of best answers (grade 3)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

__all__ = ["mrr_at_k", "ndcg_at_k", "recall_at_k"]


def ndcg_at_k(ranked: Sequence[str], grades: Mapping[str, int], k: int = 5) -> float:
    """Gain 2^grade - 1, discount log2(rank + 1), ideal = the judged grades sorted."""
    dcg = sum((2 ** grades.get(doc, 0) - 1) / math.log2(i + 2) for i, doc in enumerate(ranked[:k]))
    ideal_grades = sorted((g for g in grades.values() if g > 0), reverse=True)[:k]
    ideal = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal_grades))
    return dcg / ideal if ideal > 0 else 0.0


def mrr_at_k(
    ranked: Sequence[str], grades: Mapping[str, int], k: int = 10, min_grade: int = 2
) -> float:
    """1 / rank of the first result graded at least ``min_grade`` within the top k, else 0."""
    for i, doc in enumerate(ranked[:k]):
        if grades.get(doc, 0) >= min_grade:
            return 1.0 / (i + 1)
    return 0.0


def recall_at_k(
    ranked: Sequence[str], grades: Mapping[str, int], k: int = 10, grade: int = 3
) -> float:
    """Share of the resources graded ``grade`` found in the top k (1.0 when there are none)."""
    wanted = {doc for doc, g in grades.items() if g >= grade}
    if not wanted:
        return 1.0
    return len(wanted & set(ranked[:k])) / len(wanted)
