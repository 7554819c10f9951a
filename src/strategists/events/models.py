"""Trainings and who comes: events, registrations, links, calendar feeds, trainer assignments."""

import datetime as dt
import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from strategists.accounts.models import City, Language, Organization, SkillArea
from strategists.common.models import TimeStampedModel

# A completed training stays open for corrections this long; after that only a coordinator,
# giving a reason, may add attendees, check people in or out, or change the areas taught.
CLOSED_AFTER = dt.timedelta(days=7)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    """What is stored of a token that opens something without signing in: its SHA-256. The
    token itself exists only in the URL given out (a mail, the feed page right after it was
    made), so a copy of the database opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class Event(TimeStampedModel):
    """A training, hosted by an organization that set a date (or a window of dates)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CHANGES_REQUESTED = "changes-requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED = "declined", _("Declined")

    # The one definition of "published": the states shown publicly (lists, calendars, the API,
    # the goals' counts). Use it, or `is_published` on an instance, instead of listing states.
    PUBLISHED_STATES = (State.APPROVED, State.COMPLETED)

    class Format(models.TextChoices):
        IN_PERSON = "in-person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("host organization"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_events",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State, default=State.PROPOSED, db_index=True
    )
    # Either a fixed start, or a window of acceptable dates that the planner picks within.
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    window_start = models.DateField(_("earliest date"), null=True, blank=True)
    window_end = models.DateField(_("latest date"), null=True, blank=True)
    local_start_time = models.TimeField(_("start time"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("length (minutes)"), default=360)
    timezone = models.CharField(_("time zone"), max_length=64)
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="events"
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    format = models.CharField(_("format"), max_length=12, choices=Format, default=Format.IN_PERSON)
    online_url = models.URLField(_("online link (sent to registrants only)"), blank=True)
    languages = models.ManyToManyField(Language, verbose_name=_("languages"))
    capacity = models.PositiveIntegerField(_("capacity"))
    step_free = models.BooleanField(_("step-free access"), default=False)
    asl = models.BooleanField(_("ASL interpretation"), default=False)
    interpretation = models.CharField(_("language interpretation"), max_length=120, blank=True)
    childcare = models.BooleanField(_("childcare"), default=False)
    accessibility_notes = models.TextField(_("accessibility notes"), max_length=1000, blank=True)
    skill_areas = models.ManyToManyField(
        SkillArea, verbose_name=_("skill areas it will teach"), related_name="events"
    )
    taught_areas = models.ManyToManyField(
        SkillArea,
        verbose_name=_("skill areas actually taught"),
        blank=True,
        related_name="taught_at",
    )
    co_sponsors = models.ManyToManyField(
        Organization, verbose_name=_("co-sponsors"), blank=True, related_name="co_sponsored_events"
    )
    venue_confirmed = models.BooleanField(_("venue confirmed"), default=False)
    wifi = models.BooleanField(_("wifi"), default=False)
    projector = models.BooleanField(_("projector"), default=False)
    trainers_asked = models.BooleanField(_("trainers asked"), default=False)
    local_outreach = models.BooleanField(_("local outreach"), default=False)
    coordinator_message = models.TextField(_("message from the coordinator"), blank=True)
    reminder_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["starts_at", "window_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=False)
                | (Q(window_start__isnull=False) & Q(window_end__isnull=False)),
                name="event_has_date_or_window",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
        ]

    def __str__(self):
        return self.title

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def is_published(self) -> bool:
        return self.state in self.PUBLISHED_STATES

    @property
    def is_closed(self) -> bool:
        """Completed more than CLOSED_AFTER ago: attendance and areas taught are settled."""
        return (
            self.state == self.State.COMPLETED
            and self.completed_at is not None
            and self.completed_at + CLOSED_AFTER < timezone.now()
        )

    @property
    def seats_left(self) -> int:
        """Needs the `seats_taken` annotation (selectors.with_counts)."""
        return max(0, self.capacity - getattr(self, "seats_taken", 0))

    @property
    def readiness(self) -> list[tuple[str, bool]]:
        return [
            (str(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in ("venue_confirmed", "wifi", "projector", "trainers_asked", "local_outreach")
        ]


class Registration(TimeStampedModel):
    class Status(models.TextChoices):
        REGISTERED = "registered", pgettext_lazy("registration status", "Registered")
        WAITLISTED = "waitlisted", _("On the waitlist")
        OFFERED = "offered", _("Offered a seat")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")
        WALK_IN = "walk-in", _("Walk-in")
        HOST = "host", _("Added by host")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="registrations",
        null=True,
        blank=True,
    )
    guest_name = models.CharField(_("guest name"), max_length=150, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, db_index=True)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.WEB)
    # Where the sign-up came from, in Action Network's referrer_data shape: "source" (?source=),
    # "referrer" (a share link's owner), "website", and the utm_* parameters.
    referrer_data = models.JSONField(_("where the sign-up came from"), default=dict, blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    # The plain token of the one-click link this instance was reached by or just issued
    # (events.tokens.registration_link_issue); never stored, only its hash is (RegistrationLink).
    token = ""

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(person__isnull=False),
                name="one_registration_per_person",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(guest_name=""),
                name="registration_has_person_or_guest",
            ),
        ]
        # No (event, status) index here: goals' migration 0004 indexes (event, status,
        # checked_in_at), whose leading columns serve the same lookups.

    def __str__(self):
        return f"{self.display_name} @ {self.event}"

    @property
    def shows_person(self) -> bool:
        """Whether the hosts may see the account behind this registration (its name, its
        organization). A host who adds someone by email types a name; if the address already
        had an account, the hosts see the name they typed, not the account's, until that person
        confirms the registration themselves: typing an address must not reveal who owns it."""
        return bool(self.person_id) and (not self.guest_name or self.confirmed_at is not None)

    @property
    def display_name(self) -> str:
        return self.person.name if self.shows_person else self.guest_name

    @property
    def holds_seat(self) -> bool:
        return self.status in {self.Status.REGISTERED, self.Status.OFFERED}


class RegistrationLink(models.Model):
    """A one-click link to manage a registration, as mailed to the person. Each mail carries its
    own; only the token's hash is kept. A link works until a week after the training ends (it
    is of no use after, and old mailboxes leak), or 30 days for a training with no date yet."""

    DAYS_AFTER_TRAINING = 7
    DAYS_UNDATED = 30

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.registration}: link of {self.created_at:%Y-%m-%d}"

    @property
    def valid_until(self) -> dt.datetime:
        """Follows the training: a rescheduled training moves the end of its links too."""
        event = self.registration.event
        if event.starts_at:
            ends = event.ends_at or event.starts_at + dt.timedelta(minutes=event.duration_minutes)
            return ends + dt.timedelta(days=self.DAYS_AFTER_TRAINING)
        return self.created_at + dt.timedelta(days=self.DAYS_UNDATED)

    def is_valid(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) <= self.valid_until


class CalendarFeed(models.Model):
    """A private URL that serves one person's registrations as iCalendar. Only the token's hash
    is kept: the URL is shown once, when made; making a new one retires the old URL."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("made"), default=timezone.now)

    def __str__(self):
        return f"{self.person}: calendar feed"


class TrainerAssignment(TimeStampedModel):
    """An expert asked to train at an event; they accept or decline."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="trainer_assignments")
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainer_assignments"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.REQUESTED)
    responded_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "trainer"], name="one_assignment_per_trainer")
        ]


class Question(TimeStampedModel):
    """A question a training's hosts ask everyone who registers (access needs, what problem they
    bring...). Answers are sensitive: only the training's hosts and coordinators read them."""

    class Kind(models.TextChoices):
        SHORT = "short", _("Short text")
        LONG = "long", _("Long text")
        ONE = "one", _("One choice")
        SEVERAL = "several", _("Several choices")
        YES_NO = "yes-no", _("Yes or no")

    # The common questions, one click away for hosts (events/questions.py has their wording);
    # answers to the access ones are counted for the host ("3 need ASL interpretation").
    class Common(models.TextChoices):
        NONE = "", _("Your own question")
        ACCESS = "access", _("Access needs")
        INTERPRETATION = "interpretation", _("Interpretation")
        CHILDCARE = "childcare", _("Childcare")
        DIETARY = "dietary", _("Dietary needs")
        PROBLEM = "problem", _("What problem are you bringing?")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help"), max_length=300, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    common = models.CharField(max_length=20, choices=Common, default=Common.NONE, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label


class Answer(models.Model):
    """One registrant's answer to one question: a text, a list of choices, or yes/no."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(default=str)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "question"], name="one_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.question}: {self.text}"

    @property
    def text(self) -> str:
        """The answer as one line (CSV, pages)."""
        if isinstance(self.value, bool):
            return str(_("Yes") if self.value else _("No"))
        if isinstance(self.value, list):
            return "; ".join(str(v) for v in self.value)
        return str(self.value or "")


class PendingSignup(models.Model):
    """A sign-up from the training's page by someone not signed in, waiting for them to open
    the link mailed to the address given. It holds no seat and no hosts see it: a seat is taken
    (or a place on the waitlist) only when the mailbox's owner confirms, so nobody can take
    seats for addresses they don't own, and the seat count never tells whether an address was
    new. Only the link's hash is kept; one row per training and address."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="pending_signups")
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=150)
    answers = models.JSONField(default=dict, blank=True)
    referrer_data = models.JSONField(default=dict, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="one_pending_signup_per_email")
        ]

    def __str__(self):
        # No address: this label goes into the audit log, and the address's owner never agreed.
        return f"{self.event}: sign-up waiting for its mailed link"

    def is_valid(self, now: dt.datetime | None = None) -> bool:
        """As long as a mailed registration link would be (RegistrationLink.valid_until)."""
        event = self.event
        now = now or timezone.now()
        if event.starts_at:
            ends = event.ends_at or event.starts_at + dt.timedelta(minutes=event.duration_minutes)
            return now <= ends + dt.timedelta(days=RegistrationLink.DAYS_AFTER_TRAINING)
        return now <= self.created_at + dt.timedelta(days=RegistrationLink.DAYS_UNDATED)


class ShareLink(TimeStampedModel):
    """A link to a training's page that a host hands to one host, partner organization or
    person, so that the sign-ups it brings are counted for them (`referrer` in referrer_data)."""

    class Kind(models.TextChoices):
        HOST = "host", _("A host")
        ORGANIZATION = "organization", _("A partner organization")
        PERSON = "person", _("A person")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="share_links")
    kind = models.CharField(_("for"), max_length=12, choices=Kind)
    label = models.CharField(_("name"), max_length=120)
    code = models.SlugField(max_length=40, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.label} ({self.code})"
