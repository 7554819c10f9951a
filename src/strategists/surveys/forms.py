"""The survey an attendee answers from the mailed link: overall, each area taught, each trainer,
what to improve, anything else."""

from django import forms
from django.utils.translation import gettext_lazy as _

from strategists.surveys.models import RATINGS

MAX_TEXT = 2000
RATING_CHOICES = [(str(value), label) for value, label in RATINGS]
OPTIONAL_CHOICES = [("", _("Skip")), *RATING_CHOICES]


class SurveyForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=_("Overall, how useful was this training? (1 not at all, 5 very)"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    improve = forms.CharField(
        label=_("What should we improve?"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    comments = forms.CharField(
        label=_("Anything else you want to tell us?"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, areas=(), trainers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.area_fields = {}
        self.trainer_fields = {}
        for area in areas:
            name = f"area_{area.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=_("How well did it teach “%(area)s”?") % {"area": area.name},
                choices=OPTIONAL_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.area_fields[name] = area.pk
        for trainer in trainers:
            name = f"trainer_{trainer.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=_("How was %(trainer)s as a trainer?") % {"trainer": trainer.name},
                choices=OPTIONAL_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.trainer_fields[name] = trainer.pk
        # Questions in reading order: overall, areas, trainers, then the free text.
        self.order_fields(["overall", *self.area_fields, *self.trainer_fields])

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            "overall": data["overall"],
            "areas": {pk: data.get(name) for name, pk in self.area_fields.items()},
            "trainers": {pk: data.get(name) for name, pk in self.trainer_fields.items()},
            "improve": data.get("improve", ""),
            "comments": data.get("comments", ""),
        }
