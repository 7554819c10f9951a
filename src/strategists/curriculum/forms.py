"""What learners and reviewers send: evidence (link or checked file), reviews, sign-offs."""

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from strategists.accounts.models import SkillArea
from strategists.curriculum.models import CertificateRule, Competency, Evidence, Level

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_CREDENTIAL_BYTES = 1024 * 1024
ALLOWED_EXTENSIONS = {
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".txt",
    ".md",
    ".csv",
    ".docx",
    ".xlsx",
    ".pptx",
    ".odt",
    ".ods",
    ".odp",
}
# What the first bytes of each kind of file look like: a renamed executable is refused.
SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF8",),
    ".webp": (b"RIFF",),
    ".docx": (b"PK",),
    ".xlsx": (b"PK",),
    ".pptx": (b"PK",),
    ".odt": (b"PK",),
    ".ods": (b"PK",),
    ".odp": (b"PK",),
}


def check_upload(upload) -> None:
    if upload is None:
        return
    extension = Path(upload.name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise forms.ValidationError(
            _(
                "Upload a PDF, an image, a text or CSV file, or an office document (not “%(extension)s”)."
            ),
            code="file_type",
            params={"extension": extension or upload.name},
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("The file is larger than 5 MB. Share a link instead."), code="file_size"
        )
    head = upload.read(8)
    upload.seek(0)
    signatures = SIGNATURES.get(extension)
    if signatures and not head.startswith(signatures):
        raise forms.ValidationError(
            _("The file's content doesn't match its name (%(extension)s)."),
            code="file_content",
            params={"extension": extension},
        )
    if not signatures and b"\x00" in head:
        raise forms.ValidationError(_("This doesn't look like a text file."), code="file_content")


class EvidenceFileField(forms.FileField):
    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        check_upload(upload if upload is not initial else None)
        return upload


class _LinkOrFile(forms.Form):
    link = forms.URLField(
        label=_("Link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("A shared document, a web page, a public report."),
    )
    file = EvidenceFileField(
        label=_("Or a file"),
        required=False,
        help_text=_("PDF, image, text, CSV or office document, up to 5 MB."),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("link") and not cleaned.get("file"):
            self.add_error("link", _("Add a link or a file."))
        return cleaned


class EvidenceForm(_LinkOrFile):
    area = forms.ModelChoiceField(
        label=_("Skill area"), queryset=SkillArea.objects.all(), empty_label=_("Choose an area")
    )
    level = forms.TypedChoiceField(
        label=_("Level"),
        coerce=int,
        choices=[
            (Level.STRATEGIST, Level.STRATEGIST.label),
            (Level.CONNECTOR, Level.CONNECTOR.label),
        ],
    )
    kind = forms.ChoiceField(
        label=_("What it is"),
        choices=[
            (Evidence.Kind.WORK_SAMPLE, _("A work sample: something I made or ran")),
            (Evidence.Kind.PRIOR_LEARNING, _("Prior learning: what I already did elsewhere")),
        ],
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("Description"),
        min_length=20,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you did, for whom, and what came of it."),
    )
    field_order = ["area", "level", "kind", "description", "link", "file"]

    def competency(self) -> Competency:
        return Competency.objects.get(
            area=self.cleaned_data["area"], level=self.cleaned_data["level"]
        )


class CapstoneForm(_LinkOrFile):
    title = forms.CharField(label=_("Title of your plan"), max_length=200)
    organization_name = forms.CharField(
        label=_("The organization it is for"),
        max_length=200,
        help_text=_("A real organization: your local, a council, a campaign."),
    )
    description = forms.CharField(
        label=_("Summary"),
        min_length=20,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Goals, metrics, budget, and how you will measure them."),
    )
    field_order = ["title", "organization_name", "description", "link", "file"]


class ResubmitForm(_LinkOrFile):
    description = forms.CharField(
        label=_("Description"),
        min_length=20,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    field_order = ["description", "link", "file"]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("changes", _("Ask for changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment for the member"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "changes" and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Tell the member what to change."))
        return cleaned


class SignOffForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Skill area"), queryset=SkillArea.objects.all(), empty_label=_("Choose an area")
    )
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, choices=Level.choices)
    description = forms.CharField(
        label=_("What they demonstrated"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if areas is not None:
            # Only the areas the reviewer was approved for: the others can't be chosen.
            self.fields["area"].queryset = SkillArea.objects.filter(pk__in=areas)

    def competency(self) -> Competency:
        return Competency.objects.get(
            area=self.cleaned_data["area"], level=self.cleaned_data["level"]
        )


class CompetencyForm(forms.Form):
    can_do = forms.CharField(
        label=_("What they can do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.CharField(
        label=_("Evidence that shows it"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RuleForm(forms.Form):
    all_areas_level = forms.TypedChoiceField(
        label=_("Level needed in every area"), coerce=int, choices=Level.choices
    )
    advanced_level = forms.TypedChoiceField(
        label=_("Higher level"), coerce=int, choices=Level.choices
    )
    advanced_areas = forms.IntegerField(
        label=_("Areas at the higher level"), min_value=0, max_value=10
    )
    capstone_required = forms.BooleanField(
        label=_("An approved capstone is required"), required=False
    )

    @classmethod
    def for_rule(cls, rule: CertificateRule, data=None):
        return cls(data, initial={field: getattr(rule, field) for field in cls.base_fields})

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("all_areas_level"), cleaned.get("advanced_level")
        if low and high and high < low:
            self.add_error(
                "advanced_level",
                _("The higher level can't be below the level needed in every area."),
            )
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."), code="required")
        return reason


class VerifyForm(forms.Form):
    credential = forms.CharField(
        label=_("Paste the credential (JSON)"),
        required=False,
        max_length=MAX_CREDENTIAL_BYTES,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    upload = forms.FileField(label=_("Or upload the credential file"), required=False)
    email = forms.EmailField(
        label=_("Holder's email (optional)"),
        required=False,
        help_text=_("To check that the credential was issued to this address."),
    )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return None
        if upload.size > MAX_CREDENTIAL_BYTES:
            raise forms.ValidationError(
                _("A credential is a small JSON file; this one is over 1 MB.")
            )
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("This file is not a JSON text file.")) from None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # Parsing is the verifier's job: it measures the text first (size, nesting) and says
        # why in its verdict (strategists.curriculum.verifying.credential_verify_text).
        cleaned["text"] = cleaned.get("upload") or cleaned.get("credential", "")
        if not cleaned["text"].strip():
            self.add_error("credential", _("Paste a credential or upload its file."))
        return cleaned


class EndorsementForm(forms.Form):
    comment = forms.CharField(
        label=_("What you have seen them do"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Signed into the endorsement and shown on the credential's page."),
    )
