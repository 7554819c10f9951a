"""Every write in Where to go: resources, curation, reviews, questions and answers."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.common.mail import mail_person
from strategists.referrals import index
from strategists.referrals.ask import analyze
from strategists.referrals.models import Answer, Question, Resource, Review, Routing
from strategists.referrals.routing import ROUTE_TO, expert_matches

RESOURCE_FIELDS = ("kind", "name", "url", "summary", "description", "tags", "cost", "region")
DAILY_CAP = 3  # question notifications per expert per day; more wait for the next morning
ESCALATE_AFTER = dt.timedelta(days=3)
QUESTION_MAIL = "referrals-question"
_PUBLIC_ID = re.compile(r"^R(\d+)$")


def next_public_id() -> str:
    numbers = [
        int(m.group(1))
        for pid in Resource.objects.filter(public_id__startswith="R")
        .values_list("public_id", flat=True)
        .iterator()
        if (m := _PUBLIC_ID.match(pid))
    ]
    return f"R{max(numbers, default=0) + 1:03d}"


def can_curate(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_coordinator or user.is_expert))


# --------------------------------------------------------------------------- resources


@transaction.atomic
def resource_suggest(*, by: User, skill_areas, **values) -> Resource:
    """A member's suggestion waits for an expert or coordinator; a curator's is listed at once."""
    resource = Resource(
        public_id=next_public_id(),
        suggested_by=by,
        **{k: v for k, v in values.items() if k in RESOURCE_FIELDS},
    )
    if can_curate(by):
        resource.status, resource.approved_by, resource.approved_at = (
            Resource.Status.APPROVED,
            by,
            timezone.now(),
        )
    resource.full_clean(exclude=["skill_areas"])
    resource.save()
    resource.skill_areas.set(skill_areas)
    index.index_resource(resource)
    return resource


@transaction.atomic
def resource_update(*, resource: Resource, by: User, skill_areas=None, **values) -> Resource:
    for name, value in values.items():
        if name in RESOURCE_FIELDS:
            setattr(resource, name, value)
    resource.full_clean(exclude=["skill_areas"])
    resource.save()
    if skill_areas is not None:
        resource.skill_areas.set(skill_areas)
    index.index_resource(resource)
    return resource


@transaction.atomic
def resource_approve(*, resource: Resource, by: User) -> Resource:
    if resource.status != Resource.Status.PENDING:
        raise ValidationError(_("Only a suggestion waiting for review can be approved."))
    resource.status, resource.approved_by, resource.approved_at = (
        Resource.Status.APPROVED,
        by,
        timezone.now(),
    )
    resource.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    index.index_resource(resource)
    suggester = resource.suggested_by
    if suggester is not None and suggester.pk != by.pk:
        mail_person(
            suggester,
            template="referrals/mail/resource_approved",
            context={"resource": resource},
            kind="referrals-approved",
        )
    return resource


@transaction.atomic
def resource_retire(*, resource: Resource, by: User, reason: str) -> Resource:
    """A dead link or a vendor gone: kept for its history, left out of browsing and search."""
    if resource.status == Resource.Status.MERGED:
        raise ValidationError(_("This resource was merged into another one."))
    resource.status, resource.retired_reason = Resource.Status.RETIRED, reason.strip()[:300]
    resource.save(update_fields=["status", "retired_reason", "updated_at"])
    index.index_resource(resource)
    return resource


@transaction.atomic
def resource_merge(*, duplicate: Resource, keep: Resource, by: User) -> Resource:
    """Fold a duplicate into the kept resource: reviews and citations move, the old id redirects.

    Someone who reviewed both keeps their more recent review.
    """
    if duplicate.pk == keep.pk:
        raise ValidationError(_("Pick a different resource to keep."))
    if keep.status == Resource.Status.MERGED:
        raise ValidationError(
            _("The resource to keep was itself merged; merge into %(id)s instead.")
            % {"id": keep.merged_into.public_id}
        )
    for review in list(duplicate.reviews.all()):
        existing = keep.reviews.filter(author_id=review.author_id).first()
        if existing is None:
            Review.objects.filter(pk=review.pk).update(resource=keep)
        elif review.updated_at > existing.updated_at:
            existing.delete()
            Review.objects.filter(pk=review.pk).update(resource=keep)
        else:
            review.delete()
    for answer in Answer.objects.filter(cited=duplicate):
        answer.cited.remove(duplicate)
        answer.cited.add(keep)
    keep.skill_areas.add(*duplicate.skill_areas.all())
    keep.tags = list(dict.fromkeys([*keep.tags, *duplicate.tags]))[:12]
    keep.save(update_fields=["tags", "updated_at"])
    Resource.objects.filter(merged_into=duplicate).update(merged_into=keep)
    duplicate.status, duplicate.merged_into = Resource.Status.MERGED, keep
    duplicate.save(update_fields=["status", "merged_into", "updated_at"])
    index.index_resource(duplicate)
    index.index_resource(keep)
    return keep


# --------------------------------------------------------------------------- reviews


@transaction.atomic
def review_save(
    *,
    resource: Resource,
    author: User,
    rating: int,
    used_for: str,
    would_recommend: bool,
    cost_paid: int | None = None,
    cost_note: str = "",
) -> Review:
    """Create or edit the one review a member has of a resource."""
    if not resource.is_listed:
        raise ValidationError(_("Only listed resources can be reviewed."))
    if not 1 <= int(rating) <= 5:
        raise ValidationError(_("Rate it from 1 to 5."))
    review, _created = Review.objects.select_for_update().get_or_create(
        resource=resource,
        author=author,
        defaults={
            "rating": rating,
            "used_for": used_for,
            "would_recommend": would_recommend,
            "cost_paid": cost_paid,
            "cost_note": cost_note,
        },
    )
    if not _created:
        review.rating, review.used_for, review.would_recommend = rating, used_for, would_recommend
        review.cost_paid, review.cost_note = cost_paid, cost_note
        review.save()
    return review


@transaction.atomic
def review_hide(*, review: Review, by: User, reason: str) -> Review:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the review is hidden."))
    review.hidden_at, review.hidden_by, review.hidden_reason = timezone.now(), by, reason[:300]
    review.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    return review


@transaction.atomic
def review_show(*, review: Review, by: User) -> Review:
    review.hidden_at, review.hidden_by, review.hidden_reason = None, None, ""
    review.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    return review


# --------------------------------------------------------------------------- questions


def _notify_day(expert: User, now: dt.datetime) -> dt.datetime | None:
    """When to send a new question to this expert: now, or 9:00 on the first day under the cap."""
    from strategists.common.models import OutgoingMail

    mails = OutgoingMail.objects.filter(to=expert.email, kind=QUESTION_MAIL)
    today = timezone.localdate(now)
    for offset in range(14):
        day = today + dt.timedelta(days=offset)
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        end = start + dt.timedelta(days=1)
        sent = mails.filter(
            Q(not_before__isnull=True, created_at__gte=start, created_at__lt=end)
            | Q(not_before__gte=start, not_before__lt=end)
        ).count()
        if sent < DAILY_CAP:
            return None if offset == 0 else start + dt.timedelta(hours=9)
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
        routings.append(
            Routing.objects.create(
                question=question, expert=match.user, round=round, score=match.score
            )
        )
        mail_person(
            match.user,
            template="referrals/mail/question_routed",
            context={"question": question, "expert": match.user},
            kind=QUESTION_MAIL,
            not_before=_notify_day(match.user, now),
        )
    return routings


@transaction.atomic
def question_post(
    *, asker: User, text: str, details: str = "", now: dt.datetime | None = None
) -> Question:
    """Post a question and route it to the few experts who best match it."""
    now = now or timezone.now()
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError(_("Type your question."))
    context = index.search_context()
    analysis = analyze(text + " " + (details or ""), context.speller)
    question = Question.objects.create(
        asker=asker,
        text=text[:2000],
        details=(details or "").strip()[:4000],
        language=analysis.language,
    )
    areas = sorted(analysis.skill_areas, key=lambda a: -analysis.skill_areas[a])[:3]
    question.skill_areas.set(areas)
    _route(question, round=1, count=ROUTE_TO, now=now)
    return question


@transaction.atomic
def answer_post(*, question: Question, author: User, body: str, cited=()) -> Answer:
    """An expert's answer (one each, editable until the asker accepts one)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write your answer."))
    if question.status != Question.Status.OPEN:
        raise ValidationError(_("This question already has an accepted answer."))
    answer, created = Answer.objects.update_or_create(
        question=question, author=author, defaults={"body": body}
    )
    answer.cited.set([r for r in cited if r.is_listed])
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
    index.index_question(question)
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
    question.status = Question.Status.CLOSED
    question.save(update_fields=["status", "updated_at"])
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
