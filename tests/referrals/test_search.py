"""The database stage of ask: FTS5 / PostgreSQL candidates, re-ranked by the core."""

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategists.accounts.models import SkillArea
from strategists.referrals import ask_index, question_services, services
from strategists.referrals.ask import InMemoryAskEngine
from strategists.referrals.ask_service import ask
from strategists.referrals.models import QUESTION_MAX_CHARS as MAX_CHARS
from strategists.referrals.models import Resource, ResourceIndex, ResourcePosting, SearchState
from tests.factories import ExpertProfileFactory, city

from .conftest import RECORDS, curator, listed

pytestmark = pytest.mark.django_db


def ids(outcome):
    return [pid for pid, _ in outcome.results]


def test_ask_finds_the_resource_that_answers(three):
    outcome = ask("mass text members before the strike vote")

    assert ids(outcome)[0] == three[0].public_id
    assert outcome.message == ""


def test_ask_matches_the_in_memory_core(three):
    records = [{**r.as_record()} for r in Resource.objects.prefetch_related("skill_areas")]
    core = InMemoryAskEngine(records)

    for question in (
        "our site got hacked",
        "listserv for communicators",
        "texto masivo a los miembros",
    ):
        assert ask(question).results == core.ask(question)


def test_ask_leaves_out_pending_retired_and_merged(three):
    texting, security, _ = three
    pending = services.resource_suggest(
        by=texting.suggested_by.__class__.objects.create_user(
            "someone@example.net", name="Some One"
        ),
        **{**RECORDS["texting"], "name": "Pending Text"},
    )
    services.resource_retire(resource=security, by=curator(), reason="Gone")

    outcome = ask("texting malware")

    assert ids(outcome) == [texting.public_id]
    assert pending.status == "pending"


def test_update_reindexes_and_moves_the_statistics(texting):
    before = SearchState.objects.get().version

    services.resource_update(
        resource=texting,
        by=curator(),
        name="Picket Line Scheduler",
        summary="Shift scheduling for picket lines.",
        tags=["picket"],
    )

    assert ids(ask("picket shifts")) == [texting.public_id]
    assert ask("strike vote").results == []
    assert SearchState.objects.get().version > before
    assert SearchState.objects.get().stats["n_docs"] == 1


def test_rebuild_gives_the_same_index_and_statistics(three):
    state = SearchState.objects.get().stats
    rows = {r.pk: (r.doc, r.tf_text) for r in ResourceIndex.objects.all()}

    assert ask_index.index_rebuild() == 3

    assert SearchState.objects.get().stats == state
    assert {r.pk: (r.doc, r.tf_text) for r in ResourceIndex.objects.all()} == rows
    assert ids(ask("malware"))[0] == three[1].public_id


def test_ask_on_an_empty_directory_says_so(db):
    outcome = ask("anything at all")

    assert (outcome.results, bool(outcome.message)) == ([], True)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\x00\x01",
        '"',
        "NEAR(texting",
        'texting" OR "x',
        "texting*",
        "^texting",
        "{name}: texting",
        "'; DROP TABLE referrals_resource; --",
        "texting AND NOT",
        "🚀🔥 texting 🙏",
        "тексты для членов профсоюза",
        "组织工会 texting",
        "\ud800",
        "a" * 10_000,
        "texting " * 2_000,
        "R001",
        "-texting",
        "te:xt",
        "( ) )",
    ],
)
def test_bad_input_gives_results_or_a_message(texting, text):
    outcome = ask(text)

    assert outcome.results or outcome.message
    assert all(pid == texting.public_id for pid in ids(outcome))


def test_experts_come_from_the_questions_skill_areas(three):
    listing = _expert("lists@example.net", ["email-and-lists"])
    guard = _expert("guard@example.net", ["digital-security"])

    outcome = ask("our site got hacked with malware", experts=3)

    assert "digital-security" in outcome.analysis.skill_areas
    assert [m.user for m in outcome.experts] == [guard]
    assert listing.pk not in {m.user.pk for m in outcome.experts}


def test_a_question_in_no_known_area_takes_the_areas_of_the_top_results(three):
    texting = three[0]
    listing = _expert("lists@example.net", ["email-and-lists"])
    _expert("guard@example.net", ["digital-security"])

    outcome = ask("a shared queue", experts=3)

    assert (outcome.analysis.skill_areas, ids(outcome)) == ({}, [texting.public_id])
    # The texting tool's areas (email lists, online to offline), each at the fallback weight.
    assert [(m.user, [a.pk for a in m.areas]) for m in outcome.experts] == [
        (listing, ["email-and-lists"])
    ]


def test_no_areas_and_no_results_offer_no_experts(texting):
    _expert("lists@example.net", ["email-and-lists"])

    outcome = ask("zzzz qqqq", experts=3)

    assert (outcome.results, outcome.experts) == ([], [])


def test_the_resources_unread_full_text_is_gone(three):
    tables = connection.introspection.table_names()
    columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), "referrals_resourceindex"
        )
    }

    assert "referrals_resource_fts" not in tables
    assert columns == {"resource_id", "served", "head", "tf_text", "doc"}
    # The answered questions' full text is read (question_candidates): it stays.
    question_columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), "referrals_question"
        )
    }
    assert (
        ("referrals_question_fts" in tables)
        if connection.vendor == "sqlite"
        else ("search_vector" in question_columns)
    )


def test_long_questions_are_cut(texting):
    outcome = ask("texting " + "x" * 20_000)

    assert (outcome.truncated, len(outcome.text)) == (True, MAX_CHARS)
    assert ids(outcome) == [texting.public_id]


def test_only_safe_words_reach_sql(texting, django_assert_max_num_queries):
    with connection.execute_wrapper(_record) as _:
        _record.seen = []
        ask('texting" OR NEAR(a b) ; DROP')
    sql_texts = " ".join(sql for sql, _ in _record.seen)
    params = [p for _, ps in _record.seen for p in (ps or ())]
    assert "DROP" not in sql_texts and "NEAR" not in sql_texts
    assert not any(
        isinstance(p, str) and ("DROP" in p or "NEAR(" in p or 'texting"' in p) for p in params
    )


def _record(execute, sql, params, many, context):
    _record.seen.append((sql, params))
    return execute(sql, params, many, context)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_any_text_never_raises(texting, text):
    outcome = ask(text)

    assert outcome.results or outcome.message or outcome.results == []
    assert set(ids(outcome)) <= {texting.public_id}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(alphabet=st.sampled_from(list("\"*^:()-+ NEAROTAD texting{}[];'\\")), max_size=80)
)
def test_fts_syntax_never_raises(texting, text):
    outcome = ask(text)

    assert set(ids(outcome)) <= {texting.public_id}


def test_the_place_named_ranks_local_resources_first(db):
    ohio = listed(
        "security",
        name="Buckeye Web Shop",
        region="Ohio",
        summary="Web shop for locals.",
        tags=["web"],
        description="",
    )
    michigan = listed(
        "security",
        name="Mitten Web Shop",
        region="Michigan",
        summary="Web shop for locals.",
        tags=["web"],
        description="",
    )

    assert ids(ask("web shop in Michigan")) == [michigan.public_id, ohio.public_id]


def test_answered_questions_are_searchable_and_bring_their_citations(world, three):
    _texting, security, listserv = three
    question = question_services.question_post(
        asker=world.member, text="Who can fix our hacked WordPress site?"
    )
    answer = question_services.answer_post(
        question=question, author=world.expert, body="A malware cleanup service.", cited=[listserv]
    )
    question_services.answer_accept(answer=answer, by=world.member)

    outcome = ask("hacked wordpress", with_questions=True)

    assert [pk for pk, _ in outcome.questions] == [question.pk]
    assert ids(outcome)[0] == security.public_id
    assert listserv.public_id in ids(outcome)


def test_postings_follow_the_index(three):
    def terms_indexed():
        return sum(len(row.doc["tf"]) for row in ResourceIndex.objects.all())

    security = three[1]
    assert ResourcePosting.objects.count() == terms_indexed()

    services.resource_retire(resource=security, by=curator(), reason="Gone")

    assert not ResourcePosting.objects.filter(resource_id=security.pk).exists()
    ask_index.index_rebuild()
    assert ResourcePosting.objects.count() == terms_indexed() > 0
    assert all(
        0 < impact < 1 for impact in ResourcePosting.objects.values_list("impact", flat=True)
    )


def _expert(email, areas):
    profile = ExpertProfileFactory(
        user__email=email,
        user__name=email.split("@")[0],
        home_city=city("Detroit", "MI"),
        skill_areas=SkillArea.objects.filter(id__in=areas),
        languages=["en"],
    )
    return profile.user


def test_each_answer_says_why_it_matched(three):
    outcome = ask("mass text members before the strike vote")

    because = outcome.because(three[0].public_id)
    assert "text" in because
    assert "strike" in because
    assert outcome.because("R999") == ""


def test_a_spanish_question_shows_the_words_it_was_translated_to(db):
    listed(
        "texting",
        name="Textos Bilingües",
        summary="Bilingual Spanish and English texting for worker centers.",
    )

    outcome = ask("necesitamos mandar mensajes de texto a los trabajadores")

    assert outcome.results
    assert "trabajadores → worker" in outcome.because(outcome.results[0][0])
