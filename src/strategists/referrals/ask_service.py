"""Ask, the database side: one plain-language question -> ranked resources, answered questions
and experts. What the ask page, the ``ask`` command and the benchmarks call.

The index tables pick the candidates (``ask_index.py``); the pure core analyses the question and
ranks them (``strategists.referrals.ask``). Any text is accepted: input that holds nothing
searchable comes back as a message, never as an error.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from strategists.accounts.models import City
from strategists.referrals import ask_index
from strategists.referrals.ask import CorpusStats, QueryAnalysis, Reason, analyze, explain, rank
from strategists.referrals.models import QUESTION_MAX_CHARS, Cost, Kind, Question, Resource
from strategists.referrals.routing import ExpertMatch, expert_matches

CITED_FACTOR = 0.5  # a resource cited in a matching accepted answer, scored below that answer
FALLBACK_RESULTS = 3  # a question in no known skill area takes the areas of this many top results
FALLBACK_WEIGHT = 0.5  # ... each weighing this much in the experts' match


@dataclass
class AskOutcome:
    text: str
    analysis: QueryAnalysis | None = None
    results: list[tuple[str, float]] = field(default_factory=list)
    questions: list[tuple[int, float]] = field(default_factory=list)
    experts: list[ExpertMatch] = field(default_factory=list)
    message: str = ""
    truncated: bool = False
    # Why each ranked resource matched (public id -> reasons), strongest first.
    reasons: dict[str, list[Reason]] = field(default_factory=dict)

    def because(self, public_id: str) -> str:
        """One line in the reader's language: "falls over → hosting; Tampa → Florida; free"."""
        return because_text(self.reasons.get(public_id, []))


def clean_question(text: str | None) -> str:
    """Drop control and unassigned characters (NUL, surrogates), squeeze spaces, cut to length."""
    text = text or ""
    kept = [
        ch if unicodedata.category(ch) not in {"Cc", "Cs", "Co", "Cn"} else " "
        for ch in text[: QUESTION_MAX_CHARS * 2]
    ]
    return " ".join("".join(kept).split())[:QUESTION_MAX_CHARS]


def ask(
    text: str | None,
    *,
    limit: int = 10,
    with_questions: bool = False,
    experts: int = 0,
    near: City | None = None,
) -> AskOutcome:
    """Rank listed resources (by public id) for a question; optionally answered questions too, and
    up to ``experts`` experts who know the question's skill areas (nearest to ``near`` first
    among equals)."""
    raw = text or ""
    question = clean_question(raw)
    outcome = AskOutcome(text=question, truncated=len(raw.strip()) > QUESTION_MAX_CHARS)
    if not question:
        outcome.message = _(
            "Type a question in your own words, for example “texting tool for a strike vote”."
        )
        return outcome
    context = ask_index.search_context()
    analysis = analyze(question, context.speller)
    outcome.analysis = analysis
    limit = max(1, min(int(limit), 100))
    if context.stats.n_docs and analysis.fts_terms():
        candidates = ask_index.resource_candidates(analysis, context.stats)
        outcome.results = rank(analysis, candidates, context.stats, limit)
        docs = {doc.id: doc for doc in candidates}
        outcome.reasons = {
            public_id: explain(analysis, docs[public_id], stats=context.stats)
            for public_id, _score in outcome.results
            if public_id in docs
        }
    if with_questions:
        outcome.questions = _answered_questions(analysis)
        _add_cited(outcome, limit)
    if experts:
        outcome.experts = _experts(outcome, analysis, near=near, limit=experts)
    if not outcome.results and not outcome.questions:
        outcome.message = _(
            "Nothing in the directory matches that yet. Try other words, or ask the experts below."
        )
    return outcome


def because_text(reasons: list[Reason]) -> str:
    """The reasons on one line. The member's and the resource's own words stay as written; the
    few words the core adds (a language, "low cost", a country) are translated here."""
    added = {
        "Spanish": _("Spanish"),
        "French": _("French"),
        "low cost": pgettext("cost", "low cost"),
        "US": _("United States"),
        "Canada": _("Canada"),
        **{value: str(label).lower() for value, label in Cost.choices},
        **{value: str(label).lower() for value, label in Kind.choices},
    }
    parts = []
    for reason in reasons:
        if reason.kind in {"language", "budget", "place", "kind"}:
            reason = Reason(
                reason.kind,
                added.get(reason.typed, reason.typed),
                added.get(reason.matched, reason.matched),
            )
        if reason.text():
            parts.append(reason.text())
    return "; ".join(parts)


def _answered_questions(analysis: QueryAnalysis) -> list[tuple[int, float]]:
    docs = ask_index.question_candidates(analysis)
    if not docs:
        return []
    # Questions use words resources may not: weigh them by their own frequencies.
    stats = CorpusStats.from_docs(docs)
    return [(int(doc_id), score) for doc_id, score in rank(analysis, docs, stats, limit=3)]


def _experts(
    outcome: AskOutcome, analysis: QueryAnalysis, *, near: City | None, limit: int
) -> list[ExpertMatch]:
    """Experts in the question's skill areas; when the analysis found none, in the areas of the top
    results (each at a lower weight). No areas at all, no experts: a guess would be noise."""
    areas = dict(analysis.skill_areas)
    if not areas:
        top = [public_id for public_id, _score in outcome.results[:FALLBACK_RESULTS]]
        through = Resource.skill_areas.through.objects.filter(
            resource__public_id__in=top,
            resource__status=Resource.Status.APPROVED,
        )
        for area in sorted(through.values_list("skillarea_id", flat=True).distinct()):
            areas.setdefault(area, FALLBACK_WEIGHT)
    if not areas:
        return []
    return expert_matches(
        skill_areas=areas, language=analysis.language, near=near, limit=limit, require_area=True
    )


def _add_cited(outcome: AskOutcome, limit: int) -> None:
    """Resources cited by matching accepted answers join the results, below those answers."""
    if not outcome.questions:
        return
    scores = dict(outcome.results)
    best = max((s for _, s in outcome.results), default=1.0)
    question_scores = dict(outcome.questions)
    top_question = max(question_scores.values()) or 1.0
    cited = Question.objects.filter(pk__in=question_scores).values_list(
        "pk",
        "accepted_answer__cited__public_id",
        "accepted_answer__cited__status",
    )
    for question_pk, public_id, status in cited:
        if public_id and status == "approved" and public_id not in scores:
            scores[public_id] = round(
                CITED_FACTOR * best * question_scores[question_pk] / top_question, 6
            )
            outcome.reasons[public_id] = [
                Reason("cited", "", _("cited in an accepted answer to a similar question"))
            ]
    outcome.results = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
