"""The audit log's filters (who, what action, which object, which days), checked before use."""

from django import forms
from django.utils.translation import gettext_lazy as _

# A person's id is a 64-bit integer; a longer run of digits can't be one (and would overflow).
MAX_ID_DIGITS = 18


class AuditFilterForm(forms.Form):
    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=254,
        help_text=_("Who did it: their email address or id."),
    )
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=60,
        help_text=_("Like events.event or accounts.organization."),
    )
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=60,
        help_text=_("The start of an action, like role. or event.approved."),
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_person(self) -> str:
        value = self.cleaned_data["person"].strip()
        if (
            not value
            or "@" in value
            or (value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS)
        ):
            return value.lower()
        raise forms.ValidationError(
            _("Enter the person's email address or their id (a number)."), code="person"
        )

    def clean_object_type(self) -> str:
        return self.cleaned_data["object_type"].strip().lower()

    def clean_object_id(self) -> str:
        return self.cleaned_data["object_id"].strip()

    def clean_action(self) -> str:
        return self.cleaned_data["action"].strip()

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error(
                "until", forms.ValidationError(_("The end comes before the start."), code="range")
            )
        return cleaned

    def filters(self) -> dict:
        """The keyword arguments of `selectors.audit_entries` (call after `is_valid()`)."""
        data = self.cleaned_data
        person = data["person"]
        return {
            "actor_id": int(person) if person.isdigit() else None,
            "actor_email": person if "@" in person else "",
            "object_type": data["object_type"],
            "object_id": data["object_id"],
            "action": data["action"],
            "since": data["since"],
            "until": data["until"],
        }

    def error_text(self) -> str:
        return " ".join(
            f"{self.fields[name].label}: {' '.join(errors)}"
            if name in self.fields
            else " ".join(errors)
            for name, errors in self.errors.items()
        )
