"""Reads for signing up and reaching people: a training's questions, the roll-up of access needs, where its sign-ups came from, a pending sign-up's link, and answers in the API's shape."""

from collections import Counter
from urllib.parse import urlsplit

from django.db.models import Count, QuerySet

from strategists.events import questions as training_questions
from strategists.events.models import (
    Answer,
    Event,
    PendingSignup,
    Question,
    Registration,
    ShareLink,
    token_hash,
)
from strategists.events.selectors import MAX_TOKEN_LENGTH


def questions(event: Event) -> QuerySet[Question]:
    return event.questions.all()


def questions_with_counts(event: Event) -> list[Question]:
    """The host's list: each question with how many people answered it."""
    return list(event.questions.annotate(answer_count=Count("answers")))


def access_rollup(event: Event) -> list[tuple[str, int]]:
    """What the host must arrange for the people still coming: [("ASL interpretation", 3)]."""
    answers = (
        Answer.objects.filter(
            registration__event=event, question__common__in=training_questions.ROLLED_UP
        )
        .exclude(registration__status=Registration.Status.CANCELLED)
        .select_related("question")
    )
    return training_questions.rollup(answers)


def share_links(event: Event) -> QuerySet[ShareLink]:
    return event.share_links.all()


def source_counts(event: Event) -> dict[str, list[tuple[str, int]]]:
    """Where the sign-ups still standing came from, counted by ?source=, share link (by the
    name of whom it is for), utm_source, utm_campaign and referring website."""
    data = event.registrations.exclude(status=Registration.Status.CANCELLED).values_list(
        "referrer_data", flat=True
    )
    labels = dict(event.share_links.values_list("code", "label"))
    counts: dict[str, Counter[str]] = {
        key: Counter() for key in ("source", "referrer", "utm_source", "utm_campaign", "website")
    }
    for referrer in data:
        referrer = referrer if isinstance(referrer, dict) else {}
        for key, counter in counts.items():
            value = str(referrer.get(key, "") or "")
            if key == "referrer" and value:
                value = labels.get(value, value)
            if key == "website" and value:
                value = urlsplit(value).hostname or value
            counter[value or ""] += 1
    return {
        key: sorted(((k, n) for k, n in counter.items() if k), key=lambda item: (-item[1], item[0]))
        for key, counter in counts.items()
    }


def pending_signup(token: str) -> PendingSignup | None:
    """The waiting sign-up a mailed link opens (expired or not)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return (
        PendingSignup.objects.select_related("event__city__subdivision")
        .filter(token_hash=token_hash(token))
        .first()
    )


def answers_of(registration: Registration) -> dict[int, object]:
    """A registration's answers by question id (to fill the answers form)."""
    return {answer.question_id: answer.value for answer in registration.answers.all()}


def question_responses(registration: Registration) -> list[dict]:
    """For the API's attendances (only for callers who may see attendees): the answers in
    OSDI's add_questions_responses shape. Prefetch with selectors.answers_prefetch() for lists."""
    answers = registration.answers.all()
    if "answers" not in getattr(registration, "_prefetched_objects_cache", {}):
        answers = answers.select_related("question").order_by("question__position", "question_id")
    return training_questions.osdi_responses(answers)
