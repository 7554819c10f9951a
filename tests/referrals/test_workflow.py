"""Suggest, curate, review, merge, retire; questions routed, answered, accepted, escalated."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from strategists.accounts.models import SkillArea
from strategists.common.models import OutgoingMail
from strategists.common.schedule import all_jobs
from strategists.referrals import question_services, services
from strategists.referrals.ask_service import ask
from strategists.referrals.models import Answer, Question, Resource, Review, Routing
from strategists.referrals.selectors import directory
from tests.factories import ExpertProfileFactory, UserFactory, city

from .conftest import RECORDS, curator

pytestmark = pytest.mark.django_db


def test_a_members_suggestion_waits_until_a_curator_approves_it(world):
    resource = services.resource_suggest(by=world.member, **RECORDS["texting"])
    assert (resource.status, ask("strike vote texting").results) == ("pending", [])

    services.resource_approve(resource=resource, by=world.curator)

    resource.refresh_from_db()
    assert (resource.status, resource.approved_by) == ("approved", world.curator)
    assert [pid for pid, _ in ask("strike vote texting").results] == [resource.public_id]
    assert list(
        OutgoingMail.objects.filter(kind="referrals-approved").values_list("to", flat=True)
    ) == [world.member.email]


def test_one_review_per_member_per_resource_is_a_database_constraint(world, texting):
    Review.objects.create(resource=texting, author=world.member, rating=4, used_for="x")

    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(resource=texting, author=world.member, rating=2, used_for="y")


def test_saving_a_review_twice_edits_it(world, texting):
    services.review_save(
        resource=texting, author=world.member, rating=2, used_for="Vote", would_recommend=False
    )

    review = services.review_save(
        resource=texting,
        author=world.member,
        rating=5,
        used_for="Strike vote",
        would_recommend=True,
        cost_paid=1200,
        cost_note="union rate",
    )

    assert list(
        Review.objects.values_list("rating", "used_for", "cost_paid", "would_recommend")
    ) == [(5, "Strike vote", 1200, True)]
    assert review.pk == Review.objects.get().pk


def test_ratings_and_cost_ranges_count_only_visible_reviews(world, texting):
    services.review_save(
        resource=texting,
        author=world.member,
        rating=5,
        used_for="a",
        would_recommend=True,
        cost_paid=100,
    )
    services.review_save(
        resource=texting,
        author=world.host,
        rating=3,
        used_for="b",
        would_recommend=False,
        cost_paid=900,
    )
    spam = services.review_save(
        resource=texting,
        author=world.other,
        rating=1,
        used_for="buy pills",
        would_recommend=False,
        cost_paid=99999,
    )

    services.review_hide(review=spam, by=world.coordinator, reason="Spam")

    row = directory().get()
    assert (
        row.review_count,
        row.average_rating,
        row.cost_low,
        row.cost_high,
        row.recommend_count,
    ) == (2, 4.0, 100, 900, 1)


def test_hiding_a_review_needs_a_reason(world, texting):
    review = services.review_save(
        resource=texting, author=world.member, rating=5, used_for="a", would_recommend=True
    )

    with pytest.raises(ValidationError):
        services.review_hide(review=review, by=world.coordinator, reason="  ")


def test_merge_moves_reviews_and_citations_and_redirects(client, world, three):
    keep, duplicate, _ = three
    services.review_save(
        resource=duplicate, author=world.member, rating=4, used_for="old", would_recommend=True
    )
    services.review_save(
        resource=duplicate, author=world.host, rating=2, used_for="older", would_recommend=True
    )
    services.review_save(
        resource=keep, author=world.host, rating=5, used_for="newer", would_recommend=True
    )
    question = question_services.question_post(asker=world.other, text="Who cleans hacked sites?")
    answer = question_services.answer_post(
        question=question, author=world.expert, body="Them.", cited=[duplicate]
    )

    services.resource_merge(duplicate=duplicate, keep=keep, by=world.curator)

    assert sorted(keep.reviews.values_list("author__email", "used_for")) == [
        ("host@example.net", "newer"),
        ("member@example.net", "old"),
    ]
    assert list(answer.cited.values_list("public_id", flat=True)) == [keep.public_id]
    response = client.get(f"/where-to-go/r/{duplicate.public_id}/")
    assert (response.status_code, response["Location"]) == (
        301,
        f"/where-to-go/r/{keep.public_id}/",
    )
    assert duplicate.public_id not in [pid for pid, _ in ask("malware removal wordpress").results]


def test_retired_resources_stay_visible_but_leave_search(client, texting):
    services.resource_retire(resource=texting, by=curator(), reason="Company closed")

    response = client.get(f"/where-to-go/r/{texting.public_id}/")

    assert "Retired: Company closed" in response.content.decode()
    assert ask("strike vote texting").results == []
    assert client.get("/where-to-go/directory/").context["page"].paginator.count == 0


def _expert(email, areas, languages=("en",), city_name=("Detroit", "MI")):
    profile = ExpertProfileFactory(
        user__email=email,
        user__name=email.split("@")[0],
        home_city=city(*city_name),
        skill_areas=SkillArea.objects.filter(id__in=areas),
        languages=list(languages),
    )
    return profile.user


def test_a_question_goes_to_the_three_best_matching_experts(world):
    security = [_expert(f"sec{i}@example.net", ["digital-security"]) for i in range(3)]
    _expert("far@example.net", ["digital-security"], city_name=("Seattle", "WA"))
    _expert("other-area@example.net", ["social-media"])

    question = question_services.question_post(
        asker=world.member, text="Our website got hacked, malware everywhere"
    )

    # Equal matches in area, language and city: the earliest experts win the tie.
    routed = set(question.routings.values_list("expert__email", flat=True))
    assert routed == {world.expert.email, security[0].email, security[1].email}
    assert OutgoingMail.objects.filter(kind="referrals-question").count() == 3


def test_spanish_questions_prefer_experts_who_speak_spanish(world):
    speaker = _expert("habla@example.net", ["email-and-lists"], languages=("en", "es"))

    question = question_services.question_post(
        asker=world.member,
        text="¿Qué herramienta usamos para mandar mensajes de texto a los miembros?",
    )

    assert question.language == "es"
    assert question.routings.order_by("-score").first().expert == speaker


def test_experts_get_at_most_three_question_mails_a_day(world):
    for n in range(5):
        question_services.question_post(
            asker=UserFactory(), text=f"How do we secure our member list, case {n}?"
        )

    mails = OutgoingMail.objects.filter(to=world.expert.email, kind="referrals-question").order_by(
        "pk"
    )
    today = timezone.localdate()
    days = [timezone.localdate(m.not_before) if m.not_before else today for m in mails]
    assert days == [today] * 3 + [today + dt.timedelta(days=1)] * 2


# A Tuesday afternoon in the site's time zone; the cap counts calendar days there.
NOW = timezone.make_aware(dt.datetime(2026, 3, 10, 15, 0))
MIDNIGHT = timezone.make_aware(dt.datetime(2026, 3, 10, 0, 0))
TOMORROW_9 = timezone.make_aware(dt.datetime(2026, 3, 11, 9, 0))


def _routed(expert, *times):
    """Earlier routings of ``expert`` heard of at ``times``, with no mail beside them (closed, so
    they add no load to the match)."""
    for at in times:
        question = Question.objects.create(
            asker=UserFactory(), text="An earlier question", status=Question.Status.CLOSED
        )
        Routing.objects.create(question=question, expert=expert, notify_at=at)


@pytest.mark.parametrize(
    ("earlier", "heard_at"),
    [(question_services.DAILY_CAP - 1, NOW), (question_services.DAILY_CAP, TOMORROW_9)],
)
def test_the_daily_cap_counts_the_routings_of_the_day(world, earlier, heard_at):
    # ``earlier`` routings today; one a minute before midnight belongs to yesterday.
    _routed(world.expert, *[MIDNIGHT + dt.timedelta(hours=1 + n) for n in range(earlier)])
    _routed(world.expert, MIDNIGHT - dt.timedelta(minutes=1))

    question = question_services.question_post(
        asker=world.member, text="How do we secure our member list?", now=NOW
    )

    routing = question.routings.get(expert=world.expert)
    mail = OutgoingMail.objects.get(to=world.expert.email, kind="referrals-question")
    assert (routing.notify_at, mail.not_before) == (heard_at, None if heard_at == NOW else heard_at)


def test_questions_put_off_to_tomorrow_count_against_tomorrow(world):
    _routed(
        world.expert,
        *[NOW] * question_services.DAILY_CAP,
        *[TOMORROW_9] * question_services.DAILY_CAP,
    )

    question = question_services.question_post(
        asker=world.member, text="How do we secure our member list?", now=NOW
    )

    day_after = timezone.make_aware(dt.datetime(2026, 3, 12, 9, 0))
    assert question.routings.get(expert=world.expert).notify_at == day_after
    assert (
        OutgoingMail.objects.get(to=world.expert.email, kind="referrals-question").not_before
        == day_after
    )


def test_answer_accept_notifies_and_makes_the_answer_searchable(world, texting):
    question = question_services.question_post(
        asker=world.member, text="Tool to text members before the strike vote?"
    )
    answer = question_services.answer_post(
        question=question, author=world.expert, body="Peer-to-peer texting.", cited=[texting]
    )

    with pytest.raises(ValidationError):
        question_services.answer_accept(answer=answer, by=world.other)
    question_services.answer_accept(answer=answer, by=world.member)

    question.refresh_from_db()
    assert (question.status, question.accepted_answer) == ("answered", answer)
    assert [pk for pk, _ in ask("texting strike vote", with_questions=True).questions] == [
        question.pk
    ]
    assert set(OutgoingMail.objects.values_list("to", "kind")) >= {
        (world.member.email, "referrals-answer"),
        (world.expert.email, "referrals-accepted"),
    }
    with pytest.raises(ValidationError):
        question_services.answer_post(question=question, author=world.expert, body="More.")


def test_unanswered_questions_escalate_after_three_days(world):
    _expert("second@example.net", ["digital-security"])
    question = question_services.question_post(
        asker=world.member, text="Who audits our union's digital security?"
    )
    first_round = set(question.routings.values_list("expert_id", flat=True))
    later = timezone.now() + dt.timedelta(days=3, minutes=1)

    assert question_services.questions_escalate_due(now=timezone.now()) == 0
    assert question_services.questions_escalate_due(now=later) == 1
    assert question_services.questions_escalate_due(now=later) == 0

    question.refresh_from_db()
    assert question.escalated_at == later
    second_round = set(question.routings.filter(round=2).values_list("expert_id", flat=True))
    assert not (first_round & second_round)
    assert list(
        OutgoingMail.objects.filter(kind="referrals-escalated").values_list("to", flat=True)
    ) == [world.coordinator.email]


def test_answered_questions_do_not_escalate(world):
    question = question_services.question_post(
        asker=world.member, text="Who audits our union's digital security?"
    )
    question_services.answer_post(
        question=question, author=world.expert, body="Ask a security consultant."
    )

    assert question_services.questions_escalate_due(now=timezone.now() + dt.timedelta(days=4)) == 0


def test_the_escalation_job_is_scheduled():
    assert (3600, "strategists.referrals.question_services.questions_escalate_due") in all_jobs()


def test_cited_resources_must_be_listed(world, texting):
    pending = services.resource_suggest(by=world.member, **RECORDS["security"])
    question = question_services.question_post(asker=world.member, text="Who cleans hacked sites?")

    answer = question_services.answer_post(
        question=question, author=world.expert, body="These.", cited=[texting, pending]
    )

    assert list(answer.cited.all()) == [texting]
    assert (Question.objects.count(), Answer.objects.count(), Routing.objects.count()) == (1, 1, 1)
    assert Resource.objects.get(pk=pending.pk).status == "pending"
