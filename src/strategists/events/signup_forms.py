"""What people type to sign up for a training (name, email, its questions) and what hosts type to set up its questions and share links."""

from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from strategists.events import questions as training_questions
from strategists.events.models import Question, ShareLink

# Where a sign-up came from, carried from the training page's address to its form (Action
# Network's referrer_data: source, referrer, website and the utm_* parameters).
UTM = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
REFERRER_FIELDS = ("source", "ref", "website", *UTM)
HONEYPOT = "homepage"


class SignupForm(forms.Form):
    """Register for a training: name and email when signed out, the training's questions, and
    where the person came from. `homepage` is a honeypot: people never see it, bots fill it."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Your email"), max_length=254)
    homepage = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, questions=(), signed_in: bool = False, answers=None, **kwargs):
        kwargs.setdefault("auto_id", "signup_%s")
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        if signed_in:
            del self.fields["name"], self.fields["email"], self.fields[HONEYPOT]
        for name in REFERRER_FIELDS:
            self.fields[name] = forms.CharField(
                required=False, max_length=200, widget=forms.HiddenInput
            )
        training_questions.add_fields(self, self.questions, answers)

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT))

    def answers(self) -> dict[int, object]:
        return training_questions.answers_from(self.cleaned_data, self.questions)

    def referrer_data(self) -> dict[str, str]:
        """Action Network's shape: "ref" (a share link's code) is stored as "referrer"."""
        data = {}
        for name in REFERRER_FIELDS:
            value = " ".join(self.cleaned_data.get(name, "").split())
            if value:
                data["referrer" if name == "ref" else name] = value
        return data

    @classmethod
    def referrer_initial(cls, request) -> dict[str, str]:
        """What the training page's address says about where the visitor came from."""
        initial = {name: request.GET.get(name, "")[:200] for name in REFERRER_FIELDS}
        referer = request.headers.get("Referer", "")[:200]
        # A link from another site, not a visitor moving between our own pages.
        if not initial["website"] and urlsplit(referer).netloc not in ("", request.get_host()):
            initial["website"] = referer
        return {name: value for name, value in initial.items() if value}

    def question_fields(self):
        return [self[training_questions.field_name(q)] for q in self.questions]


class AnswersForm(forms.Form):
    """Change one's answers from the registration's page."""

    def __init__(self, *args, questions=(), answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        training_questions.add_fields(self, self.questions, answers)

    def answers(self) -> dict[int, object]:
        return training_questions.answers_from(self.cleaned_data, self.questions)


class QuestionForm(forms.Form):
    """A host's own question."""

    label = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Question.Kind.choices)
    choices = forms.CharField(
        label=_("Choices, one a line"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For one choice or several choices."),
    )
    required = forms.BooleanField(label=_("Required"), required=False)
    help_text = forms.CharField(label=_("Help text"), required=False, max_length=300)

    def clean(self):
        cleaned = super().clean()
        lines = [" ".join(line.split()) for line in cleaned.get("choices", "").splitlines()]
        choices = list(dict.fromkeys(line[:200] for line in lines if line))
        kind = cleaned.get("kind")
        if kind in (Question.Kind.ONE, Question.Kind.SEVERAL):
            if len(choices) < 2:
                self.add_error("choices", _("Give at least two choices, one a line."))
            elif len(choices) > 30:
                self.add_error("choices", _("At most 30 choices."))
        else:
            choices = []
        cleaned["choices"] = choices
        return cleaned


class CommonQuestionForm(forms.Form):
    common = forms.ChoiceField(
        label=_("Common question"),
        choices=[(key, label) for key, label in Question.Common.choices if key],
    )


class ShareLinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("For"), choices=ShareLink.Kind.choices)
    label = forms.CharField(
        label=_("Whose link"),
        max_length=120,
        help_text=_("A host, a partner organization or a person: the counts show this name."),
    )
