"""The API tests' factories: the one EventFactory lives in tests/factories.py (re-exported here
for the API tests that import it from this module)."""

import datetime as dt

from django.utils import timezone

from tests.factories import EventFactory

__all__ = ["EventFactory", "in_days"]


def in_days(days: int) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)
