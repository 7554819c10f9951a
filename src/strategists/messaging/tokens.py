"""One-click unsubscribe links: a signed token naming the person and the category, so the link
works without a session (RFC 8058: the mail client POSTs to it) and can't be forged or edited."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "strategists.messaging.unsubscribe"


def unsubscribe_token(person_id: int, category: str) -> str:
    # No timestamp: a link in a mail read next year must still work.
    return signing.dumps([person_id, category], salt=SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """(person id, category), or None for a token that was not signed here."""
    try:
        person_id, category = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(person_id, int) or not isinstance(category, str):
        return None
    return person_id, category


def unsubscribe_url(person_id: int, category: str) -> str:
    path = reverse("messaging:unsubscribe", args=[unsubscribe_token(person_id, category)])
    return f"{settings.PUBLIC_URL}{path}"
