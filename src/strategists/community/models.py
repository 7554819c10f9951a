"""The community: the public registry of strategists, circles, mentoring and opportunities."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from strategists.common.models import TimeStampedModel


class RegistryListing(TimeStampedModel):
    """A certified person's consent to be listed in the public registry. Listed only while
    `listed` is on *and* their certification is current (checked on every query)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registry_listing"
    )
    listed = models.BooleanField(_("list me in the public registry"), default=False)
    ask_me_about = models.CharField(_("ask me about"), max_length=300, blank=True)
    listed_at = models.DateTimeField(_("listed since"), null=True, blank=True)

    def __str__(self):
        return f"{self.user}: {_('listed') if self.listed else _('not listed')}"


# --- circles --------------------------------------------------------------------------------------

BODY_MAX = 20_000


class Circle(TimeStampedModel):
    """A sub-community people join: by role, region, constituency or topic."""

    class Kind(models.TextChoices):
        ROLE = "role", _("Role")
        REGION = "region", _("Region")
        CONSTITUENCY = "constituency", _("Constituency")
        TOPIC = "topic", _("Topic")

    slug = models.SlugField(_("short name for the address"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.TOPIC)
    description = models.TextField(_("what it is for"), max_length=2000, blank=True)
    members_only = models.BooleanField(
        _("members only"),
        default=False,
        help_text=_("Only its members read its threads; joining waits for a moderator's approval."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class Membership(TimeStampedModel):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        ACTIVE = "active", _("Member")

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_memberships"
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.ACTIVE)
    digest_sent_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        ordering = ["circle", "user"]
        constraints = [
            models.UniqueConstraint(fields=["circle", "user"], name="one_membership_per_circle")
        ]

    def __str__(self):
        return f"{self.user} · {self.circle}"


class CircleModerator(TimeStampedModel):
    """A granted role: a coordinator made this person a moderator of this circle."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="moderators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="circle_moderations",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["circle", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "user"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_moderator_grant",
            )
        ]

    def __str__(self):
        return f"{self.user}: {_('moderator')} · {self.circle}"


class Post(TimeStampedModel):
    """What threads and replies share: an author, a Markdown body kept with its sanitized HTML,
    and moderation."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("text"), max_length=BODY_MAX)
    body_html = models.TextField(blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Thread(Post):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=200)
    last_activity_at = models.DateTimeField(db_index=True)
    # A thread may discuss a resource of the directory; the resource's page links to it.
    resource = models.ForeignKey(
        "referrals.Resource",
        verbose_name=_("about the directory resource"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-last_activity_at", "-pk"]

    def __str__(self):
        return self.title


class Reply(Post):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = _("replies")

    def __str__(self):
        return f"{_('Reply')} · {self.thread}"


class Report(TimeStampedModel):
    """Someone flagged a thread or a reply for the circle's moderators."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reports")
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("what is wrong"), max_length=500)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{_('Report')} · {self.reply or self.thread}"


# --- mentoring ------------------------------------------------------------------------------------


class MentorOffer(TimeStampedModel):
    """A certified strategist or an expert offers to mentor, in some areas, up to a capacity."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_offer"
    )
    areas = models.ManyToManyField("accounts.SkillArea", verbose_name=_("areas I can mentor in"))
    capacity = models.PositiveSmallIntegerField(
        _("people I can mentor at once"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    active = models.BooleanField(_("open to new mentees"), default=True)
    note = models.CharField(_("a word for mentees"), max_length=500, blank=True)

    def __str__(self):
        return f"{self.user}: {_('mentor')}"


class MentorRequest(TimeStampedModel):
    class State(models.TextChoices):
        OPEN = "open", _("Waiting for a mentor")
        MATCHED = "matched", _("Matched")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_requests"
    )
    areas = models.ManyToManyField("accounts.SkillArea", verbose_name=_("areas I want help with"))
    note = models.CharField(_("what I am working on"), max_length=1000, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State, default=State.OPEN, db_index=True
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state__in=["open", "matched"]),
                name="one_live_mentor_request",
            )
        ]

    def __str__(self):
        return f"{self.user}: {_('mentor request')}"


class Mentorship(TimeStampedModel):
    """A proposed pair; active once both accepted; check-ins mailed at 30 and 90 days."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        ENDED = "ended", _("Ended")

    request = models.ForeignKey(MentorRequest, on_delete=models.CASCADE, related_name="mentorships")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_given"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_received"
    )
    areas = models.ManyToManyField("accounts.SkillArea", verbose_name=_("areas"))
    state = models.CharField(
        _("state"), max_length=10, choices=State, default=State.PROPOSED, db_index=True
    )
    mentor_accepted_at = models.DateTimeField(null=True, blank=True)
    mentee_accepted_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    checkin_30_sent_at = models.DateTimeField(null=True, blank=True)
    checkin_90_sent_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.mentor} → {self.mentee}"


# --- opportunities --------------------------------------------------------------------------------


class Opportunity(TimeStampedModel):
    """A job, internship, contract or volunteer ask an organization's host posted. Paid work
    states its pay range; every post expires."""

    class Kind(models.TextChoices):
        JOB = "job", _("Job")
        INTERNSHIP = "internship", _("Internship")
        CONTRACT = "contract", _("Contract")
        VOLUNTEER = "volunteer", _("Volunteer")

    class PayPeriod(models.TextChoices):
        HOUR = "hour", _("per hour")
        YEAR = "year", _("per year")
        PROJECT = "project", _("for the project")

    class State(models.TextChoices):
        PUBLISHED = "published", _("Published")
        REMOVED = "removed", _("Removed")

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="opportunities",
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    areas = models.ManyToManyField("accounts.SkillArea", verbose_name=_("areas"))
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    remote = models.BooleanField(_("remote is fine"), default=False)
    pay_min = models.PositiveIntegerField(_("pay from (USD or CAD)"), null=True, blank=True)
    pay_max = models.PositiveIntegerField(_("pay up to"), null=True, blank=True)
    pay_period = models.CharField(_("pay period"), max_length=10, choices=PayPeriod, blank=True)
    how_to_apply = models.CharField(_("how to apply (a link or an email address)"), max_length=300)
    expires_on = models.DateField(_("open until"))
    state = models.CharField(
        _("state"), max_length=10, choices=State, default=State.PUBLISHED, db_index=True
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_reason = models.CharField(_("reason for removing"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = _("opportunities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="volunteer")
                | models.Q(
                    pay_min__isnull=False, pay_max__isnull=False, pay_max__gte=models.F("pay_min")
                ),
                name="paid_opportunity_has_pay_range",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_paid(self) -> bool:
        return self.kind != self.Kind.VOLUNTEER
