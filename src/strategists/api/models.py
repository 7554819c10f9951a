"""API tokens, kept as digests, so that outside tools can use the API as a person; and OSDI tags
and taggings, the labels Action Network clients put on people."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
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


class Tag(TimeStampedModel):
    """An osdi:tag: a label hosts and coordinators put on people (a list, an action, a source)."""

    name = models.CharField(_("name"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_unique_ci")]
        verbose_name = _("tag")

    def __str__(self):
        return self.name


class Tagging(TimeStampedModel):
    """An osdi:tagging: one tag on one person, and who put it there."""

    tag = models.ForeignKey(
        Tag, verbose_name=_("tag"), on_delete=models.CASCADE, related_name="taggings"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="taggings",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tag", "person"], name="tagging_once_per_person")
        ]
        verbose_name = _("tagging")

    def __str__(self):
        return f"{self.tag}: {self.person}"
