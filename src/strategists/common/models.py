"""Models every app shares: timestamps, the mail outbox, the audit log, worker health, job locks."""

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
        # Claimed by one sender until `lease_until`: nobody else sends it meanwhile, and if that
        # sender dies the next sweep takes it over once the lease has run out.
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        # Never sent: the person opted out of this kind of mail (messaging's preferences).
        SKIPPED = "skipped", _("not sent: unsubscribed")

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
    lease_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claim = models.CharField(_("claim"), max_length=32, blank=True)
    body_purged_at = models.DateTimeField(_("body purged"), null=True, blank=True)
    # The HTML alternative (empty: plain text only) and extra headers such as List-Unsubscribe.
    html_body = models.TextField(_("HTML body"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "not_before"])]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class AuditEntry(models.Model):
    """One typed record of a change: who did what to which object, from where, when. Written by
    the service that made the change, in the same transaction, so a change and its record land
    or fail together (pretix's LogEntry, Zulip's RealmAuditLog)."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept when the actor's account is deleted, so the log still reads.
    actor_label = models.CharField(_("who"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip_hash = models.CharField(_("IP hash"), max_length=32, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "created_at"]),
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action} {self.object_label}"


class WorkerHeartbeat(models.Model):
    """Each running `strategists worker` says it is alive here, so /healthz can tell an operator
    that background work (mail, reminders, credentials) has stopped, on any machine."""

    name = models.CharField(_("worker"), max_length=200, unique=True)
    started_at = models.DateTimeField(_("started"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)

    def __str__(self):
        return self.name


class JobLock(models.Model):
    """The lease on one periodic job (common/schedule.py), shared by every worker on every
    machine: a worker runs a job only after taking the lease with a conditional UPDATE, so each
    job runs once per interval however many workers there are. A worker that dies mid-job gives
    the lease up when it runs out."""

    name = models.CharField(_("job"), max_length=200, unique=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    holder = models.CharField(_("held by"), max_length=200, blank=True)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodic job lock")
        verbose_name_plural = _("periodic job locks")

    def __str__(self):
        return self.name
