"""Held-out evaluation of the ask core: k-fold over the development questions in which nothing
tuned or written from questions has seen the questions it is scored on.

What the engine learns from benchmark questions, and how each fold holds it out:

* **Vocabulary entries** (``referrals/vocabulary/*.json``) were written by people who had read the
  development questions. Which question inspired an entry is not recorded, so a fold treats an
  entry as *learned from the held-out questions* when it fires on at least one held-out question
  and on no training question, and removes it for that fold. Entries are single concept
  triggers (a concept is split into one copy per trigger, which ranks exactly the same; the
  analysis then says which trigger fired), Spanish/French translations, synonyms, texting slang,
  the movement's jargon and acronyms, kind and budget phrases, and city names. Entries no question fires stay: they cannot change
  a held-out score. This is conservative: a domain entry that only a held-out question happens
  to use is removed too, so the k-fold figure is a lower bound of what an unseen question
  written the same way would score.
* **Weights** (``params.py``): each fold picks the grid point of ``SMALL_GRID`` (or ``GRID``)
  best on its training questions (with that fold's vocabulary) and scores the held-out
  questions with it. The grid includes the switches of the mechanisms added after the frozen
  sets were written (soft concepts, pseudo-relevance feedback). Caveat: the training questions
  keep the vocabulary entries written from them, so the pick favours settings that lean on
  memorised triggers (it tends to switch soft concepts off); ``vocab_only`` reports the same
  folds with the default weights beside it.
* What cannot be held out: the shape of the code (which features exist, the stemmer, the
  field weights outside the grid) was designed while looking at the same questions, and
  stopwords / the English word list are general-language data. The frozen sets in
  ``bench/data/`` (written before any engine change, never tuned on) are the check on that.

Use ``kfold(resources, query_sets)`` (see ``bench/ask_eval.py``).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import itertools
import random
import statistics
from collections.abc import Iterator
from typing import Any

from strategists.referrals.ask import InMemoryAskEngine, Params, ndcg_at_k
from strategists.referrals.ask import query as query_module
from strategists.referrals.ask.ranking import ResourceDoc
from strategists.referrals.ask.text import stem, tokenize
from strategists.referrals.ask.vocab import load as real_load

SMALL_GRID: dict[str, tuple[float, ...]] = {
    "expansion_weight": (0.4, 0.6),
    "kind_boost": (0.15, 0.5),
    "soft_concept_threshold": (1.5, 99.0),  # 99 = soft concepts off
    "prf_weight": (0.0, 0.3),  # 0 = no pseudo-relevance feedback
}

GRID: dict[str, tuple[float, ...]] = {
    "expansion_weight": (0.4, 0.5, 0.6),
    "expansion_weight_max": (1.0, 1.5),
    "region_other_state": (0.2, 0.5),
    "kind_boost": (0.15, 0.3, 0.5),
    "skill_boost": (0.15, 0.3),
    "soft_concept_threshold": (1.5, 99.0),
    "prf_weight": (0.0, 0.3),
}

Key = tuple[str, ...]


# --------------------------------------------------------------------------- vocabulary


@contextlib.contextmanager
def vocabulary(files: dict[str, Any] | None) -> Iterator[None]:
    """Make the analyser read ``files`` (name -> parsed JSON) instead of the vocabulary files."""

    def fake_load(name: str) -> Any:
        return files[name] if files and name in files else real_load(name)

    query_module.load = fake_load  # type: ignore[assignment]
    query_module._compiled.cache_clear()
    try:
        yield
    finally:
        query_module.load = real_load  # type: ignore[assignment]
        query_module._compiled.cache_clear()


def split_vocabulary() -> dict[str, Any]:
    """The vocabulary with each concept split into one copy per trigger (same ranking)."""
    files = {
        name: copy.deepcopy(real_load(name))
        for name in ("concepts", "lexicon", "jargon", "kinds", "budget", "places")
    }
    split = []
    for concept in files["concepts"]["concepts"]:
        for i, trigger in enumerate(concept["triggers"]):
            split.append({**concept, "id": f"{concept['id']}#{i}", "triggers": [trigger]})
    files["concepts"] = {**files["concepts"], "concepts": split}
    return files


def _stems(phrase: str) -> list[list[str]]:
    return [[stem(t) for t in tokenize(part)] for part in phrase.partition(":")[0].split("&")]


def entry_phrases(files: dict[str, Any]) -> dict[Key, list[list[str]]]:
    """Every non-concept entry -> the stem sequences that make it fire."""
    out: dict[Key, list[list[str]]] = {}
    lexicon = files["lexicon"]
    for lang, table in lexicon["translations"].items():
        for key in table:
            out[("translation", lang, key)] = _stems(key)
    for section in ("synonyms", "slang"):
        for key in lexicon[section]:
            out[(section, key)] = _stems(key)
    for section in ("terms", "acronyms"):
        for key in files["jargon"][section]:
            out[("jargon", section, key)] = _stems(key)
    for i, hint in enumerate(files["kinds"]["hints"]):
        for phrase in hint["phrases"]:
            out[("kind", str(i), phrase)] = _stems(phrase)
    for level in ("free", "low", "unconstrained"):
        for phrase in files["budget"][level]:
            out[("budget", level, phrase)] = _stems(phrase)
    for alias in files["places"]["cities"]:
        out[("city", alias)] = _stems(alias)
    return out


def _in_order(seq: list[str], words: list[str]) -> bool:
    it = iter(words)
    return bool(seq) and all(any(w == s for w in it) for s in seq)


def fired_entries(
    text: str, phrases: dict[Key, list[list[str]]], engine: InMemoryAskEngine
) -> set[Key]:
    """Entries a question uses: concept triggers exactly (split vocabulary), the rest when
    their words occur in order in the question (an approximation of the analyser's matching)."""
    analysis = engine.analyze(text)
    fired: set[Key] = {("concept", cid) for cid in analysis.concepts}
    words = [stem(t) for t in tokenize(text)]
    present = set(words)
    for key, parts in phrases.items():
        if all(p and p[0] in present for p in parts) and all(_in_order(p, words) for p in parts):
            fired.add(key)
    return fired


def without(files: dict[str, Any], removed: set[Key]) -> dict[str, Any]:
    """A copy of the (split) vocabulary without the ``removed`` entries."""
    out = copy.deepcopy(files)
    out["concepts"]["concepts"] = [
        c for c in out["concepts"]["concepts"] if ("concept", c["id"]) not in removed
    ]
    lexicon = out["lexicon"]
    for lang, table in lexicon["translations"].items():
        for key in list(table):
            if ("translation", lang, key) in removed:
                del table[key]
    for section in ("synonyms", "slang"):
        for key in list(lexicon[section]):
            if (section, key) in removed:
                del lexicon[section][key]
    for section in ("terms", "acronyms"):
        table = out["jargon"][section]
        for key in list(table):
            if ("jargon", section, key) in removed:
                del table[key]
    for i, hint in enumerate(out["kinds"]["hints"]):
        hint["phrases"] = [p for p in hint["phrases"] if ("kind", str(i), p) not in removed]
    for level in ("free", "low", "unconstrained"):
        out["budget"][level] = [
            p for p in out["budget"][level] if ("budget", level, p) not in removed
        ]
    for alias in list(out["places"]["cities"]):
        if ("city", alias) in removed:
            del out["places"]["cities"][alias]
    return out


# --------------------------------------------------------------------------- k-fold


def folds(query_sets: dict[str, list[dict]], k: int, seed: int) -> list[list[tuple[str, dict]]]:
    """k folds, each set spread evenly over them (stratified), shuffled with ``seed``."""
    rng = random.Random(seed)
    out: list[list[tuple[str, dict]]] = [[] for _ in range(k)]
    offset = 0
    for name, queries in query_sets.items():
        order = list(queries)
        rng.shuffle(order)
        for i, q in enumerate(order):
            out[(i + offset) % k].append((name, q))
        offset += len(order)
    return out


def _scores(engine: InMemoryAskEngine, queries: list[tuple[str, dict]]) -> list[float]:
    return [
        ndcg_at_k([d for d, _ in engine.ask(q["text"], limit=10)], q["relevant"], 5)
        for _, q in queries
    ]


def grid_points(grid: dict[str, tuple[float, ...]], base: Params) -> list[Params]:
    keys = list(grid)
    return [
        dataclasses.replace(base, **dict(zip(keys, values, strict=True)))
        for values in itertools.product(*(grid[key] for key in keys))
    ]


@dataclasses.dataclass
class KFoldResult:
    held_out: dict[str, float]  # set name -> mean held-out nDCG@5
    full: dict[str, float]  # set name -> nDCG@5 with every entry and the default weights
    vocab_only: dict[str, float]  # held-out vocabulary, default weights
    removed: list[int]  # entries removed per fold
    chosen: list[dict[str, float]]  # weights picked per fold


def kfold(
    resources: list[dict],
    query_sets: dict[str, list[dict]],
    k: int = 5,
    seed: int = 15,
    grid: dict[str, tuple[float, ...]] | None = None,
    base: Params | None = None,
    sections: frozenset[str] | None = None,
) -> KFoldResult:
    """``sections`` limits which kinds of entries may be held out (``"concept"``,
    ``"translation"``, ``"synonyms"``, ``"slang"``, ``"jargon"``, ``"kind"``, ``"budget"``, ``"city"``);
    None = all of them."""
    base = base or Params()
    grid = GRID if grid is None else grid
    points = grid_points(grid, base) if grid else [base]
    docs = [ResourceDoc.from_mapping(r) for r in resources]
    split = split_vocabulary()
    phrases = entry_phrases(split)
    everything = [(name, q) for name, qs in query_sets.items() for q in qs]
    with vocabulary(split):
        engine = InMemoryAskEngine(docs, base)
        fired = {id(q): fired_entries(q["text"], phrases, engine) for _, q in everything}
        full_scores = dict(
            zip((id(q) for _, q in everything), _scores(engine, everything), strict=True)
        )
    held: dict[int, float] = {}
    vocab_only: dict[int, float] = {}
    removed_counts: list[int] = []
    chosen: list[dict[str, float]] = []
    for fold in folds(query_sets, k, seed):
        test_ids = {id(q) for _, q in fold}
        train = [(n, q) for n, q in everything if id(q) not in test_ids]
        seen = set().union(*(fired[id(q)] for _, q in train))
        removed = set().union(*(fired[id(q)] for _, q in fold)) - seen
        if sections is not None:
            removed = {key for key in removed if key[0] in sections}
        removed_counts.append(len(removed))
        with vocabulary(without(split, removed)):
            fold_docs = [ResourceDoc.from_mapping(r) for r in resources]
            best: tuple[float, Params] | None = None
            for params in points:
                engine = InMemoryAskEngine(fold_docs, params)
                score = statistics.fmean(_scores(engine, train)) if len(points) > 1 else 0.0
                if best is None or score > best[0]:
                    best = (score, params)
                if params == base:
                    for (_, q), s in zip(fold, _scores(engine, fold), strict=True):
                        vocab_only[id(q)] = s
            assert best is not None
            chosen.append({key: getattr(best[1], key) for key in grid})
            engine = InMemoryAskEngine(fold_docs, best[1])
            for (_, q), s in zip(fold, _scores(engine, fold), strict=True):
                held[id(q)] = s
            if base not in points:
                engine = InMemoryAskEngine(fold_docs, base)
                for (_, q), s in zip(fold, _scores(engine, fold), strict=True):
                    vocab_only[id(q)] = s

    def by_set(values: dict[int, float]) -> dict[str, float]:
        return {
            name: statistics.fmean(values[id(q)] for q in qs) for name, qs in query_sets.items()
        }

    return KFoldResult(
        by_set(held), by_set(full_scores), by_set(vocab_only), removed_counts, chosen
    )
