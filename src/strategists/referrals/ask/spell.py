"""Typo correction against a vocabulary of known stems (symmetric-delete lookup).

The dictionary side stores every known stem and its one-character deletions; the question side
looks up the typed stem and its one- and two-character deletions, then verifies candidates with
a real (Damerau) edit distance. That finds most one- and two-edit typos in a few dictionary
lookups whatever the vocabulary size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["Speller", "edit_distance"]


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance (insert, delete, substitute, swap neighbours).

    Returns ``limit + 1`` as soon as the distance is known to exceed ``limit``.
    """
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Speller:
    """Known stems with frequencies; ``correct(stem)`` returns the likeliest known stem or None."""

    def __init__(
        self,
        frequencies: Mapping[str, int] | Iterable[tuple[str, int]],
        surfaces: Mapping[str, str] | None = None,
    ) -> None:
        items = frequencies.items() if isinstance(frequencies, Mapping) else frequencies
        self.surfaces: Mapping[str, str] = surfaces or {}  # stem -> a real word, for display
        self.frequencies: dict[str, int] = {}
        self._index: dict[str, list[str]] = {}
        for word, count in items:
            self.add(word, count)

    def add(self, word: str, count: int = 1) -> None:
        if word in self.frequencies:
            self.frequencies[word] += count
            return
        self.frequencies[word] = count
        if len(word) < 3 or word.isdigit():
            return
        self._index.setdefault(word, []).append(word)
        for deleted in _deletes(word):
            self._index.setdefault(deleted, []).append(word)

    def __contains__(self, word: object) -> bool:
        return word in self.frequencies

    def correct(self, *forms: str) -> str | None:
        """The closest known stem to any of ``forms`` (say a typed word and its stem).

        Words of 4-5 letters may differ by one edit, longer ones by two; the most frequent
        stem wins ties. Known words, numbers and short words are never corrected.
        """
        if any(form in self.frequencies for form in forms):
            return None
        found = [best for best in map(self._best, forms) if best is not None]
        return min(found)[2] if found else None

    def _best(self, word: str) -> tuple[int, int, str] | None:
        if len(word) < 4 or any(ch.isdigit() for ch in word):
            return None
        limit = 1 if len(word) <= 5 else 2
        keys = {word} | _deletes(word)
        if limit > 1:
            for deleted in list(keys):
                if len(deleted) == len(word) - 1:
                    keys |= _deletes(deleted)
        seen: set[str] = set()
        best: tuple[int, int, str] | None = None
        for key in keys:
            for candidate in self._index.get(key, ()):
                if candidate in seen:
                    continue
                seen.add(candidate)
                if len(candidate) < 4 or (candidate[0] != word[0] and len(word) <= 5):
                    continue
                distance = edit_distance(word, candidate, limit)
                if distance > limit:
                    continue
                rank = (distance, -self.frequencies[candidate], candidate)
                if best is None or rank < best:
                    best = (distance, -self.frequencies[candidate], candidate)
        return best
