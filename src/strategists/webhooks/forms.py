"""The endpoint form: where deliveries go, which events, and the secret that signs them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from strategists.webhooks.models import EventType


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("URL"),
        max_length=500,
        help_text=_("Where we POST each delivery. It must start with https://."),
        widget=forms.URLInput(attrs={"autocomplete": "off"}),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label=_("Events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    secret = forms.CharField(
        label=_("Secret"),
        max_length=200,
        required=False,
        help_text=_(
            "Leave empty and we generate one, shown to you once. "
            "Deliveries are signed with it (see the README, “Webhooks”)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class EndpointEditForm(EndpointForm):
    new_secret = forms.BooleanField(
        label=_("Generate a new secret (the old one stops working at once)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secret"].help_text = _(
            "Leave empty to keep the current secret, or give a new one."
        )
