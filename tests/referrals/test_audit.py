"""Every write in Where to go leaves one audit entry, in its own transaction."""

import datetime as dt
import io
import json

import pytest
from django.utils import timezone

from strategists.common.models import AuditEntry
from strategists.referrals import question_services, services
from strategists.referrals.models import Routing
from strategists.referrals.transfer import resources_import

from .conftest import RECORDS, listed

pytestmark = pytest.mark.django_db

NEW = "https://strike-text.example.org/v2"


def _suggestion(w):
    return services.resource_suggest(by=w.member, **RECORDS["security"])


def _question(w):
    question = question_services.question_post(
        asker=w.other, text="Which email list tool for our union?"
    )
    Routing.objects.get_or_create(question=question, expert=w.expert)
    return question


def _answer(w):
    return question_services.answer_post(
        question=_question(w), author=w.expert, body="A list tool."
    )


def _review(w):
    return services.review_save(
        resource=listed("texting"), author=w.member, rating=4, used_for="Vote", would_recommend=True
    )


def _change(w):
    return services.resource_change_propose(resource=listed("texting"), by=w.curator, url=NEW)


# (action, what the call does, who the entry names as actor, the expected before/after or data)
CASES = [
    (
        "resource.suggested",
        lambda w: _suggestion(w),
        "member",
        lambda e: e.data["after"]["url"] == "https://rescue.example.org",
    ),
    (
        "resource.updated",
        lambda w: services.resource_update(
            resource=listed("texting"),
            by=w.curator,
            name="Strike Text Pro",
            skill_areas=["web-and-cms"],
        ),
        "curator",
        lambda e: (
            (e.data["before"], e.data["after"])
            == (
                {"name": "Strike Text", "skill_areas": ["email-and-lists", "online-to-offline"]},
                {"name": "Strike Text Pro", "skill_areas": ["web-and-cms"]},
            )
        ),
    ),
    (
        "resource.url_change_proposed",
        lambda w: services.resource_update(resource=listed("texting"), by=w.curator, url=NEW),
        "curator",
        lambda e: (
            (e.data["before"], e.data["after"])
            == ({"url": "https://strike-text.example.org"}, {"url": NEW})
        ),
    ),
    (
        "resource.url_change_approved",
        lambda w: services.resource_change_approve(change=_change(w), by=w.coordinator),
        "coordinator",
        lambda e: e.data["after"] == {"url": NEW},
    ),
    (
        "resource.url_change_rejected",
        lambda w: services.resource_change_reject(change=_change(w), by=w.coordinator, note="No."),
        "coordinator",
        lambda e: (e.data["proposed"], e.data["note"]) == ({"url": NEW}, "No."),
    ),
    (
        "resource.approved",
        lambda w: services.resource_approve(resource=_suggestion(w), by=w.curator),
        "curator",
        lambda e: (
            (e.data["before"], e.data["after"]["status"]) == ({"status": "pending"}, "approved")
        ),
    ),
    (
        "resource.retired",
        lambda w: services.resource_retire(resource=listed("texting"), by=w.curator, reason="Gone"),
        "curator",
        lambda e: (e.data["after"], e.data["reason"]) == ({"status": "retired"}, "Gone"),
    ),
    (
        "resource.merged",
        lambda w: services.resource_merge(
            duplicate=listed("security"), keep=listed("texting"), by=w.curator
        ),
        "curator",
        lambda e: e.data["after"]["status"] == "merged",
    ),
    ("review.created", lambda w: _review(w), "member", lambda e: e.data["after"]["rating"] == 4),
    (
        "review.updated",
        lambda w: services.review_save(
            resource=_review(w).resource,
            author=w.member,
            rating=2,
            used_for="Vote",
            would_recommend=False,
        ),
        "member",
        lambda e: (
            (e.data["before"], e.data["after"])
            == ({"rating": 4, "would_recommend": True}, {"rating": 2, "would_recommend": False})
        ),
    ),
    (
        "review.hidden",
        lambda w: services.review_hide(review=_review(w), by=w.coordinator, reason="Spam"),
        "coordinator",
        lambda e: e.data["reason"] == "Spam",
    ),
    (
        "review.shown",
        lambda w: services.review_show(
            review=services.review_hide(review=_review(w), by=w.coordinator, reason="Spam"),
            by=w.coordinator,
        ),
        "coordinator",
        lambda e: e.data["after"] == {"hidden": False},
    ),
    ("question.asked", lambda w: _question(w), "other", lambda e: "routed_to" in e.data),
    ("answer.posted", lambda w: _answer(w), "expert", lambda e: e.data["cited"] == []),
    (
        "answer.updated",
        lambda w: question_services.answer_post(
            question=_answer(w).question, author=w.expert, body="Two."
        ),
        "expert",
        lambda e: e.data["cited"] == [],
    ),
    (
        "answer.accepted",
        lambda w: question_services.answer_accept(answer=_answer(w), by=w.other),
        "other",
        lambda e: e.data["after"] == {"status": "answered"},
    ),
    (
        "question.closed",
        lambda w: question_services.question_close(question=_question(w), by=w.other),
        "other",
        lambda e: e.data["after"] == {"status": "closed"},
    ),
    (
        "question.escalated",
        lambda w: (
            _question(w),
            question_services.questions_escalate_due(now=timezone.now() + dt.timedelta(days=4)),
        ),
        None,
        lambda e: "routed_to" in e.data,
    ),
]


@pytest.mark.parametrize(("action", "call", "actor", "check"), CASES, ids=[c[0] for c in CASES])
def test_each_service_writes_its_audit_entry(world, action, call, actor, check):
    call(world)

    entry = AuditEntry.objects.get(action=action)
    assert entry.actor == (getattr(world, actor) if actor else None)
    assert check(entry)


def test_an_import_is_one_audit_entry_naming_changed_addresses(world):
    texting = listed("texting")
    lines = [
        json.dumps({**RECORDS["texting"], "id": texting.public_id, "url": NEW}),
        json.dumps({**RECORDS["listserv"], "id": "R900"}),
    ]

    resources_import(io.StringIO("\n".join(lines)))

    entry = AuditEntry.objects.get(action="resources.imported")
    assert entry.data == {"created": 1, "updated": 1, "urls_changed": [texting.public_id]}


def test_an_unchanged_edit_writes_no_entry(world):
    resource = listed("texting")

    services.resource_update(
        resource=resource,
        by=world.curator,
        **{k: v for k, v in RECORDS["texting"].items() if k != "skill_areas"},
    )

    assert AuditEntry.objects.filter(action__startswith="resource.u").count() == 0
