"""Every write on questions in Where to go: asking, routing to experts, answers, acceptance, escalation."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.common.audit import audit_log
from strategists.common.mail import mail_person
from strategists.referrals import ask_index
from strategists.referrals.ask import analyze
from strategists.referrals.models import (
    QUESTION_MAX_CHARS,
    Answer,
    Question,
    Routing,
)
from strategists.referrals.routing import ROUTE_TO, expert_matches
from strategists.referrals.rules import is_coordinator

DAILY_CAP = (
    3  # questions routed to an expert per day (Routing.notify_at); more wait for the next morning
)
ESCALATE_AFTER = dt.timedelta(days=3)
QUESTION_MAIL = "referrals-question"
# --------------------------------------------------------------------------- questions


def _notify_at(expert: User, now: dt.datetime) -> dt.datetime:
    """When this expert hears of a new question: now, or 9:00 on the first day on which fewer
    than ``DAILY_CAP`` questions were routed to them (counted from their routing rows)."""
    routed = Routing.objects.filter(expert=expert)
    today = timezone.localdate(now)
    for offset in range(14):
        day = today + dt.timedelta(days=offset)
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        end = start + dt.timedelta(days=1)
        if routed.filter(notify_at__gte=start, notify_at__lt=end).count() < DAILY_CAP:
            return now if offset == 0 else start + dt.timedelta(hours=9)
    return start + dt.timedelta(hours=9)


def _route(question: Question, *, round: int, count: int, now: dt.datetime) -> list[Routing]:
    exclude = {question.asker_id, *question.routings.values_list("expert_id", flat=True)}
    areas = {area.pk: 1.0 for area in question.skill_areas.all()}
    matches = expert_matches(
        skill_areas=areas,
        language=question.language,
        near=question.asker.city,
        exclude=exclude,
        limit=count,
    )
    routings = []
    for match in matches:
        notify_at = _notify_at(match.user, now)
        routings.append(
            Routing.objects.create(
                question=question,
                expert=match.user,
                round=round,
                score=match.score,
                notify_at=notify_at,
            )
        )
        mail_person(
            match.user,
            template="referrals/mail/question_routed",
            context={"question": question, "expert": match.user},
            kind=QUESTION_MAIL,
            not_before=None if notify_at == now else notify_at,
        )
    return routings


@transaction.atomic
def question_post(
    *, asker: User, text: str, details: str = "", now: dt.datetime | None = None
) -> Question:
    """Post a question and route it to the few experts who best match it."""
    now = now or timezone.now()
    text = " ".join((text or "").split())[:QUESTION_MAX_CHARS]
    if not text:
        raise ValidationError(_("Type your question."))
    context = ask_index.search_context()
    analysis = analyze(text + " " + (details or ""), context.speller)
    question = Question.objects.create(
        asker=asker,
        text=text,
        details=(details or "").strip()[:4000],
        language=analysis.language,
    )
    areas = sorted(analysis.skill_areas, key=lambda a: -analysis.skill_areas[a])[:3]
    question.skill_areas.set(areas)
    routed = _route(question, round=1, count=ROUTE_TO, now=now)
    audit_log(
        "question.asked",
        question,
        actor=asker,
        data={"skill_areas": areas, "routed_to": [r.expert_id for r in routed]},
    )
    return question


@transaction.atomic
def answer_post(*, question: Question, author: User, body: str, cited=()) -> Answer:
    """An expert's answer (one each, editable until the asker accepts one)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write your answer."))
    if question.asker_id == author.pk or not question.routings.filter(expert_id=author.pk).exists():
        raise PermissionDenied(_("Only the experts this question was sent to answer it."))
    if question.status != Question.Status.OPEN:
        raise ValidationError(_("This question already has an accepted answer."))
    answer, created = Answer.objects.update_or_create(
        question=question, author=author, defaults={"body": body}
    )
    answer.cited.set([r for r in cited if r.is_listed])
    audit_log(
        "answer.posted" if created else "answer.updated",
        answer,
        actor=author,
        data={"question": question.pk, "cited": sorted(r.public_id for r in answer.cited.all())},
    )
    if created:
        asker = question.asker
        mail_person(
            asker,
            template="referrals/mail/answer_posted",
            context={"question": question, "answer": answer},
            kind="referrals-answer",
        )
    return answer


@transaction.atomic
def answer_accept(*, answer: Answer, by: User) -> Question:
    """The asker accepts an answer: the question and its answer become searchable."""
    question = Question.objects.select_for_update().get(pk=answer.question_id)
    if by.pk != question.asker_id:
        raise ValidationError(_("Only the person who asked can accept an answer."))
    if question.status != Question.Status.OPEN:
        raise ValidationError(_("This question already has an accepted answer."))
    question.accepted_answer, question.status = answer, Question.Status.ANSWERED
    question.save(update_fields=["accepted_answer", "status", "updated_at"])
    ask_index.index_question(question)
    audit_log(
        "answer.accepted",
        question,
        actor=by,
        before={"status": Question.Status.OPEN},
        after={"status": question.status},
        data={"answer": answer.pk},
    )
    author = answer.author
    mail_person(
        author,
        template="referrals/mail/answer_accepted",
        context={"question": question, "answer": answer},
        kind="referrals-accepted",
    )
    return question


@transaction.atomic
def question_close(*, question: Question, by: User) -> Question:
    if by.pk != question.asker_id and not is_coordinator(by):
        raise PermissionDenied(_("Only the person who asked can close their question."))
    before = question.status
    question.status = Question.Status.CLOSED
    question.save(update_fields=["status", "updated_at"])
    audit_log(
        "question.closed",
        question,
        actor=by,
        before={"status": before},
        after={"status": question.status},
    )
    return question


def questions_escalate_due(*, now: dt.datetime | None = None) -> int:
    """Open questions with no answer after three days go to more experts; coordinators hear of it."""
    now = now or timezone.now()
    due = Question.objects.filter(
        status=Question.Status.OPEN,
        escalated_at__isnull=True,
        created_at__lte=now - ESCALATE_AFTER,
        answers__isnull=True,
    )
    count = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            question = (
                Question.objects.select_for_update(of=("self",))
                .select_related("asker__city")
                .get(pk=pk)
            )
            if question.escalated_at is not None or question.answers.exists():
                continue
            routed = _route(question, round=2, count=ROUTE_TO, now=now)
            question.escalated_at = now
            question.save(update_fields=["escalated_at", "updated_at"])
            audit_log(
                "question.escalated", question, data={"routed_to": [r.expert_id for r in routed]}
            )
            for coordinator in User.objects.filter(is_coordinator=True, is_active=True).order_by(
                "pk"
            ):
                mail_person(
                    coordinator,
                    template="referrals/mail/question_escalated",
                    context={"question": question, "routed": routed},
                    kind="referrals-escalated",
                )
            count += 1
    return count
