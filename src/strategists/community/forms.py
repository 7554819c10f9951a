"""What people type into the community pages: registry search, listings, circles, mentoring."""

from django import forms
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext_lazy as _

from strategists.accounts.models import Language, Organization, Region, SkillArea, User
from strategists.community.models import BODY_MAX, Circle, Opportunity
from strategists.referrals.models import Resource


class RegistrySearchForm(forms.Form):
    area = forms.ModelChoiceField(
        SkillArea.objects.order_by("position"),
        required=False,
        label=_("Area"),
        empty_label=_("Any area"),
    )
    region = forms.ModelChoiceField(
        Region.objects.all(), required=False, label=_("Region"), empty_label=_("Any region")
    )
    language = forms.ModelChoiceField(
        Language.objects.all(), required=False, label=_("Language"), empty_label=_("Any language")
    )


class ListingForm(forms.Form):
    listed = forms.BooleanField(
        label=_("List me in the public registry of strategists"), required=False
    )
    ask_me_about = forms.CharField(
        label=_("Ask me about"),
        max_length=300,
        required=False,
        help_text=_("A line people see next to your name, e.g. 'union websites, texting'."),
    )


class CircleForm(forms.ModelForm):
    class Meta:
        model = Circle
        fields = ["name", "slug", "kind", "description", "members_only"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug == "new":  # /circles/new/ is the page that makes circles
            raise forms.ValidationError(_("Choose another short name."))
        return slug


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    resource = forms.CharField(
        label=_("About a directory resource (optional)"),
        max_length=20,
        required=False,
        help_text=_("Its id from the directory, e.g. R012."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown works. Mention someone with @[Their Name]: they get an email."),
    )

    def clean_resource(self):
        public_id = self.cleaned_data["resource"].strip().upper()
        if not public_id:
            return None
        resource = Resource.objects.filter(
            public_id=public_id, status=Resource.Status.APPROVED
        ).first()
        if resource is None:
            raise forms.ValidationError(_("No listed resource has this id."))
        return resource


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown works. Mention someone with @[Their Name]: they get an email."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ModeratorForm(forms.Form):
    user = forms.ModelChoiceField(User.objects.none(), label=_("Member"))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = members


class MentorRequestForm(forms.Form):
    areas = forms.ModelMultipleChoiceField(
        SkillArea.objects.order_by("position"),
        label=_("Areas I want help with"),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("What I am working on"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MentorOfferForm(forms.Form):
    areas = forms.ModelMultipleChoiceField(
        SkillArea.objects.order_by("position"),
        label=_("Areas I can mentor in"),
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(
        label=_("People I can mentor at once"), min_value=1, max_value=10, initial=2
    )
    active = forms.BooleanField(label=_("Open to new mentees"), required=False, initial=True)
    note = forms.CharField(label=_("A word for mentees"), max_length=500, required=False)


class RespondForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class OpportunitySearchForm(forms.Form):
    mine = forms.BooleanField(label=_("Matching my areas"), required=False)
    area = forms.ModelChoiceField(
        SkillArea.objects.order_by("position"),
        required=False,
        label=_("Area"),
        empty_label=_("Any area"),
    )
    region = forms.ModelChoiceField(
        Region.objects.all(), required=False, label=_("Region"), empty_label=_("Any region")
    )
    kind = forms.ChoiceField(
        choices=[("", _("Any kind")), *Opportunity.Kind.choices], required=False, label=_("Kind")
    )
    remote = forms.BooleanField(label=_("Remote only"), required=False)


class OpportunityForm(forms.Form):
    organization = forms.ModelChoiceField(Organization.objects.none(), label=_("Organization"))
    kind = forms.ChoiceField(choices=Opportunity.Kind.choices, label=_("Kind"))
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    areas = forms.ModelMultipleChoiceField(
        SkillArea.objects.order_by("position"),
        label=_("Areas"),
        widget=forms.CheckboxSelectMultiple,
    )
    region = forms.ModelChoiceField(Region.objects.all(), required=False, label=_("Region"))
    remote = forms.BooleanField(label=_("Remote is fine"), required=False)
    pay_min = forms.IntegerField(
        label=_("Pay from"),
        min_value=0,
        max_value=10_000_000,
        required=False,
        help_text=_("Required for paid work."),
    )
    pay_max = forms.IntegerField(
        label=_("Pay up to"), min_value=0, max_value=10_000_000, required=False
    )
    pay_period = forms.ChoiceField(
        choices=[("", "—"), *Opportunity.PayPeriod.choices], required=False, label=_("Pay period")
    )
    how_to_apply = forms.CharField(
        label=_("How to apply (a link or an email address)"), max_length=300
    )
    expires_on = forms.DateField(
        label=_("Open until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    def clean_how_to_apply(self):
        value = self.cleaned_data["how_to_apply"].strip()
        try:
            (
                EmailValidator()
                if "@" in value and "/" not in value
                else URLValidator(schemes=["http", "https"])
            )(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Give a web address (https://...) or an email address.")
            ) from None
        return value
