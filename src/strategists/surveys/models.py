"""After a training: each attendee's survey link and answers, and the no-shows' "we missed you"."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from strategists.accounts.models import SkillArea
from strategists.events.models import Event

RATINGS = [(n, str(n)) for n in range(1, 6)]
RATING_RANGE = Q(rating__gte=1) & Q(rating__lte=5)


class SurveyInvitation(models.Model):
    """One attendee's survey of one training, sent once. The link opens it without signing in;
    only the token's SHA-256 is kept (events.models.token_hash)."""

    DAYS_VALID = 30

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="survey_invitations")
    # Kept (as null) when the person deletes their account: the response rate stays right.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(person__isnull=False),
                name="one_survey_per_attendee",
            )
        ]

    def __str__(self):
        return f"survey of {self.event} for #{self.person_id}"

    @property
    def valid_until(self) -> dt.datetime:
        return self.sent_at + dt.timedelta(days=self.DAYS_VALID)

    def is_valid(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) <= self.valid_until


class SurveyResponse(models.Model):
    """The answers. Shown only rolled up and without names; the free text without its author."""

    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.CASCADE, related_name="response"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="survey_responses")
    overall = models.PositiveSmallIntegerField(_("overall"), choices=RATINGS)
    improve = models.TextField(_("what to improve"), max_length=2000, blank=True)
    comments = models.TextField(_("anything else"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1) & Q(overall__lte=5), name="survey_overall_1_to_5"
            )
        ]

    def __str__(self):
        return f"answers about {self.event}"


class AreaRating(models.Model):
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="area_ratings"
    )
    area = models.ForeignKey(SkillArea, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(choices=RATINGS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "area"], name="one_rating_per_area"),
            models.CheckConstraint(condition=RATING_RANGE, name="area_rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.area_id}: {self.rating}"


class TrainerRating(models.Model):
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="trainer_ratings"
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainer_ratings"
    )
    rating = models.PositiveSmallIntegerField(choices=RATINGS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "trainer"], name="one_rating_per_trainer"),
            models.CheckConstraint(condition=RATING_RANGE, name="trainer_rating_1_to_5"),
        ]

    def __str__(self):
        return f"trainer #{self.trainer_id}: {self.rating}"


class NoShowNotice(models.Model):
    """A "we missed you" sent to someone registered who was not checked in: once per training."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="no_show_notices")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="no_show_notices",
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(person__isnull=False),
                name="one_no_show_notice_per_person",
            )
        ]

    def __str__(self):
        return f"we missed you: {self.event} for #{self.person_id}"
