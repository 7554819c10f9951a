"""The upload form: which format, which training, whether new people get a claim link."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from strategists.events.models import Event
from strategists.imports import formats, selectors

# Files up to this size stay in memory (FILE_UPLOAD_MAX_MEMORY_SIZE): never written to disk.
MAX_BYTES = 5 * 1024 * 1024


class TrainingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Event) -> str:
        when = obj.starts_at.date().isoformat() if obj.starts_at else ""
        return f"{obj.title} ({obj.organization}, {when})" if when else str(obj)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file is"), choices=formats.KINDS)
    event = TrainingChoiceField(
        label=_("Training"),
        queryset=Event.objects.none(),
        required=False,
        help_text=_(
            "Required for an Action Network attendee report. For a Mobilize file, choose it when "
            "the file's event numbers are Mobilize's own; leave it empty for a file exported here."
        ),
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Comma or semicolon separated, UTF-8 (or Latin-1), at most 5 MB."),
    )
    send_claim = forms.BooleanField(
        label=_("Mail new people a link to claim their account"),
        required=False,
        help_text=_("Off by default: an import mails nobody unless you choose it here."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["event"].queryset = selectors.importable_events(user)
        if not user.is_coordinator:
            # Hosts bring in attendees of their own trainings, not the program's people.
            self.fields["kind"].choices = [
                choice for choice in formats.KINDS if choice[0] != formats.AN_PEOPLE
            ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The file is bigger than 5 MB; split it into smaller files."))
        if upload.size == 0:
            raise ValidationError(_("The file is empty."))
        return upload

    def clean(self):
        data = super().clean()
        if data.get("kind") == formats.AN_ATTENDEES and not data.get("event"):
            self.add_error("event", _("Choose the training this attendee report is for."))
        if data.get("kind") == formats.AN_PEOPLE and data.get("event"):
            self.add_error("event", _("A people file goes into no training; leave this empty."))
        return data


class ExportForm(forms.Form):
    training = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
