"""Forms of the role flows: expert applications, host requests, and coordinators' grants."""

from django import forms
from django.utils.translation import gettext_lazy as _

from strategists.accounts.forms import OrganizationField
from strategists.accounts.models import RoleGrant, User


class ExpertApplicationForm(forms.Form):
    experience = forms.CharField(
        label=_("Your experience"),
        max_length=4000,
        help_text=_("What you have built, run or taught, and for whom."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    references = forms.CharField(
        label=_("References"),
        max_length=2000,
        help_text=_("Two people who know your work, with a way to reach them."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    organization = OrganizationField(
        label=_("Organization you work or volunteer with"),
        required=False,
        help_text=_("Coordinators confirm it; you won't review its members' evidence."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the person"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("message", "").strip():
            self.add_error("message", _("Say why, so the person knows what to do next."))
        return cleaned


class HostRequestForm(forms.Form):
    organization = OrganizationField(label=_("Organization"))
    message = forms.CharField(
        label=_("Why you will host"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your position there, and the training you have in mind."),
    )


class RoleGrantForm(forms.Form):
    email = forms.EmailField(label=_("Person's email address"))
    role = forms.ChoiceField(label=_("Role"), choices=RoleGrant.Kind.choices)
    organization = OrganizationField(
        label=_("Organization"),
        required=False,
        help_text=_("Only for the host role."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        person = User.objects.filter(email=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError(
                _("Nobody has an account with this address."), code="unknown"
            )
        return person

    def clean(self):
        cleaned = super().clean()
        role, organization = cleaned.get("role"), cleaned.get("organization")
        if role == RoleGrant.Kind.HOST and organization is None:
            self.add_error("organization", _("Name the organization the person will host for."))
        if role and role != RoleGrant.Kind.HOST and organization is not None:
            self.add_error("organization", _("Only the host role is held for an organization."))
        person = cleaned.get("email")
        if (
            role == RoleGrant.Kind.EXPERT
            and person is not None
            and not hasattr(person, "expert_profile")
        ):
            self.add_error(
                "role", _("Experts are approved from their application, which holds their profile.")
            )
        return cleaned


class RoleChangeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
