"""Endpoints other systems registered, and the deliveries queued for them (the outbox)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from strategists.common.models import TimeStampedModel


class EventType(models.TextChoices):
    """What an endpoint may hear about; the value is the `X-Strategists-Event` header."""

    REGISTRATION_CREATED = "registration.created", _("Registration created")
    REGISTRATION_CANCELLED = "registration.cancelled", _("Registration cancelled")
    CHECKED_IN = "registration.checked_in", _("Checked in")
    TRAINING_APPROVED = "training.approved", _("Training approved")
    TRAINING_CANCELLED = "training.cancelled", _("Training cancelled")
    CERTIFIED = "certification.granted", _("Certified")
    CREDENTIAL_REVOKED = "credential.revoked", _("Credential revoked")


PING = "ping"


class Endpoint(TimeStampedModel):
    """A URL that receives signed deliveries for the event types it chose."""

    class State(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("webhook endpoint state", "Active")
        PAUSED = "paused", pgettext_lazy("webhook endpoint state", "Paused")

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Kept as given: signing needs it. It is shown once, when set, and never again.
    secret = models.CharField(_("secret"), max_length=200)
    event_types = models.JSONField(_("events"), default=list)
    state = models.CharField(
        _("state"), max_length=10, choices=State, default=State.ACTIVE, db_index=True
    )
    # Who is told when the endpoint is paused after a day of failures.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webhook_endpoints",
    )
    # Since when every delivery has failed; cleared by the next success.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    paused_reason = models.CharField(_("why paused"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.description or self.url

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE

    def event_labels(self) -> list[str]:
        labels = dict(EventType.choices)
        return [str(labels.get(value, value)) for value in self.event_types]


class Delivery(models.Model):
    """One event for one endpoint: its body, fixed when the change committed, and its sending.

    Written in the transaction of the change (a transactional outbox) and sent after commit by a
    sender that claims it with a lease, like `common.OutgoingMail`. The idempotency key and the
    body stay the same on every retry and redelivery; only the signature's timestamp changes."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("webhook delivery status", "Queued")
        SENDING = "sending", pgettext_lazy("webhook delivery status", "Sending")
        DELIVERED = "delivered", pgettext_lazy("webhook delivery status", "Delivered")
        FAILED = "failed", pgettext_lazy("webhook delivery status", "Failed")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(_("event"), max_length=40)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True)
    # Retries stop here (a day after it was queued, or redelivered): then it has failed.
    expires_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["status", "not_before"], name="webhook_delivery_due")]

    def __str__(self):
        return f"{self.event_type} {self.idempotency_key}"

    @property
    def event_label(self) -> str:
        if self.event_type == PING:
            return str(_("Test ping"))
        return str(dict(EventType.choices).get(self.event_type, self.event_type))


class DeliveryAttempt(models.Model):
    """One try at sending a delivery, as the receiver answered it: the delivery log."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    started_at = models.DateTimeField(_("when"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    status_code = models.PositiveIntegerField(_("response status"), null=True, blank=True)
    # The start of what the receiver answered, or why nothing was sent or answered.
    response_excerpt = models.TextField(_("response"), blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.delivery_id} {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
