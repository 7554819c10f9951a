"""The program year and its goals: the target of certified strategists, and per-constituency targets."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from strategists.accounts.constants import OrganizationType, Role
from strategists.common.models import TimeStampedModel


class ProgramYear(TimeStampedModel):
    """The year the program counts toward its target. The current year is the latest one that has
    started (or the first one, before any has)."""

    name = models.CharField(_("name"), max_length=80)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    target = models.PositiveIntegerField(_("certified strategists to reach"), default=1000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="program_year_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(target__gte=1), name="program_year_target_positive"),
        ]

    def __str__(self):
        return self.name

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class ConstituencyTarget(TimeStampedModel):
    """How many people of one role in one kind of organization the program means to reach."""

    program_year = models.ForeignKey(ProgramYear, on_delete=models.CASCADE, related_name="targets")
    organization_type = models.CharField(
        _("organization type"), max_length=40, choices=OrganizationType
    )
    role = models.CharField(_("role"), max_length=40, choices=Role)
    target = models.PositiveIntegerField(_("target"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["organization_type", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["program_year", "organization_type", "role"],
                name="one_target_per_constituency_and_role",
            ),
            models.CheckConstraint(condition=Q(target__gte=1), name="constituency_target_positive"),
        ]

    def __str__(self):
        return f"{self.get_organization_type_display()} × {self.get_role_display()}: {self.target}"


class ForecastSnapshot(models.Model):
    """The last forecast of a program year, computed by a background task (tasks.py) and served as
    it is by the progress page with its "as of" time: the Monte Carlo never runs in a request."""

    program_year = models.OneToOneField(
        ProgramYear, on_delete=models.CASCADE, related_name="forecast_snapshot"
    )
    # What the forecast was computed from (its inputs, the year's target and dates, the day):
    # a periodic refresh with the same digest has nothing to recompute.
    digest = models.CharField(max_length=64)
    as_of = models.DateTimeField(_("as of"))  # when its inputs were read from the database
    today = models.DateField()  # the day it was computed for
    outlook = models.JSONField()  # forecast_store.outlook_to_json()
    seconds = models.FloatField(default=0)  # how long it took

    class Meta:
        verbose_name = _("forecast snapshot")

    def __str__(self):
        return f"{self.program_year}: forecast as of {self.as_of:%Y-%m-%d %H:%M}"
