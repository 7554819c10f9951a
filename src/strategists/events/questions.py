"""The questions a training asks its registrants: the common ones hosts add in one click, the form fields each kind of question becomes, and the host's roll-up of access needs."""

from collections import Counter
from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from strategists.events.models import Answer, Question

Kind = Question.Kind
MAX_SHORT = 300
MAX_LONG = 3000

# The wording of the common questions. The choices are stored with the question, in the words
# (and language) of the host who added it, so changing them here changes no saved question.
COMMON = {
    Question.Common.ACCESS: {
        "kind": Kind.SEVERAL,
        "label": _("Do you have access needs?"),
        "help_text": _(
            "The hosts arrange what you need; only they and the program's staff see it."
        ),
        "choices": [
            _("ASL interpretation"),
            _("Live captions"),
            _("Step-free access"),
            _("Large print materials"),
            _("A quiet room"),
        ],
    },
    Question.Common.INTERPRETATION: {
        "kind": Kind.ONE,
        "label": _("Do you need interpretation into another language?"),
        "help_text": "",
        "choices": [
            _("Spanish"),
            _("French"),
            _("Chinese"),
            _("Vietnamese"),
            _("Another language"),
        ],
    },
    Question.Common.CHILDCARE: {
        "kind": Kind.YES_NO,
        "label": _("Do you need childcare?"),
        "help_text": "",
        "choices": [],
    },
    Question.Common.DIETARY: {
        "kind": Kind.SHORT,
        "label": _("Any dietary needs?"),
        "help_text": "",
        "choices": [],
    },
    Question.Common.PROBLEM: {
        "kind": Kind.LONG,
        "label": _("What problem are you bringing?"),
        "help_text": _(
            "A campaign, a tool, a list that won't behave: the trainers plan around it."
        ),
        "choices": [],
    },
}
# The answers the host counts: what each person needs arranged before the day.
ROLLED_UP = {Question.Common.ACCESS, Question.Common.INTERPRETATION, Question.Common.CHILDCARE}
YES, NO = "yes", "no"


def field_name(question: Question) -> str:
    return f"q_{question.pk}"


def form_field(question: Question, initial=None) -> forms.Field:
    """The form field a question becomes on the registration form and the answers page."""
    common = {
        "label": question.label,
        "required": question.required,
        "help_text": question.help_text,
    }
    choices = [(choice, choice) for choice in question.choices]
    if question.kind == Kind.SHORT:
        field = forms.CharField(max_length=MAX_SHORT, **common)
    elif question.kind == Kind.LONG:
        field = forms.CharField(
            max_length=MAX_LONG, widget=forms.Textarea(attrs={"rows": 3}), **common
        )
    elif question.kind == Kind.ONE:
        field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    elif question.kind == Kind.SEVERAL:
        field = forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    else:
        field = forms.TypedChoiceField(
            choices=[(YES, pgettext_lazy("answer", "Yes")), (NO, pgettext_lazy("answer", "No"))],
            coerce=lambda value: value == YES,
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
        if isinstance(initial, bool):
            initial = YES if initial else NO
    field.initial = initial
    return field


def add_fields(form: forms.Form, questions: Iterable[Question], answers: dict | None = None):
    """Add one field per question to `form`; `answers` maps question id to a saved value."""
    answers = answers or {}
    for question in questions:
        form.fields[field_name(question)] = form_field(question, answers.get(question.pk))


def answers_from(cleaned_data: dict, questions: Iterable[Question]) -> dict[int, object]:
    """The answers given, by question id; an empty answer is no answer."""
    answers = {}
    for question in questions:
        value = cleaned_data.get(field_name(question))
        if value in (None, "", []):
            continue
        answers[question.pk] = value
    return answers


def rollup(answers: Iterable[Answer]) -> list[tuple[str, int]]:
    """What the host must arrange, most asked first: ("ASL interpretation", 3), ("Childcare",
    2). `answers` are those of the people still coming, with their questions."""
    counts: Counter[str] = Counter()
    for answer in answers:
        question = answer.question
        if question.common not in ROLLED_UP:
            continue
        if question.kind == Kind.YES_NO:
            if answer.value is True:
                counts[
                    str(_("Childcare")) if question.common == "childcare" else question.label
                ] += 1
        elif isinstance(answer.value, list):
            counts.update(str(value) for value in answer.value)
        elif answer.value:
            label = str(answer.value)
            if question.common == Question.Common.INTERPRETATION:
                label = str(_("Interpretation into %(language)s") % {"language": label})
            counts[label] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def osdi_responses(answers: Iterable[Answer]) -> list[dict]:
    """Answers in the shape of OSDI's add_questions_responses (the API's attendances): one entry
    per question, with its id, its wording and the responses as a list of strings."""
    return [
        {
            "question_id": f"strategists:question:{answer.question_id}",
            "question": answer.question.label,
            "responses": [str(v) for v in answer.value]
            if isinstance(answer.value, list)
            else [answer.text],
        }
        for answer in answers
    ]


def cells(answers: Iterable[Answer], questions: list[Question]) -> list[str]:
    """One registrant's answers as a row of cells, one per question (blank when unanswered)."""
    by_question = {answer.question_id: answer.text for answer in answers}
    return [by_question.get(question.pk, "") for question in questions]
