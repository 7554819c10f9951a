"""An import: the uploaded file (kept only until it is applied, discarded or stale), the preview
of what it would change, and what it did."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from strategists.common.models import TimeStampedModel
from strategists.imports.formats import KINDS


class ImportJob(TimeStampedModel):
    class State(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        DISCARDED = "discarded", _("Discarded")
        EXPIRED = "expired", _("Expired")

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    kind = models.CharField(_("format"), max_length=20, choices=KINDS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The training every row goes into (Action Network attendee reports name none; a Mobilize
    # file's own event numbers are Mobilize's, so the importer may choose ours instead).
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("training"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("file"), max_length=200)
    # The decoded file: personal data, blanked as soon as the import is done, failed, discarded
    # or left unconfirmed for a day (imports.services.imports_purge_stale).
    content = models.TextField(blank=True)
    encoding = models.CharField(max_length=12, default="utf-8")
    send_claim = models.BooleanField(_("send new people a link to claim their account"))
    state = models.CharField(_("state"), max_length=12, choices=State, default=State.PREVIEW)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    # Counts by outcome (new_people, updated_people, new_registrations, new_attendances,
    # unchanged), the warnings, and a sample of the rows for the preview page (blanked with the
    # content).
    summary = models.JSONField(default=dict, blank=True)
    preview = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    changed_rows = models.PositiveIntegerField(_("rows changed"), default=0)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.file_name}"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES
