"""Text normalization for the ask engine: folding, tokenizing, light stemming, language guess.

Everything here is deterministic and language-light: one folding and one stemmer are applied
to resources and questions alike, so that English, Spanish and French words meet on the same
stems ("organizing", "organizer", "organize" -> "organiz"; "trabajadores" -> "trabajador").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from strategists.common.text import fold  # the one folding, shared with the city search

from .vocab import load

__all__ = [
    "fold",
    "guess_language",
    "is_safe_term",
    "normalize",
    "stem",
    "stem_tokens",
    "tokenize",
    "tokenize_with_case",
]

_TOKEN = re.compile(r"[a-z0-9]+")
_RAW_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CONTRACTION = re.compile(r"([nN])['’]([tT])\b")
_SAFE_TERM = re.compile(r"^[a-z0-9]{1,40}$")
_VOWELS = frozenset("aeiouy")


def normalize(text: str) -> str:
    """Folded text with every run of non-word characters collapsed to one space."""
    return " ".join(tokenize(text))


def tokenize(text: str) -> list[str]:
    """Folded ASCII word tokens ([a-z0-9]+). Other scripts are dropped (never matched)."""
    return _TOKEN.findall(fold(text))


def tokenize_with_case(text: str) -> list[tuple[str, str, bool]]:
    """(folded token, original token, preceded by a comma) for place-abbreviation checks."""
    out: list[tuple[str, str, bool]] = []
    text = _CONTRACTION.sub(r"\1\2", text)
    for match in _RAW_TOKEN.finditer(text):
        raw = match.group(0)
        before = text[max(0, match.start() - 2) : match.start()]
        comma = "," in before
        for token in _TOKEN.findall(fold(raw)):
            out.append((token, raw, comma))
            comma = False
    return out


_DERIVATIONAL = (
    ("ization", "iz"),
    ("isation", "is"),
    ("izacion", "iz"),
    ("ibility", "ibl"),
    ("ation", "at"),
    ("acion", "ac"),
    ("ement", ""),
    ("mente", ""),
)


def _has_vowel(word: str) -> bool:
    return any(ch in _VOWELS for ch in word)


def _undouble(word: str) -> str:
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz" + "aeiou":
        return word[:-1]
    return word


def _short_stem(word: str) -> str:
    """After -ing/-ed: undouble ("running" -> "run"), or restore a short stem's e ("vot" -> "vote")."""
    undoubled = _undouble(word)
    if undoubled != word:
        return undoubled
    if len(word) <= 3 and word[-1] not in _VOWELS and word[-2:-1] in _VOWELS:
        return word + "e"
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Light suffix-stripping stemmer shared by English, Spanish and French words.

    It only has to be consistent (the same stem for the same family on both sides), not
    linguistically right. Numbers and short words are left alone.
    """
    if len(word) <= 3 or word.isdigit():
        return word
    w = word
    # Plurals.
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif (w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 4) or (
        w.endswith("x") and w.endswith(("aux", "eux")) and len(w) > 5
    ):
        w = w[:-1]
    # Derivational and verbal endings, longest first.
    for suffix, replacement in _DERIVATIONAL:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + replacement
            break
    else:
        if w.endswith("ing") and len(w) >= 5 and _has_vowel(w[:-3]):
            w = _short_stem(w[:-3])
        elif w.endswith("ied") and len(w) >= 4:
            w = w[:-3] + "y"
        elif w.endswith("ed") and len(w) >= 5 and _has_vowel(w[:-2]):
            w = _short_stem(w[:-2])
        elif w.endswith("er") and len(w) >= 6:
            w = _undouble(w[:-2])
        elif w.endswith("ly") and len(w) >= 6:
            w = w[:-2]
    if len(w) > 4 and w[-1] in "eao" and w[-2] not in _VOWELS:
        w = w[:-1]
    elif w.endswith("y") and len(w) > 4:
        w = w[:-1] + "i"
    return w


_STEM_CACHE: dict[str, str] = {}


def stem_tokens(tokens: Iterable[str]) -> list[str]:
    """Stems of many tokens (memoised; the cache stops growing at 200,000 entries)."""
    cache = _STEM_CACHE
    out = []
    for token in tokens:
        value = cache.get(token)
        if value is None:
            value = stem(token)
            if len(cache) < 200_000:
                cache[token] = value
        out.append(value)
    return out


def is_safe_term(term: str) -> bool:
    """A term a full-text engine may receive verbatim: plain lowercase ASCII word characters."""
    return bool(_SAFE_TERM.match(term))


def guess_language(text: str) -> str:
    """ "en", "es" or "fr" from stopword and accent evidence; "en" when unsure."""
    data = load("stopwords")
    tokens = tokenize(text)
    scores = dict.fromkeys(("en", "es", "fr"), 0.0)
    for token in tokens:
        for lang in scores:
            if token in data["marker_" + lang]:
                scores[lang] += 1.0
    lowered = text.lower()
    scores["es"] += 2.0 * sum(lowered.count(ch) for ch in "ñ¿¡") + 0.5 * sum(
        lowered.count(ch) for ch in "áíóú"
    )
    scores["fr"] += 0.5 * sum(lowered.count(ch) for ch in "èêàçùâôîœ") + 0.3 * lowered.count("é")
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    return best if scores[best] > scores["en"] else "en"
