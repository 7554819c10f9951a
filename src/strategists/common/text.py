"""Accent and case folding, shared by the city search (accounts) and the ask engine (referrals).

Pure Python (no Django): the ask core imports it and stays free of Django. One folding for the
whole project, so "Montréal" typed in a search box and "Montreal" stored anywhere meet.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold"]

_COMBINING = re.compile(r"[\u0300-\u036f]+")

# Characters NFKD does not decompose but that people type in Latin-script text.
_EXTRA_FOLD = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ð": "d",
        "þ": "th",
        "ł": "l",
        "đ": "d",
        "ı": "i",
        "’": "'",
        "‘": "'",
    }
)


def fold(text: str) -> str:
    """Lowercase and strip accents: "Québec ÉLECTRONIQUE" -> "quebec electronique"."""
    text = text.lower().translate(_EXTRA_FOLD).replace("n't", "nt")
    if text.isascii():
        return text
    decomposed = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    if decomposed.isascii():
        return decomposed
    return "".join(ch if ch.isascii() or not unicodedata.combining(ch) else "" for ch in decomposed)
