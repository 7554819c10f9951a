import pytest

from strategists.referrals import services
from tests.permissions import Row, case_id, cases, run_row

from .conftest import listed

ALL = {"visitor": 200, "member": 200, "host": 200, "expert": 200, "coordinator": 200}
MEMBERS = {"visitor": 302, "member": 200, "host": 200, "expert": 200, "coordinator": 200}
CURATORS = {"visitor": 302, "member": 403, "host": 403, "expert": 200, "coordinator": 200}
CURATORS_POST = {**CURATORS, "expert": 302, "coordinator": 302}
COORDINATORS_POST = {"visitor": 302, "member": 403, "host": 403, "expert": 403, "coordinator": 302}


def resource(world):
    if not hasattr(world, "resource"):
        world.resource = listed("texting")
    return world.resource


def pending(world):
    if not hasattr(world, "pending"):
        world.pending = services.resource_suggest(
            by=world.other, kind="guide", name="A guide", url="", summary="A guide to websites.",
            description="", tags=[], cost="free", region="us", skill_areas=["web-and-cms"])
    return world.pending


def merged(world):
    if not hasattr(world, "merged"):
        world.merged = listed("security")
        services.resource_merge(duplicate=world.merged, keep=resource(world), by=world.coordinator)
    return world.merged


def review(world):
    if not hasattr(world, "review"):
        world.review = services.review_save(resource=resource(world), author=world.other, rating=4,
                                            used_for="Strike vote", would_recommend=True)
    return world.review


def question(world):
    """Otto's open question about email lists, routed to the expert."""
    if not hasattr(world, "question"):
        world.question = services.question_post(asker=world.other, text="Which email list tool for our union?")
    return world.question


def answered(world):
    if not hasattr(world, "answered"):
        q = services.question_post(asker=world.other, text="How do we text members before a vote?")
        answer = services.answer_post(question=q, author=world.expert, body="Use a peer-to-peer texting tool.")
        world.answered = services.answer_accept(answer=answer, by=world.other)
    return world.answered


def answer_of(world):
    q = question(world)
    if not hasattr(world, "answer"):
        world.answer = services.answer_post(question=q, author=world.expert, body="Try a list tool.")
    return world.answer


MATRIX = [
    Row("referrals:ask", ALL),
    Row("referrals:directory", ALL),
    Row("referrals:suggest", MEMBERS),
    Row("referrals:curate", CURATORS),
    Row("referrals:resource", ALL, kwargs=lambda w: {"public_id": resource(w).public_id}),
    Row("referrals:resource", CURATORS, kwargs=lambda w: {"public_id": pending(w).public_id}),
    Row("referrals:resource", dict.fromkeys(ALL, 301), kwargs=lambda w: {"public_id": merged(w).public_id}),
    Row("referrals:edit", CURATORS, kwargs=lambda w: {"public_id": resource(w).public_id}),
    Row("referrals:approve", CURATORS_POST, "POST", kwargs=lambda w: {"public_id": pending(w).public_id}),
    Row("referrals:retire", CURATORS, kwargs=lambda w: {"public_id": resource(w).public_id}),
    Row("referrals:merge", CURATORS, kwargs=lambda w: {"public_id": resource(w).public_id}),
    Row("referrals:review", MEMBERS, kwargs=lambda w: {"public_id": resource(w).public_id}),
    Row("referrals:review", {**MEMBERS, "member": 403, "host": 403, "expert": 403, "coordinator": 403},
        kwargs=lambda w: {"public_id": pending(w).public_id}),
    Row("referrals:review_hide", COORDINATORS_POST, "POST", kwargs=lambda w: {"pk": review(w).pk},
        data={"reason": "Advertising"}),
    Row("referrals:review_show", COORDINATORS_POST, "POST", kwargs=lambda w: {"pk": review(w).pk}),
    Row("referrals:questions", MEMBERS),
    Row("referrals:question_new", MEMBERS),
    Row("referrals:question", CURATORS, kwargs=lambda w: {"pk": question(w).pk}),
    Row("referrals:question", MEMBERS, kwargs=lambda w: {"pk": answered(w).pk}),
    Row("referrals:answer", {"visitor": 302, "member": 403, "host": 403, "expert": 302, "coordinator": 403}, "POST",
        kwargs=lambda w: {"pk": question(w).pk}, data={"body": "Use a list tool."}),
    Row("referrals:accept", {"visitor": 302, "member": 403, "host": 403, "expert": 403, "coordinator": 403}, "POST",
        kwargs=lambda w: {"pk": question(w).pk, "answer_pk": answer_of(w).pk}),
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


def test_suggester_sees_their_pending_suggestion(client, world):
    client.force_login(world.other)

    response = client.get(f"/where-to-go/r/{pending(world).public_id}/")

    assert response.status_code == 200
