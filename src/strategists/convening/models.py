"""A conference (the convening): days, rooms, tracks mapped to skill areas, sessions; its call for
proposals with blind reviews; reviewers granted per conference. Shapes follow pretalx
(Submission, Review, TalkSlot), kept to what the program needs."""

import datetime as dt
import secrets
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from strategists.accounts.models import City, Language, Organization, SkillArea


def new_checkin_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


class Format(models.TextChoices):
    TALK = "talk", _("Talk")
    WORKSHOP = "workshop", _("Workshop")
    PANEL = "panel", _("Panel")
    LAB = "lab", _("Hands-on lab")
    UNCONFERENCE = "unconference", _("Unconference slot")


class Level(models.TextChoices):
    NEWCOMER = "newcomer", _("Newcomer")
    PRACTITIONER = "practitioner", _("Practitioner")
    VETERAN = "veteran", _("Veteran")


class Conference(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64)
    starts_on = models.DateField(_("first day"))
    days = models.PositiveSmallIntegerField(_("number of days"), default=1)
    cfp_closes_at = models.DateTimeField(_("proposals close"), null=True, blank=True)
    schedule_published_at = models.DateTimeField(_("schedule published"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), default=1000)
    # Each ticket type's own share of the seats, within the total; empty: only the total limits.
    member_capacity = models.PositiveIntegerField(_("member seats"), null=True, blank=True)
    student_capacity = models.PositiveIntegerField(_("student seats"), null=True, blank=True)
    scholarship_capacity = models.PositiveIntegerField(
        _("scholarship seats"), null=True, blank=True
    )

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1), name="conference_days_positive"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{ticket}_capacity__isnull": True})
                    | Q(**{f"{ticket}_capacity__lte": models.F("capacity")}),
                    name=f"conference_{ticket}_capacity_within_total",
                )
                for ticket in ("member", "student", "scholarship")
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def day_list(self) -> list[dt.date]:
        return [self.starts_on + dt.timedelta(days=n) for n in range(self.days)]

    @property
    def ends_on(self) -> dt.date:
        return self.day_list[-1]

    def cfp_open(self, now: dt.datetime | None = None) -> bool:
        return self.cfp_closes_at is None or (now or timezone.now()) < self.cfp_closes_at


class Room(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity"), default=50)
    accessibility_notes = models.CharField(_("accessibility notes"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "name"], name="room_unique_name")
        ]

    def __str__(self):
        return self.name


class Track(models.Model):
    """A track is one skill area of the competency framework at this conference."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="tracks")
    skill_area = models.ForeignKey(
        SkillArea, verbose_name=_("skill area"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "skill_area"], name="track_unique_area")
        ]

    def __str__(self):
        return self.name


class TimeSlot(models.Model):
    """One row of the schedule grid: a stretch of time every room shares."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Session(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    abstract = models.TextField(_("abstract"), max_length=3000)
    format = models.CharField(_("format"), max_length=16, choices=Format, default=Format.TALK)
    level = models.CharField(_("level"), max_length=16, choices=Level, default=Level.PRACTITIONER)
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages"), blank=True, related_name="+"
    )
    accessibility_notes = models.TextField(_("accessibility notes"), max_length=1000, blank=True)
    track = models.ForeignKey(
        Track, verbose_name=_("track"), on_delete=models.PROTECT, related_name="sessions"
    )
    speakers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("speakers"),
        blank=True,
        related_name="conference_sessions",
    )
    duration_minutes = models.PositiveIntegerField(_("length (minutes)"), default=45)
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State, default=State.DRAFT, db_index=True
    )
    # Shown in the room (on the speaker's screen); attendees type it on their phone to check in.
    checkin_code = models.CharField(_("check-in code"), max_length=12, default=new_checkin_code)

    class Meta:
        ordering = ["starts_at", "room__position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(room__isnull=True) & Q(starts_at__isnull=True) & Q(ends_at__isnull=True)
                )
                | (
                    Q(room__isnull=False)
                    & Q(starts_at__isnull=False)
                    & Q(ends_at__gt=models.F("starts_at"))
                ),
                name="session_placed_whole",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_placed(self) -> bool:
        return self.room_id is not None


class ConferenceReviewer(models.Model):
    """A reviewer role for one conference, granted by a coordinator (never claimed)."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="conference_reviews_granted",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "user"], name="reviewer_unique")
        ]

    def __str__(self):
        return f"{self.user} ({self.conference})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Proposal(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CONFIRMED = "confirmed", _("Confirmed by the speakers")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="proposals")
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposer"),
        on_delete=models.CASCADE,
        related_name="conference_proposals",
    )
    title = models.CharField(_("title"), max_length=200)
    abstract = models.TextField(_("abstract"), max_length=3000)
    format = models.CharField(_("format"), max_length=16, choices=Format, default=Format.TALK)
    level = models.CharField(_("level"), max_length=16, choices=Level, default=Level.PRACTITIONER)
    track = models.ForeignKey(
        Track, verbose_name=_("track"), on_delete=models.PROTECT, related_name="proposals"
    )
    duration_minutes = models.PositiveIntegerField(_("length (minutes)"), default=45)
    outcomes = models.TextField(_("what attendees will be able to do afterwards"), max_length=2000)
    state = models.CharField(
        _("state"), max_length=12, choices=State, default=State.SUBMITTED, db_index=True
    )
    message = models.TextField(_("message from the coordinators"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    session = models.OneToOneField(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return self.title


class SpeakerInvitation(models.Model):
    """A co-speaker asked by email; they accept with the link mailed to them."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "email"], name="invitation_unique_email")
        ]

    def __str__(self):
        return self.email


class Review(models.Model):
    """One reviewer's scores on the rubric, out of 5 each."""

    RUBRIC = ("relevance", "clarity", "practice")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conference_reviews"
    )
    relevance = models.PositiveSmallIntegerField(_("relevance to the movement's skills"))
    clarity = models.PositiveSmallIntegerField(_("clarity of the outcomes"))
    practice = models.PositiveSmallIntegerField(_("hands-on practice"))
    total = models.PositiveSmallIntegerField(default=0)
    comment = models.TextField(_("comment for the coordinators"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="review_unique"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"review_{name}_1_to_5",
                )
                for name in ("relevance", "clarity", "practice")
            ],
        ]

    def __str__(self):
        return f"{self.proposal}: {self.total}"


class ScheduleEntry(models.Model):
    """A session someone added to "my schedule"; they hear about changes to it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conference_schedule"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="followers")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "session"], name="schedule_entry_unique")
        ]

    def __str__(self):
        return f"{self.person}: {self.session}"


class ScheduleFeed(models.Model):
    """A private URL serving one person's schedule at one conference as iCalendar. Only the
    token's hash is kept (as trainings' feeds): the URL is shown once; a new one retires it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conference_feeds"
    )
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("made"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "conference"], name="schedule_feed_unique")
        ]

    def __str__(self):
        return f"{self.person}: {self.conference}"


class Delegation(models.Model):
    """A block of seats an organization reserves at once; it names its people later."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="delegations")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="conference_delegations",
    )
    seats = models.PositiveIntegerField(_("seats"))
    # The block's seats count against this ticket type's share (scholarships are asked one by one).
    ticket = models.CharField(
        _("ticket"),
        max_length=12,
        choices=[("member", _("Member")), ("student", _("Student"))],
        default="member",
    )
    reserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "organization"], name="delegation_unique_organization"
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="delegation_seats_positive"),
        ]

    def __str__(self):
        return f"{self.organization} ({self.seats})"


class Registration(models.Model):
    """A seat at the conference: one's own, or one of a delegation's block."""

    class Ticket(models.TextChoices):
        MEMBER = "member", _("Member")
        STUDENT = "student", _("Student")
        SCHOLARSHIP = "scholarship", _("Scholarship")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        REQUESTED = "requested", _("Scholarship requested")
        DECLINED = "declined", _("Scholarship declined")
        WAITLISTED = "waitlisted", _("On the waitlist")

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="registrations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conference_registrations"
    )
    ticket = models.CharField(_("ticket"), max_length=12, choices=Ticket, default=Ticket.MEMBER)
    delegation = models.ForeignKey(
        Delegation, null=True, blank=True, on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.CONFIRMED, db_index=True
    )
    # A scholarship request says why; the coordinators answer with a message.
    note = models.TextField(_("why a scholarship would help"), max_length=2000, blank=True)
    message = models.TextField(_("message from the coordinators"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "person"], name="conference_registration_unique"
            )
        ]

    def __str__(self):
        return f"{self.person} @ {self.conference}"


class Attendance(models.Model):
    """Someone checked in at a session; it gave them L1 evidence in the track's skill area."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_attendance"
    )
    checked_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["checked_in_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_unique")
        ]

    def __str__(self):
        return f"{self.person} @ {self.session}"
