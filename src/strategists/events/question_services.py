"""What hosts set up on a training to reach people: the questions registrants answer, and share links that count where sign-ups come from."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.common.audit import audit_log
from strategists.events.models import Event, Question, ShareLink
from strategists.events.questions import COMMON

MAX_QUESTIONS = 30


def _next_position(event: Event) -> int:
    return (event.questions.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def question_add(
    *,
    event: Event,
    by: User,
    label: str,
    kind: str,
    choices: list[str] | None = None,
    required: bool = False,
    help_text: str = "",
    common: str = "",
) -> Question:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.questions.count() >= MAX_QUESTIONS:
        raise ValidationError(_("A training asks at most %(n)d questions.") % {"n": MAX_QUESTIONS})
    question = Question.objects.create(
        event=event,
        label=label,
        kind=kind,
        choices=list(choices or []),
        required=required,
        help_text=help_text,
        common=common,
        position=_next_position(event),
    )
    audit_log(
        "question.added",
        question,
        actor=by,
        data={"event": event.pk, "kind": kind, "common": common, "required": required},
    )
    return question


@transaction.atomic
def question_add_common(*, event: Event, by: User, common: str) -> Question:
    """One of the common questions, in one click; asking it twice adds nothing."""
    existing = event.questions.filter(common=common).first()
    if existing is not None:
        return existing
    spec = COMMON[common]
    return question_add(
        event=event,
        by=by,
        label=str(spec["label"]),
        kind=spec["kind"],
        choices=[str(choice) for choice in spec["choices"]],
        help_text=str(spec["help_text"]),
        common=common,
    )


@transaction.atomic
def question_delete(*, question: Question, by: User) -> None:
    """Removing a question removes its answers too (the log keeps how many)."""
    answers = question.answers.count()
    audit_log(
        "question.deleted",
        question,
        actor=by,
        data={"event": question.event_id, "label": question.label, "answers": answers},
    )
    question.delete()


@transaction.atomic
def share_link_create(*, event: Event, by: User, kind: str, label: str) -> ShareLink:
    """A link that counts the sign-ups one host, partner organization or person brings."""
    code = f"{slugify(label)[:24] or kind}-{secrets.token_hex(3)}"
    link = ShareLink.objects.create(event=event, kind=kind, label=label, code=code, created_by=by)
    audit_log("share_link.created", link, actor=by, data={"event": event.pk, "kind": kind})
    return link
