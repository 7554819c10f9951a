"""API tokens, kept as digests, so that outside tools can use the API as a person."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from strategists.common.models import TimeStampedModel


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(TimeStampedModel):
    """An OSDI-API-Token. Only its SHA-256 digest is stored: the raw token is shown once, when
    `strategists api-token` creates it, and can't be recovered afterwards."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    digest = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    prefix = models.CharField(
        _("first characters"), max_length=8, help_text=_("To tell tokens apart.")
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("API token")

    def __str__(self):
        return f"{self.user}: {self.prefix}…"
