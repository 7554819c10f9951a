"""What people type in "Where to go": questions, suggested resources, reviews, answers."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from strategists.accounts.constants import SUBDIVISION_NAMES
from strategists.accounts.models import SkillArea
from strategists.referrals.models import QUESTION_MAX_CHARS, Cost, Kind, Resource

# Where a resource serves (the ``region`` field, kept for files and forms): a country, or a state
# or province by name. Not the census regions of accounts.
SERVED_CHOICES = [
    ("us", _("United States (nationwide)")),
    ("canada", _("Canada (nationwide)")),
    ("international", _("International")),
    *[(name, name) for name in sorted(SUBDIVISION_NAMES.values())],
]
IDS = re.compile(r"[A-Za-z0-9_-]+")


def _blank(label):
    return [("", label)]


class AskForm(forms.Form):
    q = forms.CharField(
        label=_("Your question"),
        required=False,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "placeholder": _("e.g. texting tool for our strike vote"),
            }
        ),
    )

    def clean_q(self):
        text = self.cleaned_data["q"]
        if len(text) > QUESTION_MAX_CHARS:
            raise forms.ValidationError(
                _("Keep your question under %(max)d characters (yours has %(count)d).")
                % {"max": QUESTION_MAX_CHARS, "count": len(text)}
            )
        return text


class DirectoryForm(forms.Form):
    area = forms.ModelChoiceField(
        SkillArea.objects.all(),
        label=_("Skill area"),
        required=False,
        empty_label=_("All areas"),
        to_field_name="pk",
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(_("All kinds")) + list(Kind.choices)
    )
    cost = forms.ChoiceField(
        label=_("Cost"), required=False, choices=_blank(_("Any cost")) + list(Cost.choices)
    )
    region = forms.ChoiceField(
        label=_("Region served"), required=False, choices=_blank(_("Anywhere")) + SERVED_CHOICES
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "area": data["area"].pk if data["area"] else "",
            "kind": data["kind"],
            "cost": data["cost"],
            "served": data["region"],
        }


class TagsField(forms.CharField):
    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def clean(self, value):
        value = super().clean(value)
        tags = [t.strip().lower() for t in (value or "").split(",") if t.strip()]
        if len(tags) > 12:
            raise forms.ValidationError(_("At most 12 tags."))
        if any(len(t) > 60 for t in tags):
            raise forms.ValidationError(_("Each tag at most 60 characters."))
        return list(dict.fromkeys(tags))


class ResourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    url = forms.URLField(
        label=_("Web address"), max_length=500, required=False, assume_scheme="https"
    )
    summary = forms.CharField(label=_("In one sentence, what is it?"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What it does, who it suits, what to watch out for."),
    )
    skill_areas = forms.ModelMultipleChoiceField(
        SkillArea.objects.all(), label=_("Skill areas"), widget=forms.CheckboxSelectMultiple
    )
    tags = TagsField(
        label=_("Tags"), required=False, help_text=_("A few keywords, separated by commas.")
    )
    cost = forms.ChoiceField(label=_("Cost"), choices=Cost.choices)
    region = forms.ChoiceField(label=_("Region served"), choices=SERVED_CHOICES, initial="us")

    @classmethod
    def initial_for(cls, resource: Resource) -> dict:
        return {
            **{
                f: getattr(resource, f)
                for f in ("name", "kind", "url", "summary", "description", "tags", "cost", "region")
            },
            "skill_areas": list(resource.skill_areas.all()),
        }


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    used_for = forms.CharField(
        label=_("What did you use it for?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    cost_paid = forms.IntegerField(
        label=_("What did it cost you, in dollars a year?"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        help_text=_("0 if it was free; leave empty if you don't know."),
    )
    cost_note = forms.CharField(
        label=_("About the cost"),
        max_length=200,
        required=False,
        help_text=_("e.g. “union discount”, “per seat”."),
    )
    would_recommend = forms.TypedChoiceField(
        label=_("Would you recommend it?"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        initial="yes",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the curator who proposed it"), max_length=300, required=False
    )


class MergeForm(forms.Form):
    keep = forms.CharField(label=_("Keep this resource (its id, e.g. R012)"), max_length=20)

    def __init__(self, *args, duplicate: Resource, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicate = duplicate

    def clean_keep(self):
        public_id = self.cleaned_data["keep"].strip().upper()
        keep = Resource.objects.filter(public_id__iexact=public_id).first()
        if keep is None:
            raise forms.ValidationError(_("No resource has the id %(id)s.") % {"id": public_id})
        if keep.pk == self.duplicate.pk:
            raise forms.ValidationError(_("Pick a different resource to keep."))
        if keep.status != Resource.Status.APPROVED:
            raise forms.ValidationError(_("Keep a listed resource."))
        return keep


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX_CHARS,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    details = forms.CharField(
        label=_("Anything experts should know"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your budget, your city, what you tried. Don't include passwords."),
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    cited = forms.CharField(
        label=_("Resources you recommend (ids, e.g. R012, R045)"), max_length=200, required=False
    )

    def clean_cited(self):
        ids = [i.upper() for i in IDS.findall(self.cleaned_data["cited"])][:10]
        found = {
            r.public_id: r
            for r in Resource.objects.filter(public_id__in=ids, status=Resource.Status.APPROVED)
        }
        missing = [i for i in ids if i not in found]
        if missing:
            raise forms.ValidationError(
                _("Not in the directory: %(ids)s") % {"ids": ", ".join(missing)}
            )
        return [found[i] for i in dict.fromkeys(ids)]
