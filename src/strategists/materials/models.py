"""Materials: files, links, slides, recordings and written guides, attached to a training, to a
skill area (its library) or to the host kit. Uploaded files live under MEDIA_ROOT with names we
make (never the uploader's), and are served only through an access-checked view."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from strategists.accounts.models import SkillArea
from strategists.common.models import TimeStampedModel
from strategists.events.models import Event


def upload_path(instance, filename: str) -> str:
    """A random name in a folder by month: nothing the uploader typed reaches the disk. The
    extension was checked against the allowed list before this is called."""
    extension = Path(filename).suffix.lower()
    return f"materials/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class Material(TimeStampedModel):
    class Kind(models.TextChoices):
        FILE = "file", _("Document")
        LINK = "link", _("Link")
        SLIDES = "slides", _("Slides")
        RECORDING = "recording", _("Recording")
        GUIDE = "guide", _("Guide")

    class Visibility(models.TextChoices):
        ATTENDEES = "attendees", _("Registrants and attendees of the training")
        PUBLIC = "public", _("Everyone: shared in the skill area's library")

    class KitSection(models.TextChoices):
        TIMELINE = "timeline", _("Timeline: from six weeks out")
        OUTREACH = "outreach", _("Outreach templates")
        ROOM = "room", _("Room, wifi and projector")
        ACCESSIBILITY = "accessibility", _("Accessibility")
        CHECKLIST = "checklist", _("On the day")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.FILE)
    visibility = models.CharField(
        _("who sees it"), max_length=12, choices=Visibility, default=Visibility.ATTENDEES
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("training"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="materials",
    )
    area = models.ForeignKey(
        SkillArea,
        verbose_name=_("skill area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="materials",
    )
    kit_section = models.CharField(
        _("host kit section"), max_length=16, choices=KitSection, blank=True, db_index=True
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    file = models.FileField(_("file"), upload_to=upload_path, blank=True, max_length=300)
    original_name = models.CharField(max_length=200, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    body = models.TextField(_("text"), max_length=20000, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials_added",
    )

    class Meta:
        ordering = ["position", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url="") | ~Q(body=""), name="material_has_content"
            ),
            models.CheckConstraint(
                condition=Q(event__isnull=False) | Q(area__isnull=False) | ~Q(kit_section=""),
                name="material_belongs_somewhere",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def download_name(self) -> str:
        return self.original_name or Path(self.file.name).name
