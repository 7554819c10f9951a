"""Writes the API makes of its own: tokens. Every write on events and people goes through
strategists.events.services."""

import secrets

from django.db import transaction
from django.utils import timezone

from strategists.accounts.models import User
from strategists.api.models import ApiToken, token_digest
from strategists.common.audit import audit_log


@transaction.atomic
def api_token_create(*, user: User, keep_old: bool = False) -> tuple[ApiToken, str]:
    """A new token for `user`, returned with its raw value (the only time it is known).
    Older tokens are revoked unless `keep_old`."""
    revoked = 0
    if not keep_old:
        revoked = user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, digest=token_digest(raw), prefix=raw[:8])
    audit_log("api_token.created", token, data={"person": user.pk, "older_tokens_revoked": revoked})
    return token, raw


def api_token_user(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user


@transaction.atomic
def api_tokens_revoke(*, token_ids, by) -> list[ApiToken]:
    """Revoke the tokens that still work; each revocation is audited. Revoking twice changes nothing."""
    revoked, now = [], timezone.now()
    for token in (
        ApiToken.objects.select_for_update()
        .select_related("user")
        .filter(pk__in=token_ids, revoked_at__isnull=True)
    ):
        token.revoked_at = now
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_log(
            "api_token.revoked",
            token,
            actor=by,
            data={"person": token.user.email, "prefix": token.prefix},
        )
        revoked.append(token)
    return revoked
