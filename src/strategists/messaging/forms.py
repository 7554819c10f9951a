"""The composer, the mail preferences and the mobile number form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from strategists.messaging.models import Category
from strategists.messaging.phones import normalize_phone


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text; links become clickable. Each person gets it in its own mail."),
    )


class PreferencesForm(forms.Form):
    wanted = forms.MultipleChoiceField(
        label=_("Mail I want"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Mail about your own registrations, waitlist offers, reminders and your account "
            "always comes."
        ),
    )


class PhoneForm(forms.Form):
    phone_number = forms.CharField(
        label=_("Mobile phone number"),
        max_length=32,
        help_text=_(
            "With the country code for numbers outside the US and Canada, e.g. +33 6 12 34 56 78."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree to get text messages from 1000 Strategists: the day-before reminder and "
            "waitlist offers for trainings I registered for. Reply STOP to stop."
        ),
        error_messages={"required": _("Tick the box to agree to text messages.")},
    )

    def clean_phone_number(self):
        number = normalize_phone(self.cleaned_data["phone_number"])
        if number is None:
            raise forms.ValidationError(
                _("Enter a mobile number such as 555 555 0123 or +1 555 555 0123.")
            )
        return number
