"""Messages to a segment and their deliveries, each person's opt-outs, and the text outbox."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from strategists.common.models import OutgoingMail, TimeStampedModel


class Category(models.TextChoices):
    """The kinds of mail a person may refuse; everything else (registration, waitlist offers,
    passwords, reminders) is transactional and always sent."""

    HOSTS = "hosts", _("Messages from the hosts of trainings you registered for")
    PROGRAM = "program", _("Program news and messages from coordinators")
    DIGESTS = "digests", _("The weekly digest of your circles")


# The mail kinds (OutgoingMail.kind) that are not transactional, and the category of each.
KIND_CATEGORY = {
    "host-message": Category.HOSTS,
    "program-message": Category.PROGRAM,
    "circle-digest": Category.DIGESTS,
}


class Message(TimeStampedModel):
    """One message written to a segment: who sent what to how many. The people it reached are
    its deliveries, each tied to its mail in the outbox (which says whether it left)."""

    class Kind(models.TextChoices):
        HOST = "host-message", _("Host's message")
        PROGRAM = "program-message", _("Program message")

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="messages_sent",
    )
    # Kept when the sender's account is deleted, so the log still reads.
    sender_label = models.CharField(_("sent by"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    segment_key = models.CharField(_("segment"), max_length=40)
    segment_params = models.JSONField(_("segment parameters"), default=dict)
    segment_label = models.CharField(_("to"), max_length=300)
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("training"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject


class Delivery(models.Model):
    """One person a message was written to, and the mail that carries it."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    mail = models.ForeignKey(OutgoingMail, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "person"], name="one_delivery_per_person")
        ]

    def __str__(self):
        return f"{self.message_id} → {self.person_id}"


class Unsubscription(models.Model):
    """A person's no to one category of mail, from a one-click link or their preferences page."""

    class Source(models.TextChoices):
        LINK = "link", _("Unsubscribe link")
        PREFERENCES = "preferences", _("Preferences page")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unsubscriptions"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category)
    source = models.CharField(_("how"), max_length=12, choices=Source)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "category"], name="one_unsubscription")
        ]

    def __str__(self):
        return f"{self.person_id}: {self.category}"


class OutgoingText(TimeStampedModel):
    """The text outbox, like the mail outbox: written with the change that caused it, sent after
    commit by one sender holding a lease, retried, and never sent once consent is withdrawn."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        WITHDRAWN = "withdrawn", _("not sent: consent withdrawn")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to = models.CharField(_("to"), max_length=32)
    body = models.TextField(_("text"))
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    not_before = models.DateTimeField(_("send not before"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    lease_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claim = models.CharField(_("claim"), max_length=32, blank=True)
    provider_id = models.CharField(_("provider's id"), max_length=80, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "not_before"])]

    def __str__(self):
        return f"{self.to}: {self.body[:40]}"
