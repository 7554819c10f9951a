"""Pages: exact query counts at 1 and 3 items, and bad input for every form."""

import pytest
from django.utils import timezone

from strategists.referrals import question_services, services
from strategists.referrals.ask_service import ask
from strategists.referrals.models import QUESTION_MAX_CHARS, Question, Resource, Review, Routing
from tests.factories import ExpertProfileFactory, UserFactory

from .conftest import RECORDS, listed

pytestmark = pytest.mark.django_db


def _many(n):
    return [listed("texting", name=f"Strike Text {i}") for i in range(n)]


def _reviewers(resource, n):
    for i in range(n):
        services.review_save(
            resource=resource,
            author=UserFactory(),
            rating=4,
            used_for=f"use {i}",
            would_recommend=True,
            cost_paid=100 * i,
        )


# ----------------------------------------------------------------------------- query counts


@pytest.mark.parametrize("n", [1, 3])
def test_directory_queries(client, django_assert_num_queries, n):
    for resource in _many(n):
        _reviewers(resource, n)

    with django_assert_num_queries(4):  # count, area choices, page with ratings, skill areas
        response = client.get("/where-to-go/directory/")

    assert len(response.context["page"].object_list) == n


@pytest.mark.parametrize("n", [1, 3])
def test_directory_filtered_queries(client, django_assert_num_queries, n):
    _many(n)

    with django_assert_num_queries(5):  # + the skill area of the filter
        response = client.get(
            "/where-to-go/directory/?area=email-and-lists&kind=software&cost=paid&region=Michigan"
        )

    assert len(response.context["page"].object_list) == n


@pytest.mark.parametrize("n", [1, 3])
def test_ask_page_queries(client, world, django_assert_num_queries, n):
    for resource in _many(n):
        _reviewers(resource, n)
    ask("warm up")
    client.force_login(world.member)

    # session, user, version, full-text ids, index rows, resources, skill areas, questions'
    # full text, experts, their skill areas, their languages, the asker's city
    with django_assert_num_queries(12):
        response = client.get("/where-to-go/?q=texting+for+the+strike+vote")

    assert len(response.context["resources"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_curation_queue_queries(client, world, django_assert_num_queries, n):
    for i in range(n):
        services.resource_suggest(
            by=world.member, **{**RECORDS["security"], "name": f"Suggestion {i}"}
        )
        listed_one = listed("texting", name=f"Listed {i}")
        services.resource_change_propose(
            resource=listed_one, by=world.coordinator, url=f"https://new{i}.example.org"
        )
    client.force_login(world.curator)

    # session, user, Django's own permissions and groups (a curator is no moderator, so the
    # model backend is asked too), new web addresses (with resource and proposer), pending, skill
    # areas; no hidden reviews
    with django_assert_num_queries(7):
        response = client.get("/where-to-go/curate/")

    assert (len(response.context["pending"]), len(response.context["changes"])) == (n, n)


@pytest.mark.parametrize("n", [1, 3])
def test_resource_page_queries(client, world, texting, django_assert_num_queries, n):
    _reviewers(texting, n)
    client.force_login(world.member)

    # session, user, resource (+perm), resource with ratings, skill areas, reviews, own review
    # check (a member is no curator: no query for a pending change)
    with django_assert_num_queries(8):
        response = client.get(f"/where-to-go/r/{texting.public_id}/")

    assert len(response.context["reviews"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_questions_page_queries(client, world, django_assert_num_queries, n):
    for i in range(n):
        question_services.question_post(
            asker=world.member, text=f"Which email list tool for our union, case {i}?"
        )
        question_services.question_post(
            asker=world.other, text=f"Which email list tool for our local, case {i}?"
        )
    client.force_login(world.expert)
    question_services.question_post(
        asker=world.expert, text="Which texting tool should I use for a vote?"
    )

    # session, user, expert profile, mine, skill areas, inbox, skill areas
    with django_assert_num_queries(7):
        response = client.get("/where-to-go/questions/")

    assert len(response.context["inbox"]) == 2 * n


@pytest.mark.parametrize("n", [1, 3])
def test_question_page_queries(client, world, django_assert_num_queries, n):
    question = question_services.question_post(
        asker=world.member, text="Which email list tool for our union?"
    )
    for _ in range(n):
        expert = UserFactory()
        ExpertProfileFactory(user=expert)
        Routing.objects.create(question=question, expert=expert)
        question_services.answer_post(
            question=question, author=expert, body="This one.", cited=[listed("texting")]
        )
    client.force_login(world.member)

    # session, user, question (the asker's own: no routing check), question page, skill areas,
    # answers, cited, routings, expert profile (may they answer?)
    with django_assert_num_queries(9):
        response = client.get(f"/where-to-go/questions/{question.pk}/")

    assert len(response.context["question"].answers.all()) == n


# ----------------------------------------------------------------------------- bad input


NOTHING_MATCHES = (
    "Nothing in the directory matches that yet. Try other words, or ask the experts below."
)


@pytest.mark.parametrize(
    ("q", "shown"),
    [
        ("", None),
        ("   ", None),  # the empty box: the form alone
        ('"', NOTHING_MATCHES),
        ("NEAR(", NOTHING_MATCHES),
        ("🚀", NOTHING_MATCHES),
        ("a" * 499, NOTHING_MATCHES),
        ("texting AND", "Strike Text"),
        ("\x00", "Null characters are not allowed."),
    ],
)
def test_the_ask_box_answers_any_input(client, texting, q, shown):
    response = client.get("/where-to-go/", {"q": q})

    page = response.content.decode()
    assert (response.status_code, 'role="search"' in page) == (200, True)  # the box is always there
    if shown is None:
        assert ('id="ask-message"' in page, 'id="results"' in page) == (False, False)
    else:
        assert shown in page
    assert [resource.name for resource, _because in response.context.get("resources") or []] == (
        ["Strike Text"] if shown == "Strike Text" else []
    )


def test_one_length_limit_for_a_question(client, world, texting):
    client.force_login(world.member)
    longest, too_long = "texting " + "x" * (QUESTION_MAX_CHARS - 8), "x" * (QUESTION_MAX_CHARS + 1)

    assert client.get("/where-to-go/", {"q": longest}).context["form"].errors == {}
    assert list(client.get("/where-to-go/", {"q": too_long}).context["form"].errors) == ["q"]
    assert list(
        client.post("/where-to-go/questions/ask/", {"text": too_long}).context["form"].errors
    ) == ["text"]
    client.post("/where-to-go/questions/ask/", {"text": longest})
    assert Question.objects.get(asker=world.member).text == longest
    assert (
        len(question_services.question_post(asker=world.member, text=too_long + " more").text)
        == QUESTION_MAX_CHARS
    )


def test_the_ask_box_refuses_10000_characters_with_a_message(client, texting):
    response = client.get("/where-to-go/", {"q": "x" * 10_000})

    assert response.context["form"].errors == {
        "q": ["Keep your question under 500 characters (yours has 10000)."]
    }


def test_the_ask_box_says_when_nothing_matches(client, texting):
    response = client.get("/where-to-go/", {"q": "zzzz qqqq"})

    assert response.context["outcome"].message == (
        "Nothing in the directory matches that yet. Try other words, or ask the experts below."
    )


def test_directory_ignores_unknown_filters(client, texting):
    response = client.get(
        "/where-to-go/directory/", {"kind": "robot", "area": "juggling", "page": "x'--"}
    )

    assert (response.status_code, response.context["page"].paginator.count) == (200, 1)
    assert set(response.context["form"].errors) == {"kind", "area"}


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, {"name", "kind", "summary", "skill_areas", "cost", "region"}),
        (
            {
                **RECORDS["texting"],
                "url": "javascript:alert(1)",
                "kind": "robot",
                "cost": "cheap",
                "region": "Atlantis",
                "skill_areas": ["juggling"],
                "tags": ",".join(["t"] * 13) + ",x",
                "name": "x" * 201,
            },
            {"url", "kind", "cost", "region", "skill_areas", "name", "tags"},
        ),
        ({**RECORDS["texting"], "tags": ", ".join(f"tag{i}" for i in range(13))}, {"tags"}),
    ],
)
def test_suggest_form_rejects_bad_input(client, world, data, errors):
    client.force_login(world.member)

    response = client.post("/where-to-go/suggest/", data)

    assert (response.status_code, set(response.context["form"].errors)) == (200, errors)
    assert Resource.objects.filter(status="pending").count() == 0


def test_suggest_form_creates_a_pending_resource(client, world):
    client.force_login(world.member)
    data = {**RECORDS["texting"], "tags": "sms, Texting, sms"}

    response = client.post("/where-to-go/suggest/", data)

    resource = Resource.objects.get()
    assert response["Location"] == f"/where-to-go/r/{resource.public_id}/"
    assert (resource.status, resource.tags, resource.suggested_by) == (
        "pending",
        ["sms", "texting"],
        world.member,
    )


def test_edit_form_rejects_bad_input_and_saves_good(client, world, texting):
    client.force_login(world.curator)
    url = f"/where-to-go/r/{texting.public_id}/edit/"

    bad = client.post(url, {**RECORDS["texting"], "summary": "", "region": "Mars"})
    good = client.post(url, {**RECORDS["texting"], "name": "Strike Text Pro", "tags": "sms"})

    assert set(bad.context["form"].errors) == {"summary", "region"}
    assert (good.status_code, Resource.objects.get().name) == (302, "Strike Text Pro")


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, {"rating", "used_for", "would_recommend"}),
        (
            {"rating": "6", "used_for": "x", "would_recommend": "maybe", "cost_paid": "-5"},
            {"rating", "would_recommend", "cost_paid"},
        ),
        (
            {"rating": "0", "used_for": "x" * 1001, "would_recommend": "yes", "cost_paid": "lots"},
            {"rating", "used_for", "cost_paid"},
        ),
    ],
)
def test_review_form_rejects_bad_input(client, world, texting, data, errors):
    client.force_login(world.member)

    response = client.post(f"/where-to-go/r/{texting.public_id}/review/", data)

    assert set(response.context["form"].errors) == errors
    assert Review.objects.count() == 0


def test_review_form_creates_then_edits(client, world, texting):
    client.force_login(world.member)
    url = f"/where-to-go/r/{texting.public_id}/review/"

    client.post(url, {"rating": "3", "used_for": "Vote", "would_recommend": "no", "cost_paid": ""})
    client.post(
        url,
        {"rating": "5", "used_for": "Strike vote", "would_recommend": "yes", "cost_paid": "1200"},
    )

    assert list(
        Review.objects.values_list("rating", "used_for", "would_recommend", "cost_paid")
    ) == [(5, "Strike vote", True, 1200)]
    assert client.get(url).context["form"].initial["rating"] == 5


def test_hide_without_a_reason_is_refused(client, world, texting):
    review = services.review_save(
        resource=texting, author=world.member, rating=1, used_for="spam", would_recommend=False
    )
    client.force_login(world.coordinator)

    client.post(f"/where-to-go/reviews/{review.pk}/hide/", {"reason": ""})
    client.post(f"/where-to-go/reviews/{review.pk}/hide/", {"reason": "x" * 301})

    review.refresh_from_db()
    assert review.hidden_at is None


@pytest.mark.parametrize(
    ("keep", "error"),
    [
        ("", "This field is required."),
        ("R999", "No resource has the id R999."),
        ("SELF", "Pick a different resource to keep."),
    ],
)
def test_merge_form_rejects_bad_targets(client, world, texting, keep, error):
    client.force_login(world.coordinator)

    response = client.post(
        f"/where-to-go/r/{texting.public_id}/merge/",
        {"keep": texting.public_id if keep == "SELF" else keep},
    )

    assert response.context["form"].errors == {"keep": [error]}


def test_retire_form_needs_a_reason(client, world, texting):
    client.force_login(world.curator)

    response = client.post(f"/where-to-go/r/{texting.public_id}/retire/", {"reason": ""})

    assert response.context["form"].errors == {"reason": ["This field is required."]}
    assert Resource.objects.get().status == "approved"


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"text": ""}, {"text"}),
        ({"text": "short"}, {"text"}),
        ({"text": "x" * 501}, {"text"}),
        ({"text": "A real question here?", "details": "x" * 4001}, {"details"}),
    ],
)
def test_question_form_rejects_bad_input(client, world, data, errors):
    client.force_login(world.member)

    response = client.post("/where-to-go/questions/ask/", data)

    assert set(response.context["form"].errors) == errors


def test_question_form_prefills_from_the_ask_box(client, world):
    client.force_login(world.member)

    response = client.get("/where-to-go/questions/ask/", {"q": "texting for a vote"})

    assert response.context["form"].initial == {"text": "texting for a vote"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": ""}, "This field is required."),
        (
            {"body": "Use this.", "cited": "R999, DROP TABLE"},
            "Not in the directory: R999, DROP, TABLE",
        ),
    ],
)
def test_answer_form_rejects_bad_input(client, world, data, message):
    question = question_services.question_post(
        asker=world.member, text="Which email list tool for our union?"
    )
    client.force_login(world.expert)

    response = client.post(f"/where-to-go/questions/{question.pk}/answer/", data, follow=True)

    assert [str(m) for m in response.context["messages"]] == [message]
    assert question.answers.count() == 0


def test_accepting_twice_is_refused(client, world):
    question = question_services.question_post(
        asker=world.member, text="Which email list tool for our union?"
    )
    answer = question_services.answer_post(question=question, author=world.expert, body="This one.")
    client.force_login(world.member)
    url = f"/where-to-go/questions/{question.pk}/accept/{answer.pk}/"

    client.post(url)
    response = client.post(url, follow=True)

    assert [str(m) for m in response.context["messages"]][
        -1
    ] == "This question already has an accepted answer."
    assert timezone.now() >= question.created_at


@pytest.mark.parametrize("n", [1, 3])
def test_ask_page_with_answered_questions_queries(client, world, django_assert_num_queries, n):
    texting = listed("texting")
    for i in range(n):
        asker = UserFactory()
        question = question_services.question_post(
            asker=asker, text=f"Which texting tool for our strike vote, case {i}?"
        )
        Routing.objects.get_or_create(question=question, expert=world.expert)
        answer = question_services.answer_post(
            question=question, author=world.expert, body="Peer-to-peer texting.", cited=[texting]
        )
        question_services.answer_accept(answer=answer, by=asker)
    ask("warm up")
    client.force_login(world.expert)

    # session, user, version, full-text ids, index rows, questions' full text, cited ids, resources,
    # skill areas, answered questions, their cited resources, the ones sent to this expert (the
    # links they may open: one query, not one per question), the asker's city, experts, their
    # skill areas, their languages
    with django_assert_num_queries(16):
        response = client.get("/where-to-go/?q=texting+for+the+strike+vote")

    assert (len(response.context["questions"]), response.context["openable"]) == (
        n,
        {q.pk for q in response.context["questions"]},
    )


def test_each_answer_on_the_ask_page_says_why_it_matched(client, texting):
    page = client.get("/where-to-go/", {"q": "mass text members before a strike vote"})

    assert "Matched because:" in page.content.decode()
    assert "strike" in page.context["resources"][0][1]
