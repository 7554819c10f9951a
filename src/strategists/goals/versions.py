"""Cache versions of goals' pages: counters the receivers move, so cached tables follow the data."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache

from strategists.goals.models import ProgramYear

VERSION_KEY = "goals:data-version"
DASHBOARD_VERSION_KEY = "goals:dashboard-version"
CACHE_SECONDS = 5 * 60


def data_version() -> int:
    """Moves with every save or delete of a training, a registration, evidence or a certification."""
    return cache.get(VERSION_KEY, 0)


def dashboard_version() -> int:
    """Moves with what only the coordinator's dashboard shows (trainer assignments, experts,
    organizations and their hosts, questions and suggested resources), besides ``data_version``."""
    return cache.get(DASHBOARD_VERSION_KEY, 0)


def bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not in the cache yet (or evicted)
        cache.set(key, 1, None)


def cached(name: str, year: ProgramYear, today: dt.date, compute):
    """``compute()`` once per change of the data, of the year or of the day."""
    key = (
        f"goals:{name}:{year.pk}:{year.updated_at.isoformat()}:{today.isoformat()}:{data_version()}"
    )
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, CACHE_SECONDS)
    return result
