from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class OutgoingMail(TimeStampedModel):
    """Every message the platform sends is written here first, in the same transaction as the
    change that caused it, so a crash or a failed SMTP call never loses it: the sender task
    retries until it is sent or gives up loudly."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    not_before = models.DateTimeField(_("send not before"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=40, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "not_before"])]

    def __str__(self):
        return f"{self.to}: {self.subject}"
