import pytest

from strategists.referrals import question_services, services
from strategists.referrals.models import Resource, ResourceChange, Routing
from tests.permissions import Row, case_id, cases, run_row

from .conftest import RECORDS, listed

# Everyone signed in who holds no power over the directory or the questions at hand: an expert is
# no curator, and the attacker roles (pending or declined applicant, ex-host, other host) are members.
PLAIN = ["member", "host", "expert", "applicant", "declined", "ex_host", "other_host"]


def roles(
    *, visitor: int, plain: int, coordinator: int, curator: int, **exceptions: int
) -> dict[str, int]:
    return {
        "visitor": visitor,
        **dict.fromkeys(PLAIN, plain),
        "coordinator": coordinator,
        "curator": curator,
        **exceptions,
    }


ALL = roles(visitor=200, plain=200, coordinator=200, curator=200)
MEMBERS = roles(visitor=302, plain=200, coordinator=200, curator=200)
MEMBERS_POST = roles(visitor=302, plain=302, coordinator=302, curator=302)
CURATORS = roles(visitor=302, plain=403, coordinator=200, curator=200)
CURATORS_POST = roles(visitor=302, plain=403, coordinator=302, curator=302)
COORDINATORS_POST = roles(visitor=302, plain=403, coordinator=302, curator=403)
POST_ONLY = dict.fromkeys(ALL, 405)
# A question is personal: its asker (world.other), the expert it went to, coordinators.
QUESTION = roles(visitor=302, plain=404, coordinator=200, curator=404, expert=200)


def resource(world):
    if not hasattr(world, "resource"):
        world.resource = listed("texting")
    return world.resource


def other_listed(world):
    if not hasattr(world, "other_listed"):
        world.other_listed = listed("listserv")
    return world.other_listed


def pending(world):
    if not hasattr(world, "pending"):
        world.pending = services.resource_suggest(
            by=world.other,
            kind="guide",
            name="A guide",
            url="",
            summary="A guide to websites.",
            description="",
            tags=[],
            cost="free",
            region="us",
            skill_areas=["web-and-cms"],
        )
    return world.pending


def merged(world):
    if not hasattr(world, "merged"):
        world.merged = listed("security")
        services.resource_merge(duplicate=world.merged, keep=resource(world), by=world.coordinator)
    return world.merged


def change_by(world, proposer):
    """A new web address for the listed resource, proposed by ``proposer``."""
    return services.resource_change_propose(
        resource=resource(world), by=proposer, url="https://strike-text.example.org/new"
    )


def review(world):
    if not hasattr(world, "review"):
        world.review = services.review_save(
            resource=resource(world),
            author=world.other,
            rating=4,
            used_for="Strike vote",
            would_recommend=True,
        )
    return world.review


def _routed_to_expert(world, question):
    """Sent to world.expert only, so the matrix says exactly who may see it."""
    question.routings.exclude(expert=world.expert).delete()
    Routing.objects.get_or_create(question=question, expert=world.expert)
    return question


def question(world):
    """Otto's open question about email lists, routed to the expert."""
    if not hasattr(world, "question"):
        world.question = _routed_to_expert(
            world,
            question_services.question_post(
                asker=world.other, text="Which email list tool for our union?"
            ),
        )
    return world.question


def answered(world):
    if not hasattr(world, "answered"):
        q = _routed_to_expert(
            world,
            question_services.question_post(
                asker=world.other, text="How do we text members before a vote?"
            ),
        )
        answer = question_services.answer_post(
            question=q, author=world.expert, body="Use a peer-to-peer texting tool."
        )
        world.answered = question_services.answer_accept(answer=answer, by=world.other)
    return world.answered


def answer_of(world):
    q = question(world)
    if not hasattr(world, "answer"):
        world.answer = question_services.answer_post(
            question=q, author=world.expert, body="Try a list tool."
        )
    return world.answer


RESOURCE_FORM = {**RECORDS["texting"], "name": "Strike Text Pro", "tags": "sms"}


def _public_id(factory):
    return lambda w: {"public_id": factory(w).public_id}


MATRIX = [
    Row("referrals:ask", ALL),
    Row("referrals:directory", ALL),
    Row("referrals:suggest", MEMBERS),
    Row("referrals:suggest", MEMBERS_POST, "POST", data=RESOURCE_FORM),
    Row("referrals:curate", CURATORS),
    Row("referrals:resource", ALL, kwargs=_public_id(resource)),
    Row(
        "referrals:resource",
        roles(visitor=302, plain=404, coordinator=200, curator=200),
        kwargs=_public_id(pending),
    ),
    Row("referrals:resource", dict.fromkeys(ALL, 301), kwargs=_public_id(merged)),
    Row("referrals:edit", CURATORS, kwargs=_public_id(resource)),
    Row(
        "referrals:edit",
        CURATORS_POST,
        "POST",
        kwargs=_public_id(resource),
        data={**RESOURCE_FORM, "url": "https://phishing.example.com/"},
    ),
    Row("referrals:approve", POST_ONLY, kwargs=_public_id(pending)),
    Row("referrals:approve", CURATORS_POST, "POST", kwargs=_public_id(pending)),
    Row("referrals:retire", CURATORS, kwargs=_public_id(resource)),
    Row(
        "referrals:retire",
        CURATORS_POST,
        "POST",
        kwargs=_public_id(resource),
        data={"reason": "Gone"},
    ),
    Row("referrals:merge", CURATORS, kwargs=_public_id(resource)),
    Row(
        "referrals:merge",
        CURATORS_POST,
        "POST",
        kwargs=_public_id(resource),
        data=lambda w: {"keep": other_listed(w).public_id},
    ),
    Row(
        "referrals:change_approve",
        POST_ONLY,
        kwargs=lambda w: {"pk": change_by(w, w.coordinator).pk},
    ),
    Row(
        "referrals:change_approve",
        {**CURATORS_POST, "coordinator": 403},
        "POST",
        kwargs=lambda w: {"pk": change_by(w, w.coordinator).pk},
    ),
    Row(
        "referrals:change_approve",
        {**CURATORS_POST, "curator": 403},
        "POST",
        kwargs=lambda w: {"pk": change_by(w, w.curator).pk},
    ),
    Row(
        "referrals:change_reject",
        POST_ONLY,
        kwargs=lambda w: {"pk": change_by(w, w.coordinator).pk},
    ),
    Row(
        "referrals:change_reject",
        {**CURATORS_POST, "coordinator": 403},
        "POST",
        kwargs=lambda w: {"pk": change_by(w, w.coordinator).pk},
        data={"note": "Not their site."},
    ),
    Row(
        "referrals:change_reject",
        {**CURATORS_POST, "curator": 403},
        "POST",
        kwargs=lambda w: {"pk": change_by(w, w.curator).pk},
    ),
    Row("referrals:review", MEMBERS, kwargs=_public_id(resource)),
    Row(
        "referrals:review",
        MEMBERS_POST,
        "POST",
        kwargs=_public_id(resource),
        data={"rating": "4", "used_for": "Strike vote", "would_recommend": "yes"},
    ),
    Row(
        "referrals:review",
        roles(visitor=302, plain=403, coordinator=403, curator=403),
        kwargs=_public_id(pending),
    ),
    Row(
        "referrals:review",
        roles(visitor=302, plain=403, coordinator=403, curator=403),
        "POST",
        kwargs=_public_id(pending),
        data={"rating": "4", "used_for": "Strike vote", "would_recommend": "yes"},
    ),
    Row("referrals:review_hide", POST_ONLY, kwargs=lambda w: {"pk": review(w).pk}),
    Row(
        "referrals:review_hide",
        COORDINATORS_POST,
        "POST",
        kwargs=lambda w: {"pk": review(w).pk},
        data={"reason": "Advertising"},
    ),
    Row("referrals:review_show", POST_ONLY, kwargs=lambda w: {"pk": review(w).pk}),
    Row("referrals:review_show", COORDINATORS_POST, "POST", kwargs=lambda w: {"pk": review(w).pk}),
    Row("referrals:questions", MEMBERS),
    Row("referrals:question_new", MEMBERS),
    Row(
        "referrals:question_new",
        MEMBERS_POST,
        "POST",
        data={"text": "Which texting tool for a strike vote?"},
    ),
    Row("referrals:question", QUESTION, kwargs=lambda w: {"pk": question(w).pk}),
    Row("referrals:question", QUESTION, kwargs=lambda w: {"pk": answered(w).pk}),
    Row("referrals:answer", POST_ONLY, kwargs=lambda w: {"pk": question(w).pk}),
    Row(
        "referrals:answer",
        {**QUESTION, "expert": 302, "coordinator": 403},
        "POST",
        kwargs=lambda w: {"pk": question(w).pk},
        data={"body": "Use a list tool."},
    ),
    Row(
        "referrals:accept",
        POST_ONLY,
        kwargs=lambda w: {"pk": question(w).pk, "answer_pk": answer_of(w).pk},
    ),
    Row(
        "referrals:accept",
        {**QUESTION, "expert": 403, "coordinator": 403},
        "POST",
        kwargs=lambda w: {"pk": question(w).pk, "answer_pk": answer_of(w).pk},
    ),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]


def test_asker_accepts_an_answer(client, world):
    answer = answer_of(world)
    client.force_login(world.other)

    response = client.post(f"/where-to-go/questions/{answer.question_id}/accept/{answer.pk}/")

    assert response.status_code == 302
    answer.question.refresh_from_db()
    assert (answer.question.status, answer.question.accepted_answer_id) == ("answered", answer.pk)


def test_asker_sees_their_own_question(client, world):
    client.force_login(world.other)

    response = client.get(f"/where-to-go/questions/{question(world).pk}/")

    assert (response.status_code, response.context["question"].pk) == (200, question(world).pk)


def test_suggester_sees_their_pending_suggestion(client, world):
    client.force_login(world.other)

    response = client.get(f"/where-to-go/r/{pending(world).public_id}/")

    assert (response.status_code, response.context["resource"].status) == (200, "pending")


def test_refused_posts_change_nothing(client_for, world):
    """The write rows above, replayed by a plain expert: the directory is as it was."""
    target, waiting = resource(world), pending(world)
    client = client_for("expert")

    client.post(
        f"/where-to-go/r/{target.public_id}/edit/",
        {**RESOURCE_FORM, "url": "https://phish.example.com/"},
    )
    client.post(f"/where-to-go/r/{waiting.public_id}/approve/")
    client.post(f"/where-to-go/r/{target.public_id}/retire/", {"reason": "Gone"})
    client.post(
        f"/where-to-go/r/{target.public_id}/merge/", {"keep": other_listed(world).public_id}
    )

    rows = Resource.objects.filter(pk__in=[target.pk, waiting.pk]).order_by("pk")
    assert list(rows.values_list("name", "url", "status")) == [
        ("Strike Text", "https://strike-text.example.org", "approved"),
        ("A guide", "", "pending"),
    ]
    assert ResourceChange.objects.count() == 0
