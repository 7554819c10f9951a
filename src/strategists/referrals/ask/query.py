"""Question analysis: terms, typo fixes, concept expansion, place, budget and kind hints.

``analyze(question, speller)`` turns one plain-language question (English, Spanish or French,
typos and texting style welcome) into a :class:`QueryAnalysis`: weighted search stems, the
concepts recognised (from ``vocabulary/concepts.json``), and hints of place, budget and kind of
resource. All domain knowledge comes from the vocabulary JSON files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

from .params import DEFAULT_PARAMS, Params
from .spell import Speller
from .text import guess_language, is_safe_term, stem, tokenize, tokenize_with_case
from .vocab import load

__all__ = ["QueryAnalysis", "analyze", "data_vocabulary"]

MAX_TOKENS = 200
_MONEY = re.compile(
    r"\$\s*(\d[\d,.]*)\s*(k\b)?|(\d[\d,.]*)\s*(k\s*)?(?:dollars|dolares|dollar|bucks)\b"
)
_NO_MONEY = re.compile(r"\b(?:no|zero|0|sin|pas de|sans)\s*\$+")


@dataclass(frozen=True)
class QueryAnalysis:
    """The analysed question. ``terms`` maps search stems to weights (1.0 = typed word)."""

    text: str
    language: str
    terms: dict[str, float]
    surfaces: dict[str, str]
    corrections: dict[str, str] = field(default_factory=dict)
    concepts: dict[str, float] = field(default_factory=dict)
    skill_areas: dict[str, float] = field(default_factory=dict)
    kinds: dict[str, float] = field(default_factory=dict)
    places: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    budget: str | None = None
    avoid: frozenset[str] = frozenset()  # names the question turns away from ("without Google")
    # What the member wrote that led to each hint, for explanations: "concept:<id>" -> the
    # words that triggered it, "place:<region>" -> the place name typed, "term:<stem>" -> the
    # typed word a translation, synonym, jargon entry or typo fix came from.
    sources: dict[str, str] = field(default_factory=dict)

    def fts_terms(self, limit: int = 40) -> list[tuple[str, float]]:
        """(word, weight) pairs for a database full-text stage to OR together, best first.

        Every word is plain lowercase ASCII letters and digits, so it can be quoted into an
        FTS5 MATCH or a PostgreSQL tsquery without escaping; user syntax never passes through.
        Words are folded surface forms where known, else stems (usable as prefixes).
        """
        ranked = sorted(self.terms.items(), key=lambda item: (-item[1], item[0]))
        out: list[tuple[str, float]] = []
        seen: set[str] = set()
        for term, weight in ranked:
            word = self.surfaces.get(term, term)
            if word in seen or not is_safe_term(word):
                continue
            seen.add(word)
            out.append((word, round(weight, 4)))
            if len(out) >= limit:
                break
        return out


# --------------------------------------------------------------------------- compiled data


def _phrase_stems(phrase: str) -> tuple[str, ...]:
    return tuple(stem(token) for token in tokenize(phrase))


NEGATION_SCOPE = 6  # words after "without", "not", "sans"... that a negation covers
MAX_SKIP = 2  # stopwords a question may insert between two words of a phrase


class PhraseSet:
    """Phrases ("a b": in order, the question may add up to two stopwords between words) and
    conjunctions ("a b & c": every part found somewhere). ``"phrase:0.5"`` sets a weight."""

    def __init__(self, entries: Iterable[tuple[str, object, float]]):
        self.by_first: dict[str, list[tuple[tuple[str, ...], object, float]]] = {}
        self.conjunctions: list[tuple[tuple[tuple[str, ...], ...], object, float]] = []
        for text, payload, weight in entries:
            phrase, _, suffix = text.partition(":")
            if suffix:
                weight *= float(suffix)
            parts = tuple(p for p in (_phrase_stems(part) for part in phrase.split("&")) if p)
            if len(parts) > 1:
                self.conjunctions.append((parts, payload, weight))
            elif parts:
                self.by_first.setdefault(parts[0][0], []).append((parts[0], payload, weight))

    @staticmethod
    def _end(
        seq: tuple[str, ...], start: int, positions: list[dict[str, float]], stop: list[bool]
    ) -> int:
        """End index of ``seq`` matched from ``start`` (whose first word matched), or -1."""
        j = start + 1
        for word in seq[1:]:
            skipped = 0
            while j < len(positions) and word not in positions[j]:
                if not stop[j] or skipped >= MAX_SKIP:
                    return -1
                j += 1
                skipped += 1
            if j >= len(positions):
                return -1
            j += 1
        return j

    def _find(
        self, seq: tuple[str, ...], positions: list[dict[str, float]], stop: list[bool]
    ) -> bool:
        return any(
            seq[0] in alternatives and self._end(seq, i, positions, stop) >= 0
            for i, alternatives in enumerate(positions)
        )

    def match(
        self, positions: list[dict[str, float]], stop: list[bool]
    ) -> list[tuple[int, int, object, float]]:
        """(start, end, payload, weight) for every phrase found; conjunctions span (-1, -1)."""
        found: list[tuple[int, int, object, float]] = []
        for i, alternatives in enumerate(positions):
            for first in alternatives:
                for seq, payload, weight in self.by_first.get(first, ()):
                    end = self._end(seq, i, positions, stop)
                    if end >= 0:
                        found.append((i, end, payload, weight))
        if self.conjunctions:
            present = {s for alternatives in positions for s in alternatives}
            for parts, payload, weight in self.conjunctions:
                if all(part[0] in present for part in parts) and all(
                    self._find(part, positions, stop) for part in parts
                ):
                    found.append((-1, -1, payload, weight))
        return found


@dataclass
class _Compiled:
    stop: frozenset[str]
    negations: frozenset[str]
    weak: frozenset[str]
    slang: dict[str, list[str]]
    words: dict[str, list[tuple[str, float, str]]]
    phrases: PhraseSet
    concepts: list[dict[str, Any]]
    concept_phrases: PhraseSet
    kind_phrases: PhraseSet
    budget_phrases: PhraseSet
    budget_low_max: float
    places: dict[tuple[str, ...], tuple[str, object]]
    codes: dict[str, str]
    ambiguous_codes: frozenset[str]
    vocabulary: frozenset[str]
    common_words: frozenset[str]
    acronyms: dict[str, list[str]] = field(default_factory=dict)
    concept_words: dict[str, list[tuple[int, float]]] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    sw = load("stopwords")
    negations = frozenset(sw["negations"])
    stop = frozenset(set(sw["en"]) | set(sw["es"]) | set(sw["fr"])) | negations
    lexicon = load("lexicon")
    words: dict[str, list[tuple[str, float, str]]] = {}
    phrase_entries: list[tuple[str, object, float]] = []
    sources = [("translation", table) for table in lexicon["translations"].values()]
    sources.append(("synonym", lexicon["synonyms"]))
    jargon = load("jargon")
    sources.append(("synonym", jargon["terms"]))
    for source, table in sources:
        for key, values in table.items():
            targets = [t for value in values for t in tokenize(value)]
            if len(tokenize(key)) > 1:
                phrase_entries.append((key.replace(":", " "), (source, targets), 1.0))
            else:
                for folded in tokenize(key):
                    words.setdefault(folded, []).extend((t, 1.0, source) for t in targets)
    concepts = load("concepts")["concepts"]
    concept_entries = [
        (trigger, index, 1.0) for index, c in enumerate(concepts) for trigger in c["triggers"]
    ]
    kind_entries = [
        (phrase, hint["kinds"], 1.0)
        for hint in load("kinds")["hints"]
        for phrase in hint["phrases"]
    ]
    budget = load("budget")
    budget_entries = [
        (phrase, level, 1.0)
        for level in ("free", "low", "unconstrained")
        for phrase in budget[level]
    ]
    places_data = load("places")
    places: dict[tuple[str, ...], tuple[str, object]] = {}
    for alias, region in places_data["cities"].items():
        places[tuple(tokenize(alias))] = ("region", region)
    for name, info in places_data["regions"].items():
        for alias in info["aliases"]:
            places[tuple(tokenize(alias))] = ("region", name)
    for group, names in places_data["groups"].items():
        places[tuple(tokenize(group))] = ("group", names)
    for country, aliases in places_data["countries"].items():
        for alias in aliases:
            places[tuple(tokenize(alias))] = ("country", country)
    for phrase in places_data["not_places"]:
        places[tuple(tokenize(phrase))] = ("none", None)
    codes = {info["code"]: name for name, info in places_data["regions"].items()}
    vocabulary: set[str] = set()
    acronyms = {
        key: [t for value in values for t in tokenize(value)]
        for key, values in jargon["acronyms"].items()
    }
    for table in (words, lexicon["slang"], acronyms):
        vocabulary.update(stem(t) for t in table)
    for entry_list in (phrase_entries, concept_entries, kind_entries, budget_entries):
        for text, _, _ in entry_list:
            vocabulary.update(stem(t) for t in tokenize(text.partition(":")[0]))
    for c in concepts:
        for term in c["expand"]:
            vocabulary.update(stem(t) for t in tokenize(term))
    for word_targets in words.values():
        vocabulary.update(stem(t) for t, _, _ in word_targets)
    for key in places:
        vocabulary.update(stem(t) for t in key)
    vocabulary.update(stem(t) for t in stop | negations)
    vocabulary.update(stem(t) for t in sw["weak"])
    return _Compiled(
        concept_words=_concept_words(concepts, stop | frozenset(sw["weak"])),
        stop=stop,
        negations=negations,
        weak=frozenset(sw["weak"]),
        slang={k: tokenize(" ".join(v)) for k, v in lexicon["slang"].items()},
        words=words,
        phrases=PhraseSet(phrase_entries),
        concepts=concepts,
        concept_phrases=PhraseSet(concept_entries),
        kind_phrases=PhraseSet(kind_entries),
        budget_phrases=PhraseSet(budget_entries),
        budget_low_max=float(budget["low_max"]),
        places=places,
        codes=codes,
        ambiguous_codes=frozenset(places_data["ambiguous_codes"]),
        vocabulary=frozenset(vocabulary),
        common_words=frozenset(load("english_words")["words"].split()),
        acronyms=acronyms,
    )


def _concept_words(
    concepts: list[dict[str, Any]], stop: frozenset[str]
) -> dict[str, list[tuple[int, float]]]:
    """stem -> [(concept index, specificity)]: the content words of each concept's triggers,
    weighted 1 / (number of concepts whose triggers use the word). Concepts sharing an id
    before "#" (one concept split into copies) count as one, under its first copy."""
    first: dict[str, int] = {}
    users: dict[str, set[int]] = {}
    for index, concept in enumerate(concepts):
        group = first.setdefault(concept["id"].partition("#")[0], index)
        for trigger in concept["triggers"]:
            for token in tokenize(trigger.partition(":")[0].replace("&", " ")):
                if len(token) > 2 and token not in stop:
                    users.setdefault(stem(token), set()).add(group)
    return {
        term: [(index, 1.0 / len(indexes)) for index in sorted(indexes)]
        for term, indexes in users.items()
        if len(indexes) <= 4
    }


@lru_cache(maxsize=4)
def _foreign_speller(language: str) -> tuple[Speller, frozenset[str]]:
    """(corrector over the Spanish or French words the lexicon translates, the language's
    dictionary words, folded). The dictionary comes from pyspellchecker's word lists when that
    package is installed (a typed word found there is a real word, never "corrected"); without
    it only the lexicon's own words count as known."""
    data = _compiled()
    table = load("lexicon")["translations"].get(language, {})
    targets = [w for key in table for w in [" ".join(tokenize(key))] if w and " " not in w]
    known: set[str] = set()
    try:
        from spellchecker import SpellChecker
    except ImportError:  # pragma: no cover - optional dependency
        pass
    else:
        checker = SpellChecker(language=language, distance=1)
        known.update(" ".join(tokenize(word)) for word in checker.word_frequency.dictionary)
    known.update(data.stop)
    return Speller((word, 1) for word in targets), frozenset(known)


def data_vocabulary() -> frozenset[str]:
    """Every stem the vocabulary files know (never "corrected" as a typo)."""
    return _compiled().vocabulary


# --------------------------------------------------------------------------- hints


def _detect_places(
    tokens: list[tuple[str, str, bool]],
    data: _Compiled,
    sources: dict[str, str] | None = None,
) -> tuple[set[str], set[str], set[int]]:
    """(regions, countries, token indexes used); ``sources`` gets "place:<region>" -> the
    words typed for it."""
    if sources is None:
        sources = {}
    places: set[str] = set()
    countries: set[str] = set()
    used: set[int] = set()
    folded = [t for t, _, _ in tokens]
    i = 0
    while i < len(folded):
        for n in (4, 3, 2, 1):
            key = tuple(folded[i : i + n])
            if len(key) == n and key in data.places:
                what, value = data.places[key]
                typed = " ".join(original for _, original, _ in tokens[i : i + n])
                if what == "region":
                    places.add(str(value))
                    sources.setdefault(f"place:{value}", typed)
                elif what == "group":
                    places.update(value)  # type: ignore[arg-type]
                    for name in value:  # type: ignore[attr-defined]
                        sources.setdefault(f"place:{name}", typed)
                elif what == "country":
                    countries.add(str(value))
                    sources.setdefault(f"place:{value}", typed)
                used.update(range(i, i + n))
                i += n
                break
        else:
            token, raw, after_comma = tokens[i]
            if len(raw) == 2 and raw.isupper() and token in data.codes:
                if token not in data.ambiguous_codes or after_comma:
                    places.add(data.codes[token])
                    sources.setdefault(f"place:{data.codes[token]}", raw)
                    used.add(i)
            elif raw in ("US", "USA"):
                countries.add("us")
                used.add(i)
            i += 1
    return places, countries, used


def _detect_budget(
    text: str, positions: list[dict[str, float]], stop: list[bool], data: _Compiled
) -> str | None:
    levels = {payload for _, _, payload, _ in data.budget_phrases.match(positions, stop)}
    lowered = text.lower()
    if _NO_MONEY.search(lowered):
        levels.add("free")
    for match in _MONEY.finditer(lowered):
        digits = (match.group(1) or match.group(3) or "").replace(",", "")
        try:
            amount = float(digits.rstrip("."))
        except ValueError:
            continue
        if match.group(2) or match.group(4):
            amount *= 1000
        if amount == 0:
            levels.add("free")
        elif amount <= data.budget_low_max:
            levels.add("low")
    for level in ("unconstrained", "free", "low"):
        if level in levels:
            return level
    return None


# --------------------------------------------------------------------------- analysis


def analyze(
    question: str, speller: Speller | None = None, params: Params = DEFAULT_PARAMS
) -> QueryAnalysis:
    """Analyse one question. ``speller`` knows the corpus stems (see ``CorpusStats.speller``)."""
    data = _compiled()
    question = question or ""
    tokens = tokenize_with_case(question[:5000])[: MAX_TOKENS * 2]
    sources: dict[str, str] = {}
    places, countries, place_idx = _detect_places(tokens, data, sources)

    # Positions: one per word (slang rewritten), each with alternative stems and weights.
    raw: list[tuple[str, bool, bool, bool]] = []  # (folded word, place?, stopword?, proper noun?)
    capitals: set[int] = set()  # raw positions of words typed in capitals (acronyms)
    for index, (token, original, _) in enumerate(tokens):
        proper = index > 0 and original[:1].isupper() and not original.isupper()
        if len(original) > 1 and original.isupper() and token in data.acronyms:
            capitals.add(len(raw))
            raw.append((token, False, False, False))
            continue
        for word in data.slang.get(token, [token]):
            raw.append((word, index in place_idx, word in data.stop, proper))
    raw = raw[:MAX_TOKENS]
    stop = [is_stop for _, _, is_stop, _ in raw]
    positions: list[dict[str, float]] = [{stem(word): 1.0} for word, _, _, _ in raw]
    surfaces: dict[str, str] = {}
    for word, _, _, _ in raw:
        surfaces.setdefault(stem(word), word)

    def add_alternative(i: int, word: str, weight: float, typed: str = "") -> None:
        s = stem(word)
        surfaces.setdefault(s, word)
        if weight > positions[i].get(s, 0.0):
            positions[i][s] = weight
            if s != stem(raw[i][0]):
                sources.setdefault(f"term:{s}", typed or raw[i][0])

    def rewrite_weight(source: str) -> float:
        return params.translation_weight if source == "translation" else params.synonym_weight

    for start, end, payload, _ in data.phrases.match(positions, stop):
        source, targets = cast(tuple[str, list[str]], payload)
        spread = len(targets) == end - start
        typed = " ".join(word for word, _, _, _ in raw[start:end])
        for k, word in enumerate(targets):
            add_alternative(start + k if spread else start, word, rewrite_weight(source), typed)
    for i, (word, _, _, _) in enumerate(raw):
        for target, _, source in data.words.get(word, ()):
            add_alternative(i, target, rewrite_weight(source))
        if i in capitals:
            for target in data.acronyms[word]:
                add_alternative(i, target, params.synonym_weight)

    language = guess_language(question[:2000])
    corrections: dict[str, str] = {}
    if speller is not None and language == "en":
        for i, (word, is_place, is_stop, proper) in enumerate(raw):
            s = stem(word)
            if is_place or is_stop or proper or len(positions[i]) > 1:
                continue
            if s in speller or s in data.vocabulary or word in data.common_words:
                continue
            fixed = speller.correct(word, s)
            if fixed:
                corrections[word] = fixed
                surfaces.setdefault(fixed, speller.surfaces.get(fixed, fixed))
                add_alternative(i, fixed, params.corrected_weight, word)

    if speller is not None and language in ("es", "fr"):
        foreign, known = _foreign_speller(language)
        for i, (word, is_place, is_stop, proper) in enumerate(raw):
            s = stem(word)
            if is_place or is_stop or proper or len(positions[i]) > 1 or len(word) < 5:
                continue
            if word in known or s in speller or s in data.vocabulary or word in foreign:
                continue
            fixed = foreign.correct(word)
            if fixed:
                corrections[word] = fixed
                add_alternative(i, fixed, params.corrected_weight, word)
                for target, _, _ in data.words.get(fixed, ()):
                    add_alternative(
                        i, target, params.corrected_weight * params.translation_weight, word
                    )

    concepts: dict[str, float] = {}
    for start, end, concept_index, weight in data.concept_phrases.match(positions, stop):
        concept = data.concepts[cast(int, concept_index)]
        cid = concept["id"]
        if weight > concepts.get(cid, 0.0):
            concepts[cid] = weight
            if start >= 0:
                typed = " ".join(w for w, _, is_stop, _ in raw[start:end] if not is_stop)
            else:  # a conjunction: the words of the trigger, wherever they stood
                typed = _trigger_words(concept, positions, raw)
            sources[f"concept:{cid}"] = typed or " ".join(w for w, _, _, _ in raw[start:end])
    if params.soft_concept_weight > 0:
        evidence: dict[int, float] = {}
        witnesses: dict[int, list[str]] = {}
        seen_terms: set[str] = set()
        for i, alternatives in enumerate(positions):
            if stop[i]:
                continue
            for term in alternatives:
                if term in seen_terms:
                    continue
                seen_terms.add(term)
                for index, specificity in data.concept_words.get(term, ()):
                    evidence[index] = evidence.get(index, 0.0) + specificity
                    witnesses.setdefault(index, []).append(raw[i][0])
        matched = {cid.partition("#")[0] for cid in concepts}
        for index, total in evidence.items():
            group = data.concepts[index]["id"].partition("#")[0]
            if total >= params.soft_concept_threshold and group not in matched:
                concepts[group] = params.soft_concept_weight
                sources[f"concept:{group}"] = " ".join(dict.fromkeys(witnesses[index]))
    kinds: dict[str, float] = {}
    for _, _, kind_weights, weight in data.kind_phrases.match(positions, stop):
        for kind, value in kind_weights.items():  # type: ignore[attr-defined]
            kinds[kind] = max(kinds.get(kind, 0.0), value * weight)
    budget = _detect_budget(question[:5000], positions, stop, data)

    # Names a question turns away from: a capitalised word (a brand: Google, Zoom, Facebook)
    # within a few words after a negation ("without feeding their data to Google", "sans
    # Facebook", "not Zoom"). Not searched for; resources named with them rank lower.
    avoid: set[str] = set()
    for i, (word, _, _, _) in enumerate(raw):
        if word not in data.negations:
            continue
        for j in range(i + 1, min(len(raw), i + 1 + NEGATION_SCOPE)):
            if raw[j][0] in data.negations:
                break
            if raw[j][3] or j in capitals:
                avoid.add(stem(raw[j][0]))

    terms: dict[str, float] = {}

    def put(term: str, weight: float) -> None:
        if weight > terms.get(term, 0.0):
            terms[term] = weight

    for i, (word, is_place, is_stop, _) in enumerate(raw):
        if is_stop:
            continue
        factor = params.weak_weight if word in data.weak else 1.0
        if is_place:
            factor *= params.place_word_weight
        for s, weight in positions[i].items():
            if s in avoid:
                continue
            if len(s) > 1 and not (s.isdigit() and (len(s) < 3 or not s.strip("0"))):
                put(s, weight * factor)

    expansion = params.expansion_weight
    if speller is not None:
        # Questions whose own words the resources do not use lean more on concepts.
        content = [
            positions[i]
            for i, (word, is_place, is_stop, _) in enumerate(raw)
            if not (is_stop or is_place or word in data.weak or word.isdigit())
        ]
        if content:
            unknown = sum(1 for alts in content if not any(a in speller for a in alts))
            expansion += (params.expansion_weight_max - expansion) * unknown / len(content)
    skill_areas: dict[str, float] = {}
    by_id = {c["id"]: c for c in data.concepts}
    for c in data.concepts:
        by_id.setdefault(c["id"].partition("#")[0], c)
    for cid, strength in concepts.items():
        concept = by_id[cid]
        for phrase, weight in concept["expand"].items():
            for token in tokenize(phrase):
                if token in data.stop or len(token) < 2:
                    continue
                s = stem(token)
                surfaces.setdefault(s, token)
                put(s, min(1.0, expansion * strength * weight))
        for area in concept["skills"]:
            skill_areas[area] = max(skill_areas.get(area, 0.0), strength)
    for name in places:
        for token in tokenize(name):
            s = stem(token)
            surfaces.setdefault(s, token)
            put(s, params.place_word_weight * 0.8)

    corpus_words = speller.surfaces if speller is not None else {}
    return QueryAnalysis(
        text=question,
        language=language,
        terms=terms,
        surfaces={term: corpus_words.get(term) or surfaces.get(term, term) for term in terms},
        corrections=corrections,
        concepts=concepts,
        skill_areas=skill_areas,
        kinds=kinds,
        places=frozenset(places),
        countries=frozenset(countries),
        budget=budget,
        avoid=frozenset(avoid),
        sources=sources,
    )


def _trigger_words(
    concept: dict[str, Any],
    positions: list[dict[str, float]],
    raw: list[tuple[str, bool, bool, bool]],
) -> str:
    """The typed words that match any word of a concept's triggers (for a conjunction)."""
    wanted = {
        stem(token)
        for trigger in concept["triggers"]
        for token in tokenize(trigger.partition(":")[0].replace("&", " "))
    }
    words = [
        raw[i][0]
        for i, alternatives in enumerate(positions)
        if not raw[i][2] and any(a in wanted for a in alternatives)
    ]
    return " ".join(dict.fromkeys(words))
