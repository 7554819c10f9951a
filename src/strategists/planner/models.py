"""The year planner's data: a planning year with its rules and movement calendar, plan runs,
the coordinator's locks, and replacement suggestions after a trainer declines."""

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from strategists.accounts.models import Region
from strategists.common.models import TimeStampedModel
from strategists.events.models import Event, TrainerAssignment


class PlanningYear(TimeStampedModel):
    """A year of trainings: slot dates, the rules a plan must keep and how plans are valued."""

    name = models.CharField(_("name"), max_length=120)
    start_date = models.DateField(
        _("first training date"), help_text=_("The date of the first slot.")
    )
    slots = models.PositiveSmallIntegerField(
        _("number of trainings"),
        default=26,
        validators=[MinValueValidator(1)],
        help_text=_("How many slots the year has (26 for a training every two weeks)."),
    )
    cadence_days = models.PositiveSmallIntegerField(
        _("days between trainings"),
        default=14,
        validators=[MinValueValidator(1)],
        help_text=_("Slot dates are the first date plus this many days, again and again."),
    )
    trainers_min = models.PositiveSmallIntegerField(
        _("trainers per training, at least"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("Every training gets at least this many trainers."),
    )
    trainers_max = models.PositiveSmallIntegerField(
        _("trainers per training, at most"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("No training gets more trainers than this."),
    )
    reach_decay_km = models.FloatField(
        _("reach fades over (km)"),
        default=150.0,
        validators=[MinValueValidator(1.0)],
        help_text=_(
            "How quickly a training's pull fades with distance: people this far away count "
            "about a third as much as people in the host city."
        ),
    )
    reach_radius_km = models.FloatField(
        _("reach radius (km)"),
        default=400.0,
        validators=[MinValueValidator(0.0)],
        help_text=_("People farther than this from every training are not counted as reached."),
    )
    trainer_max_km = models.FloatField(
        _("trainer travel limit (km)"),
        default=1500.0,
        validators=[MinValueValidator(0.0)],
        help_text=_("A trainer is only asked to trainings within this distance of home."),
    )
    travel_weight = models.FloatField(
        _("travel weight"),
        default=0.01,
        validators=[MinValueValidator(0.0)],
        help_text=_(
            "How much one trainer-kilometre costs against one person reached: 0.01 means "
            "100 km of travel is worth one person reached."
        ),
    )
    no_consecutive_region = models.BooleanField(
        _("no region twice in a row"),
        default=True,
        help_text=_(
            "Two trainings in a row are never in the same region, so the tour moves around."
        ),
    )
    accepted_run = models.ForeignKey(
        "PlanRun",
        verbose_name=_("accepted plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(trainers_max__gte=models.F("trainers_min")),
                name="planning_year_trainers_min_le_max",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def end_date(self) -> dt.date:
        return self.slot_date(self.slots - 1)

    def slot_date(self, slot: int) -> dt.date:
        return self.start_date + dt.timedelta(days=slot * self.cadence_days)


class RegionLimit(models.Model):
    """How many trainings a region gets over the year; regions without one: 0 to any."""

    year = models.ForeignKey(PlanningYear, on_delete=models.CASCADE, related_name="region_limits")
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    min_events = models.PositiveSmallIntegerField(_("at least"), default=0)
    max_events = models.PositiveSmallIntegerField(_("at most"))

    class Meta:
        ordering = ["region__position"]
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="one_limit_per_region"),
            models.CheckConstraint(
                condition=Q(max_events__gte=models.F("min_events")), name="region_limit_min_le_max"
            ),
        ]

    def __str__(self):
        return f"{self.region_id}: {self.min_events}-{self.max_events}"


class CalendarEntry(models.Model):
    """A date on the movement calendar (conference, holiday) that no training may clash with."""

    year = models.ForeignKey(PlanningYear, on_delete=models.CASCADE, related_name="calendar")
    name = models.CharField(_("name"), max_length=120)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    regions = models.ManyToManyField(
        Region,
        verbose_name=_("regions"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to block every region."),
    )
    buffer_days = models.PositiveSmallIntegerField(
        _("days kept free around it"),
        default=0,
        help_text=_("Also keep this many days before and after free, for travel and preparation."),
    )

    class Meta:
        ordering = ["start", "pk"]
        verbose_name_plural = _("calendar entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="calendar_entry_end_after_start"
            )
        ]

    def __str__(self):
        return self.name


class PlanRun(TimeStampedModel):
    """One run of the planner: the instance it read, its progress, and the plan it wrote."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Planning")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    year = models.ForeignKey(PlanningYear, on_delete=models.CASCADE, related_name="runs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.FloatField(_("progress"), default=0.0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    time_limit = models.FloatField(_("time limit (seconds)"), default=30.0)
    instance = models.JSONField(default=dict)
    locks = models.JSONField(default=dict)
    warm_start = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    plan = models.JSONField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.year} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def percent(self) -> int:
        return round(100 * self.progress)


class Lock(models.Model):
    """The coordinator's wish kept in the next plan: an event on a slot, or a trainer on it."""

    year = models.ForeignKey(PlanningYear, on_delete=models.CASCADE, related_name="locks")
    slot = models.PositiveSmallIntegerField(_("slot"))
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["slot", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(event__isnull=True) ^ Q(trainer__isnull=True),
                name="lock_is_event_or_trainer",
            ),
            models.UniqueConstraint(
                fields=["year", "slot"],
                condition=Q(event__isnull=False),
                name="one_event_lock_per_slot",
            ),
            models.UniqueConstraint(
                fields=["year", "slot", "trainer"],
                condition=Q(trainer__isnull=False),
                name="one_trainer_lock_per_slot",
            ),
        ]

    def __str__(self):
        return f"slot {self.slot}: {self.event or self.trainer}"


class Replacement(TimeStampedModel):
    """After a trainer declines: the best eligible trainer, suggested to the coordinator."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        ASKED = "asked", _("Asked")
        NONE_FOUND = "none", _("Nobody eligible")

    declined = models.OneToOneField(
        TrainerAssignment, on_delete=models.CASCADE, related_name="replacement"
    )
    suggested = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    distance_km = models.FloatField(null=True, blank=True)
    reason = models.CharField(_("why"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.SUGGESTED)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.declined} -> {self.suggested}"
