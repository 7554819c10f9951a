import math

import pytest

from strategists.referrals.ask import mrr_at_k, ndcg_at_k, recall_at_k


def test_ndcg_hand_computed():
    grades = {"a": 3, "c": 2, "x": 3}
    dcg = 7 / 1 + 0 + 3 / 2  # a at rank 1, c at rank 3 (log2(4) = 2)
    ideal = 7 / 1 + 7 / math.log2(3) + 3 / 2
    assert ndcg_at_k(["a", "b", "c", "d", "e"], grades) == pytest.approx(dcg / ideal)
    assert ndcg_at_k(["a", "b", "c", "d", "e"], grades) == pytest.approx(0.658073, abs=1e-6)


def test_ndcg_perfect_and_empty():
    grades = {"a": 3, "b": 2, "c": 1}
    assert ndcg_at_k(["a", "b", "c"], grades) == pytest.approx(1.0)
    assert ndcg_at_k([], grades) == 0.0
    assert ndcg_at_k(["a"], {}) == 0.0


def test_ndcg_only_top_five_count():
    grades = {"f": 3}
    assert ndcg_at_k(["a", "b", "c", "d", "e", "f"], grades) == 0.0
    assert ndcg_at_k(["a", "b", "c", "d", "f"], grades) == pytest.approx(1 / math.log2(6))


def test_mrr_counts_first_good_answer():
    grades = {"c": 2, "a": 3, "b": 1}
    assert mrr_at_k(["b", "c", "a"], grades) == 0.5
    assert mrr_at_k(["b"], grades) == 0.0
    assert mrr_at_k([f"z{i}" for i in range(10)] + ["a"], grades) == 0.0


def test_recall_of_best_answers():
    grades = {"a": 3, "x": 3, "c": 2}
    assert recall_at_k(["a", "c"], grades) == 0.5
    assert recall_at_k(["a", "x"], grades) == 1.0
    assert recall_at_k(["c"], {"c": 2}) == 1.0
