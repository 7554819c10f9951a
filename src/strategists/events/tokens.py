"""Tokens that open something without signing in: one-click links in registration mail and the
private calendar feed. The plain token is handed out once (in the mail, or on the feed page
right after it is made) and only its SHA-256 is stored (`models.token_hash`); lookups are in
selectors. A mailed link expires with its training (`RegistrationLink.valid_until`); a feed
lasts until its owner makes a new one, which retires the old URL."""

from django.db import transaction
from django.utils import timezone

from strategists.common.audit import audit_log
from strategists.events.models import (
    CalendarFeed,
    Registration,
    RegistrationLink,
    new_token,
    token_hash,
)


def registration_link_issue(*, registration: Registration) -> str:
    """A new one-click link for this registration (one per mail); returns its plain token and
    sets it on the instance, so the mail being rendered can put it in the URL."""
    token = new_token()
    RegistrationLink.objects.create(registration=registration, token_hash=token_hash(token))
    registration.token = token
    return token


@transaction.atomic
def calendar_feed_rotate(*, person) -> tuple[CalendarFeed, str]:
    """Make the person's private feed URL, or a new one that retires the old one at once.
    Returns the feed and the plain token, to be shown once."""
    token = new_token()
    feed = CalendarFeed.objects.select_for_update().filter(person=person).first()
    if feed is None:
        feed = CalendarFeed.objects.create(person=person, token_hash=token_hash(token))
        audit_log("calendar_feed.created", feed, actor=person)
    else:
        before = feed.created_at
        feed.token_hash, feed.created_at = token_hash(token), timezone.now()
        feed.save(update_fields=["token_hash", "created_at"])
        audit_log(
            "calendar_feed.rotated", feed, actor=person, data={"previous_made": before.isoformat()}
        )
    return feed, token
