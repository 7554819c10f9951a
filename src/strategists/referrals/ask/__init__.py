"""Ask engine core: plain-language questions -> ranked resources. Pure Python, no Django.

Public API
==========

Analysis (``query.py``)
    ``analyze(question, speller=None, params=DEFAULT_PARAMS) -> QueryAnalysis``
        ``QueryAnalysis`` fields: ``text``, ``language`` ("en"/"es"/"fr"), ``terms``
        (stem -> weight; 1.0 = typed word, lower = typo fix, translation, synonym or concept
        expansion), ``surfaces`` (stem -> a folded word), ``corrections`` (typed -> stem),
        ``concepts`` (concept id -> strength), ``skill_areas`` (area -> strength), ``kinds``
        (resource kind -> weight), ``places`` (US state / Canadian province names, as in a
        resource's ``region``), ``countries`` ({"us", "canada"}), ``budget``
        (None / "free" / "low" / "unconstrained"), ``avoid`` (stems of names the question turns
        away from: "without Google", "not Zoom"), ``sources`` (the typed words behind each
        concept, rewrite and place, for explanations).
        Concepts fire on their trigger phrases, or softly (``Params.soft_concept_weight``) when
        the question holds enough of their specific trigger words in any order. Spanish and
        French typos are corrected to the words the lexicon translates (real words guarded by
        pyspellchecker's word lists). The movement's jargon (card check, ULP, Beck, strike
        authorization; COPE, TA, ICE only in capitals) is in ``vocabulary/jargon.json``.
        ``QueryAnalysis.fts_terms(limit=40) -> [(word, weight), ...]``: safe ``[a-z0-9]+``
        words for a database full-text stage to OR together (never raw user syntax).

Documents and statistics (``ranking.py``)
    ``ResourceDoc.from_mapping(resource_dict)`` / ``ResourceDoc.from_fields(id, name=...,
    summary=..., description=..., tags=..., skill_areas=..., kind=..., cost=..., region=...)``;
    ``doc.to_dict()`` / ``ResourceDoc.from_dict(d)`` to store the analysed form as JSON.
    ``CorpusStats.from_docs(docs)``, ``stats.add(doc)``, ``stats.remove(doc)``,
    ``stats.to_dict()`` / ``CorpusStats.from_dict(d)``, ``stats.speller()`` (typo corrector
    over the corpus stems; build once and pass to ``analyze``).

Ranking
    ``rank(analysis, candidates, stats, limit=10, params=DEFAULT_PARAMS) -> [(id, score)]``:
    BM25F over name, tags, summary, description and skill areas with the weighted expanded
    terms, times factors for place (other-state resources drop, national/international stay),
    budget (cost), kind and concept skill areas; then pseudo-relevance feedback (the stems the
    best first-pass resources share are added at low weight and the candidates re-scored).

Engines
    ``InMemoryAskEngine(docs, params=DEFAULT_PARAMS).ask(question, limit=10) -> [(id, score)]``
    (``.analyze(q)``, ``.candidates(analysis)``: the stage a database replaces).
    ``BM25Baseline(resources).ask(question, limit=10)``: the benchmark's plain BM25.

Explanations (``explain.py``)
    ``explain(analysis, doc) -> [Reason(kind, typed, matched), ...]`` and
    ``explanation_text(reasons)``: "matched because: falls over → hosting; Tampa → Florida;
    free", from ``QueryAnalysis.sources`` (the typed words behind each concept, rewrite and
    place) and the resource's own words.

Metrics (``metrics.py``)
    ``ndcg_at_k(ranked_ids, grades, k=5)``, ``mrr_at_k(ranked_ids, grades, k=10)``,
    ``recall_at_k(ranked_ids, grades, k=10)``.

Text (``text.py``)
    ``fold``, ``tokenize``, ``normalize``, ``stem``, ``guess_language``, ``is_safe_term``.

Plugging in a database candidate stage
    Store ``ResourceDoc.from_mapping(row).to_dict()`` beside each resource and keep one
    ``CorpusStats`` (``add``/``remove`` on save/delete, ``to_dict`` to persist). Per question:
    ``analysis = analyze(q, speller)`` (speller cached from the stats), OR the words of
    ``analysis.fts_terms()`` in FTS5 (``"w1" OR "w2" ...``) or PostgreSQL
    (``to_tsquery('simple', 'w1 | w2 ...')``), take the top few hundred rows, rebuild their
    ``ResourceDoc.from_dict`` and call ``rank(analysis, docs, stats, limit)``. Also add the
    resources whose region is in ``analysis.places`` to the candidates.

Tuning numbers are in ``params.py`` (``Params``); ``bench/ask_core_eval.py`` measures them.
Domain knowledge lives in ``strategists/referrals/vocabulary/*.json``: concepts (situations
and tool categories with English/Spanish/French triggers), lexicon (translations, synonyms,
texting slang), places, budget words and cost factors, kind words, stopwords.
"""

from .baseline import BM25Baseline
from .engine import InMemoryAskEngine
from .explain import Reason, explain, explanation_text
from .metrics import mrr_at_k, ndcg_at_k, recall_at_k
from .params import DEFAULT_PARAMS, FIELDS, Params
from .query import QueryAnalysis, analyze
from .ranking import CorpusStats, ResourceDoc, rank
from .spell import Speller
from .text import fold, guess_language, is_safe_term, normalize, stem, tokenize

__all__ = [
    "DEFAULT_PARAMS",
    "FIELDS",
    "BM25Baseline",
    "CorpusStats",
    "InMemoryAskEngine",
    "Params",
    "QueryAnalysis",
    "Reason",
    "ResourceDoc",
    "Speller",
    "analyze",
    "explain",
    "explanation_text",
    "fold",
    "guess_language",
    "is_safe_term",
    "mrr_at_k",
    "ndcg_at_k",
    "normalize",
    "rank",
    "recall_at_k",
    "stem",
    "tokenize",
]
