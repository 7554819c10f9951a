"""Who refused a category of mail, read once per batch of a message's mails, not per mail.

The fan-out (fanout.py) sets it; the outbox's policy (mailhooks.py) reads it."""

from contextlib import contextmanager
from contextvars import ContextVar

from strategists.messaging.models import Unsubscription

# Set by a message's fan-out for one batch: (category, the people of the batch who refused it),
# read in one query instead of one per mail.
_refusals: ContextVar[tuple[str, set[int]] | None] = ContextVar("refusals", default=None)


@contextmanager
def refusals_known(category: str, person_ids: list[int]):
    refused = set(
        Unsubscription.objects.filter(category=category, person_id__in=person_ids).values_list(
            "person_id", flat=True
        )
    )
    token = _refusals.set((category, refused))
    try:
        yield
    finally:
        _refusals.reset(token)


def known_refusals() -> tuple[str, set[int]] | None:
    return _refusals.get()
