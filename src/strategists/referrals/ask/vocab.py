"""Loading of the vocabulary data files (JSON in ``strategists/referrals/vocabulary/``)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

VOCABULARY_DIR = Path(__file__).resolve().parent.parent / "vocabulary"

__all__ = ["VOCABULARY_DIR", "load"]


@cache
def load(name: str) -> Any:
    """The parsed content of ``vocabulary/<name>.json`` (cached; treat it as read-only)."""
    with (VOCABULARY_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)
