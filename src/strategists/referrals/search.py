"""Ask: one plain-language question -> ranked resources, answered questions and experts.

The database's full-text engine picks the candidates (``index.py``); the pure core analyses the
question and ranks them (``strategists.referrals.ask``). Any text is accepted: input that holds
nothing searchable comes back as a message, never as an error.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from strategists.referrals import index
from strategists.referrals.ask import CorpusStats, QueryAnalysis, analyze, rank

MAX_CHARS = 1000  # longer questions are cut here; the analysis stops well before anyway
CITED_FACTOR = 0.5  # a resource cited in a matching accepted answer, scored below that answer


@dataclass
class AskOutcome:
    text: str
    analysis: QueryAnalysis | None = None
    results: list[tuple[str, float]] = field(default_factory=list)
    questions: list[tuple[int, float]] = field(default_factory=list)
    message: str = ""
    truncated: bool = False


def clean_question(text: str | None) -> str:
    """Drop control and unassigned characters (NUL, surrogates), squeeze spaces, cut to length."""
    text = text or ""
    kept = [ch if unicodedata.category(ch) not in {"Cc", "Cs", "Co", "Cn"} else " " for ch in text[: MAX_CHARS * 2]]
    return " ".join("".join(kept).split())[:MAX_CHARS]


def ask(text: str | None, *, limit: int = 10, with_questions: bool = False) -> AskOutcome:
    """Rank listed resources (by public id) for a question; optionally answered questions too."""
    raw = text or ""
    question = clean_question(raw)
    outcome = AskOutcome(text=question, truncated=len(raw.strip()) > MAX_CHARS)
    if not question:
        outcome.message = _("Type a question in your own words, for example “texting tool for a strike vote”.")
        return outcome
    context = index.search_context()
    analysis = analyze(question, context.speller)
    outcome.analysis = analysis
    limit = max(1, min(int(limit), 100))
    if context.stats.n_docs and analysis.fts_terms():
        candidates = index.resource_candidates(analysis, context.stats)
        outcome.results = rank(analysis, candidates, context.stats, limit)
    if with_questions:
        outcome.questions = _answered_questions(analysis)
        _add_cited(outcome, limit)
    if not outcome.results and not outcome.questions:
        outcome.message = _(
            "Nothing in the directory matches that yet. Try other words, or ask the experts below."
        )
    return outcome


def _answered_questions(analysis: QueryAnalysis) -> list[tuple[int, float]]:
    docs = index.question_candidates(analysis)
    if not docs:
        return []
    # Questions use words resources may not: weigh them by their own frequencies.
    stats = CorpusStats.from_docs(docs)
    return [(int(doc_id), score) for doc_id, score in rank(analysis, docs, stats, limit=3)]


def _add_cited(outcome: AskOutcome, limit: int) -> None:
    """Resources cited by matching accepted answers join the results, below those answers."""
    from strategists.referrals.models import Question

    if not outcome.questions:
        return
    scores = dict(outcome.results)
    best = max((s for _, s in outcome.results), default=1.0)
    question_scores = dict(outcome.questions)
    top_question = max(question_scores.values()) or 1.0
    cited = Question.objects.filter(pk__in=question_scores).values_list(
        "pk", "accepted_answer__cited__public_id", "accepted_answer__cited__status",
    )
    for question_pk, public_id, status in cited:
        if public_id and status == "approved" and public_id not in scores:
            scores[public_id] = round(CITED_FACTOR * best * question_scores[question_pk] / top_question, 6)
    outcome.results = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
