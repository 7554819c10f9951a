"""The competency framework, the evidence behind each level, certification and credentials."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from strategists.accounts.models import SkillArea
from strategists.common.models import TimeStampedModel


class Level(models.IntegerChoices):
    PRACTITIONER = 1, _("L1 Practitioner")
    STRATEGIST = 2, _("L2 Strategist")
    CONNECTOR = 3, _("L3 Connector")


LEVEL_SUMMARIES = {
    Level.PRACTITIONER: _("Does the work with templates and help."),
    Level.STRATEGIST: _("Plans, leads and measures it for an organization: the certification bar."),
    Level.CONNECTOR: _("Diagnoses other groups' problems and knows precisely where to send them."),
}


class Competency(models.Model):
    """One cell of the framework: what someone at this level of this area can do."""

    area = models.ForeignKey(
        SkillArea,
        verbose_name=_("skill area"),
        on_delete=models.PROTECT,
        related_name="competencies",
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level)
    can_do = models.TextField(_("what they can do"), max_length=2000)
    evidence = models.TextField(_("evidence that shows it"), max_length=2000)

    class Meta:
        ordering = ["area__position", "level"]
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(fields=["area", "level"], name="one_competency_per_area_level"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=3), name="competency_level_1_to_3"
            ),
        ]

    def __str__(self):
        return f"{self.area} · {self.get_level_display()}"

    # Stored in English; the framework's first texts are in the message catalog (framework_data).
    @property
    def can_do_text(self) -> str:
        return gettext(self.can_do) if self.can_do else ""

    @property
    def evidence_text(self) -> str:
        return gettext(self.evidence) if self.evidence else ""

    @property
    def path(self) -> str:
        return f"/skills/framework/{self.area_id}/{self.level}/"


class CertificateRule(models.Model):
    """What it takes to be certified. One row (pk=1), editable by coordinators."""

    all_areas_level = models.PositiveSmallIntegerField(
        _("level needed in every area"), choices=Level, default=Level.STRATEGIST
    )
    advanced_level = models.PositiveSmallIntegerField(
        _("higher level"), choices=Level, default=Level.CONNECTOR
    )
    advanced_areas = models.PositiveSmallIntegerField(_("areas at the higher level"), default=2)
    capstone_required = models.BooleanField(_("an approved capstone is required"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(advanced_areas__lte=10), name="rule_advanced_areas_max_10"
            ),
        ]

    def __str__(self):
        return str(_("Certificate rule"))


class Evidence(TimeStampedModel):
    """Why someone holds a level: attendance, an expert's sign-off, a reviewed sample, a capstone."""

    class Kind(models.TextChoices):
        ATTENDANCE = "attendance", _("Attended a training")
        SIGN_OFF = "sign-off", _("Expert sign-off")
        WORK_SAMPLE = "work-sample", _("Work sample")
        PRIOR_LEARNING = "prior-learning", _("Prior learning")
        CAPSTONE = "capstone", _("Capstone plan")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        CHANGES_REQUESTED = "changes-requested", _("Changes requested")
        APPROVED = "approved", _("Approved")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evidence"
    )
    # Empty for a capstone, which covers the whole certificate rather than one cell.
    competency = models.ForeignKey(
        Competency,
        verbose_name=_("competency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence_items",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PENDING, db_index=True
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    organization_name = models.CharField(_("organization it is for"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", blank=True, max_length=300)
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_reviewed",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = _("evidence")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "competency", "event"],
                condition=Q(event__isnull=False),
                name="one_attendance_evidence_per_event",
            ),
            models.CheckConstraint(
                condition=Q(kind="capstone", competency__isnull=True)
                | (~Q(kind="capstone") & Q(competency__isnull=False)),
                name="evidence_capstone_has_no_competency",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(reviewed_at__isnull=False),
                name="approved_evidence_has_review_time",
            ),
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self):
        return f"{self.person}: {self.get_kind_display()} ({self.competency or self.title})"

    @property
    def is_capstone(self) -> bool:
        return self.kind == self.Kind.CAPSTONE

    @property
    def needs_review(self) -> bool:
        return self.status == self.Status.PENDING


class Certification(TimeStampedModel):
    """A person met the certificate rule. Coordinators may reverse it, with a reason."""

    class Status(models.TextChoices):
        CERTIFIED = "certified", pgettext_lazy("certification status", "Certified")
        REVERSED = "reversed", _("Reversed")

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certification"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.CERTIFIED, db_index=True
    )
    certified_at = models.DateTimeField(_("certified"))
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reversed_at = models.DateTimeField(_("reversed"), null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-certified_at", "-pk"]

    def __str__(self):
        return f"{self.person}: {self.get_status_display()}"

    @property
    def is_certified(self) -> bool:
        return self.status == self.Status.CERTIFIED


class SigningKey(models.Model):
    """The public half of every key that ever signed a credential: the DID document lists them all,
    so credentials signed before a rotation keep verifying. Private keys never enter the database."""

    number = models.PositiveIntegerField(unique=True)
    public_key_multibase = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    # Only for a leaked key: credentials it signed stop verifying.
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"key-{self.number}"


class Credential(models.Model):
    """An issued, signed OpenBadgeCredential: for one area-level, or for the certificate."""

    class Kind(models.TextChoices):
        AREA_LEVEL = "area-level", _("Skill level")
        CERTIFICATE = "certificate", _("Certificate")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credentials"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.PROTECT, related_name="credentials"
    )
    achievement_name = models.CharField(_("achievement"), max_length=200)
    status_list = models.PositiveIntegerField(default=1)
    status_index = models.PositiveIntegerField()
    document = models.JSONField()
    issued_at = models.DateTimeField(_("issued"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_reason = models.TextField(_("reason for revoking"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="one_credential_per_status_bit"
            ),
            models.UniqueConstraint(
                fields=["person", "competency"],
                condition=Q(revoked_at__isnull=True, kind="area-level"),
                name="one_active_credential_per_area_level",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(revoked_at__isnull=True, kind="certificate"),
                name="one_active_certificate_credential",
            ),
            models.CheckConstraint(
                condition=Q(kind="certificate", competency__isnull=True)
                | Q(kind="area-level", competency__isnull=False),
                name="credential_kind_matches_competency",
            ),
        ]

    def __str__(self):
        return f"{self.achievement_name} · {self.person}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def path(self) -> str:
        return f"/credentials/{self.pk}/"


class StatusList(models.Model):
    """A signed Bitstring Status List credential, rebuilt and re-signed whenever a bit changes."""

    number = models.PositiveIntegerField(primary_key=True)
    document = models.JSONField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"status list {self.number}"


class Endorsement(models.Model):
    """A host or certified strategist vouches for someone's credential: a signed OB 3.0
    EndorsementCredential. Withdrawing sets its bit in the endorsements' status list, so the
    signed copy anyone kept shows it withdrawn."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    credential = models.ForeignKey(
        Credential, on_delete=models.PROTECT, related_name="endorsements"
    )
    endorser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="endorsements_given"
    )
    endorser_role = models.CharField(_("endorses as"), max_length=300)
    comment = models.TextField(_("endorsement"), max_length=2000)
    status_list = models.PositiveIntegerField(default=2)
    status_index = models.PositiveIntegerField()
    document = models.JSONField()
    created_at = models.DateTimeField(_("endorsed"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "endorser"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_endorsement_per_endorser_and_credential",
            ),
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="one_endorsement_per_status_bit"
            ),
        ]

    def __str__(self):
        return f"{self.endorser} endorses {self.credential}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
