"""What people type about themselves: sign-up, sign-in, profile, organization, deletion."""

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.utils.translation import gettext_lazy as _

from strategists.accounts.constants import Role
from strategists.accounts.models import ExpertProfile, Language, Organization, SkillArea, User
from strategists.accounts.selectors import city_from_label
from strategists.common import ratelimits


class CityField(forms.CharField):
    """A city typed as 'Detroit, MI', resolved against the gazetteer."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault(
            "help_text", _("A US or Canadian city, like “Detroit, MI” or “Montréal, QC”.")
        )
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "list": "city-options",
                "autocomplete": "off",
                "hx-get": "/accounts/cities/",
                "hx-trigger": "keyup changed delay:300ms",
                "hx-target": "#city-options",
                "hx-swap": "innerHTML",
            }
        )

    def prepare_value(self, value):
        if hasattr(value, "subdivision_id"):
            return str(value)
        return value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        city = city_from_label(value)
        if city is None:
            raise forms.ValidationError(
                _(
                    "We don't know the city “%(city)s”. Type a US or Canadian city, like “Detroit, MI”."
                ),
                code="unknown_city",
                params={"city": value},
            )
        return city


class OrganizationField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return Organization.objects.filter(pk=value).values_list("name", flat=True).first()
        return str(value) if value else value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        organization = Organization.objects.filter(name__iexact=value.strip()).first()
        if organization is None:
            raise forms.ValidationError(
                _(
                    "No organization named “%(name)s” yet. Check the spelling, or leave it empty and ask a coordinator to add it."
                ),
                code="unknown_organization",
                params={"name": value},
            )
        return organization


class SignupForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput,
        max_length=128,
        help_text=password_validation.password_validators_help_text_html,
    )
    city = CityField(label=_("City"), required=False)
    preferred_language = forms.ChoiceField(
        label=_("Language for messages"), choices=User._meta.get_field("preferred_language").choices
    )

    def clean_email(self):
        # An address that has an account is not refused here: that would tell anyone which
        # addresses have accounts. The service mails the owner instead (user_signup).
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password"):
            candidate = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(cleaned["password"], candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        email, password = cleaned.get("email"), cleaned.get("password")
        if not email or not password:
            return cleaned
        # Failures are limited by IP and by IP + address (RATELIMITS["login"]), never by the
        # address alone: guesses from elsewhere can't lock the real owner out.
        ratelimits.check(self.request, "login", count=False)
        user = authenticate(self.request, email=email.lower(), password=password)
        if user is None:
            ratelimits.check(self.request, "login")
            raise forms.ValidationError(
                _("That email and password don't match."), code="invalid_login"
            )
        if not user.is_verified:
            raise forms.ValidationError(
                _("Please confirm your email address first: we sent you a link."), code="unverified"
            )
        self.user = user
        return cleaned


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    pronouns = forms.CharField(label=_("Pronouns"), max_length=40, required=False)
    city = CityField(label=_("City"), required=False)
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages"),
        queryset=Language.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for messages"), choices=User._meta.get_field("preferred_language").choices
    )
    organization = OrganizationField(label=_("Organization"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *Role.choices], required=False)


class ExpertProfileForm(forms.Form):
    skill_areas = forms.ModelMultipleChoiceField(
        label=_("Skill areas"),
        queryset=SkillArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    home_city = CityField(label=_("Home city"))
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages you can train in"),
        queryset=Language.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.ChoiceField(
        label=_("When available"), choices=ExpertProfile.Availability.choices
    )
    available_from = forms.DateField(
        label=_("Available from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    available_until = forms.DateField(
        label=_("Available until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    max_trainings_per_year = forms.IntegerField(
        label=_("Trainings a year at most"), min_value=0, max_value=52, initial=4
    )
    answers_questions = forms.BooleanField(
        label=_("I'm willing to answer questions"), required=False, initial=True
    )
    mentors = forms.BooleanField(label=_("I'm willing to mentor"), required=False)
    bio = forms.CharField(
        label=_("What I can help with"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("available_from"), cleaned.get("available_until")
        if start and end and end < start:
            self.add_error(
                "available_until", _("The end of your availability is before its start.")
            )
        return cleaned


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=Organization._meta.get_field("type").choices)
    parent = forms.ModelChoiceField(
        label=_("Parent organization"), queryset=Organization.objects.all(), required=False
    )
    city = CityField(label=_("City"), required=False)
    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", max_length=200
    )
    host_emails = forms.CharField(
        label=_("Hosts (emails, one per line)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "People who may set dates and run trainings for this organization. They need an account."
        ),
    )

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["parent"].queryset = Organization.objects.exclude(pk=instance.pk)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        duplicates = Organization.objects.filter(name__iexact=name)
        if self.instance is not None:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise forms.ValidationError(
                _("An organization with this name already exists."), code="duplicate"
            )
        return name

    def clean_host_emails(self):
        emails = [
            line.strip().lower()
            for line in self.cleaned_data["host_emails"].splitlines()
            if line.strip()
        ]
        people = {person.email: person for person in User.objects.filter(email__in=emails)}
        unknown = [email for email in emails if email not in people]
        if unknown:
            raise forms.ValidationError(
                _("No account for: %(emails)s. Ask them to sign up first."),
                code="unknown_hosts",
                params={"emails": ", ".join(unknown)},
            )
        return list(people.values())


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class AccountDeleteForm(forms.Form):
    KEEP, REVOKE = "keep", "revoke"

    credentials = forms.ChoiceField(
        label=_("Your credentials"),
        widget=forms.RadioSelect,
        choices=[
            (KEEP, _("Keep them valid: copies I saved or shared go on verifying.")),
            (REVOKE, _("Revoke them: verifiers will see they are no longer valid.")),
        ],
    )
    confirm_email = forms.CharField(
        label=_("Type your email address to confirm"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_confirm_email(self):
        typed = self.cleaned_data["confirm_email"].strip().lower()
        if typed != self.user.email.lower():
            raise forms.ValidationError(
                _("That is not the email address of your account."), code="mismatch"
            )
        return typed

    @property
    def keep_credentials(self) -> bool:
        return self.cleaned_data["credentials"] == self.KEEP
