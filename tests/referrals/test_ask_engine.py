import math

import pytest

from strategists.referrals.ask import BM25Baseline, InMemoryAskEngine, ResourceDoc


def doc(id, name, summary="", tags=(), **extra):
    return {
        "id": id,
        "name": name,
        "summary": summary,
        "description": "",
        "tags": list(tags),
        **extra,
    }


def test_baseline_bm25_hand_computed():
    baseline = BM25Baseline([doc("d1", "a b"), doc("d2", "a c c")])
    idf = math.log(1 + (2 - 1 + 0.5) / (1 + 0.5))
    norm = 1.5 * (1 - 0.75 + 0.75 * 3 / 2.5)
    assert baseline.ask("C!") == [("d2", pytest.approx(idf * 2 * 2.5 / (2 + norm), abs=1e-6))]
    assert baseline.ask("zzz") == []
    assert [i for i, _ in baseline.ask("a")] == ["d1", "d2"]  # shorter document first


def test_engine_accepts_mappings_or_docs_and_limits():
    resources = [
        doc("A", "Texting tool", "Peer-to-peer texting", ["sms"]),
        doc("B", "Email tool", "Newsletters", ["email"]),
        doc("C", "Texting vendor", "Managed texting service", ["sms"], kind="vendor"),
    ]
    by_mapping = InMemoryAskEngine(resources)
    by_doc = InMemoryAskEngine([ResourceDoc.from_mapping(r) for r in resources])
    assert by_mapping.ask("texting") == by_doc.ask("texting")
    assert [i for i, _ in by_mapping.ask("texting")] == ["A", "C"]
    assert [i for i, _ in by_mapping.ask("hire a texting vendor")] == ["C", "A"]
    assert by_mapping.ask("texting", limit=1) == by_mapping.ask("texting")[:1]
    assert by_mapping.ask("texting", limit=0) == []
    assert {d.id for d in by_mapping.candidates(by_mapping.analyze("sms"))} == {"A", "C"}


def test_empty_engine():
    engine = InMemoryAskEngine([])
    assert engine.ask("anything at all") == []
