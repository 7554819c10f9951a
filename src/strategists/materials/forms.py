"""What hosts, trainers and coordinators send: a material with a checked file or a web link,
and the host kit's written guides."""

import re
from pathlib import Path

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from strategists.curriculum.forms import EvidenceFileField
from strategists.materials.models import Material


class WebURLField(forms.URLField):
    """A web address only: a javascript:, data: or ftp: link is refused (one would run in our
    pages, the others don't open in a browser)."""

    default_validators = [URLValidator(schemes=["http", "https"])]


KINDS = [choice for choice in Material.Kind.choices if choice[0] != Material.Kind.GUIDE]


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What it is, in a sentence or two"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=KINDS)
    url = WebURLField(
        label=_("Link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Slides, a recording or a document online."),
    )
    file = EvidenceFileField(
        label=_("Or a file"),
        required=False,
        help_text=_("PDF, image, text, CSV or office document (slides too), up to 5 MB."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Material.language.field.choices)

    def __init__(self, *args, areas=None, visibility=True, **kwargs):
        super().__init__(*args, **kwargs)
        if visibility:
            self.fields["visibility"] = forms.ChoiceField(
                label=_("Who sees it"), choices=Material.Visibility.choices
            )
        if areas is not None:
            self.fields["area"] = forms.ModelChoiceField(
                label=_("Skill area (for the library, when shared)"),
                queryset=areas,
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("url") and cleaned.get("file"):
            self.add_error("url", _("Add a link or a file, not both."))
        elif not cleaned.get("url") and not cleaned.get("file"):
            self.add_error("url", _("Add a link or a file."))
        return cleaned

    def values(self) -> dict:
        data = self.cleaned_data
        upload = data.get("file")
        return {
            "title": data["title"],
            "description": data.get("description", ""),
            "kind": data["kind"],
            "url": data.get("url", ""),
            "file": upload,
            "original_name": _safe_name(upload.name) if upload else "",
            "language": data["language"],
            "visibility": data.get("visibility", Material.Visibility.PUBLIC),
            "area": data.get("area"),
        }


class KitItemForm(forms.Form):
    kit_section = forms.ChoiceField(label=_("Section"), choices=Material.KitSection.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 12})
    )
    language = forms.ChoiceField(label=_("Language"), choices=Material.language.field.choices)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=999, initial=0)


def _safe_name(name: str) -> str:
    """The name offered when the file is downloaded: letters, digits, dots, dashes only."""
    path = Path(name)
    stem = re.sub(r"[^\w-]+", "-", path.stem, flags=re.ASCII)[:80].strip("-")
    return f"{stem or 'material'}{path.suffix.lower()}"
