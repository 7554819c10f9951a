import pytest

from strategists.referrals.ask import (
    CorpusStats,
    InMemoryAskEngine,
    ResourceDoc,
    analyze,
    rank,
)


def resource(id, name, summary, tags, kind="software", cost="paid", region="us", skills=()):
    return {
        "id": id,
        "name": name,
        "summary": summary,
        "description": "",
        "tags": list(tags),
        "skill_areas": list(skills),
        "kind": kind,
        "cost": cost,
        "region": region,
    }


CORPUS = [
    resource(
        "T1",
        "Hustle",
        "Peer-to-peer texting platform for one-to-one text conversations at scale.",
        ["texting", "sms", "peer-to-peer"],
        skills=["online-to-offline"],
    ),
    resource(
        "T2",
        "Mailchimp",
        "Email marketing tool for newsletters and automations.",
        ["email", "newsletter"],
        cost="freemium",
        region="international",
        skills=["email-and-lists"],
    ),
    resource(
        "T3",
        "Site Rescue",
        "Emergency cleanup service for websites hit by malware.",
        ["malware removal", "cleanup", "wordpress"],
        kind="vendor",
        skills=["digital-security", "web-and-cms"],
    ),
    resource(
        "W1",
        "Buckeye Union Web",
        "Web studio building websites for local unions.",
        ["websites", "wordpress", "local unions"],
        kind="consultant",
        region="Ohio",
        skills=["web-and-cms"],
    ),
    resource(
        "W2",
        "Mitten Union Sites",
        "Freelancer building websites for local unions.",
        ["websites", "local unions"],
        kind="consultant",
        region="Michigan",
        skills=["web-and-cms"],
    ),
    resource(
        "W3",
        "Remote Union Web",
        "Remote web studio building websites for local unions.",
        ["websites", "local unions"],
        kind="consultant",
        region="us",
        skills=["web-and-cms"],
    ),
    resource(
        "S1",
        "OpenPoll",
        "Survey builder for member surveys.",
        ["surveys", "forms"],
        cost="free",
        region="international",
    ),
    resource(
        "S2",
        "PollPro",
        "Survey builder for member surveys.",
        ["surveys", "forms"],
        cost="paid",
        region="international",
    ),
    resource(
        "G1",
        "Phone Safety Guide",
        "Guides for protecting phones from surveillance.",
        ["digital security", "phones", "surveillance"],
        kind="guide",
        cost="free",
        region="international",
        skills=["digital-security"],
    ),
]


@pytest.fixture(scope="module")
def engine():
    return InMemoryAskEngine(CORPUS)


def ids(results):
    return [doc_id for doc_id, _ in results]


def test_synonym_question_ranks_texting_tool_first(engine):
    assert ids(engine.ask("mass text members before the strike vote", limit=1)) == ["T1"]


def test_hacked_site_finds_malware_cleanup(engine):
    assert ids(engine.ask("our site got hacked, help", limit=1)) == ["T3"]


def test_typo_is_corrected(engine):
    analysis = engine.analyze("membr survys")
    assert analysis.corrections == {"survys": "survei"}
    assert ("survey", 1.0) in analysis.fts_terms()  # the corpus word, for a full-text stage
    assert ids(engine.ask("membr survys", limit=2)) == ["S1", "S2"]
    assert ids(engine.ask("newsleter tool", limit=1)) == ["T2"]
    assert engine.analyze("the president said so").corrections == {}


def test_place_hint_demotes_other_state_vendors(engine):
    results = engine.ask("consultant for a new local website in Michigan", limit=3)
    assert ids(results) == ["W2", "W3", "W1"]
    assert results[0][1] > results[1][1] > results[2][1]


def test_city_hint_maps_to_its_state(engine):
    assert engine.analyze("web studio near Columbus, OH").places == frozenset({"Ohio"})
    assert ids(engine.ask("web studio for our local in Cleveland", limit=3)) == ["W1", "W3", "W2"]


def test_without_place_national_resources_come_first(engine):
    assert ids(engine.ask("web studio for local union websites", limit=3)) == ["W3", "W1", "W2"]


def test_budget_hint_prefers_free(engine):
    assert ids(engine.ask("member survey builder", limit=2)) == ["S1", "S2"]  # tie: id order
    assert ids(engine.ask("member survey, we have no money", limit=2)) == ["S1", "S2"]
    free = dict(engine.ask("member survey, we have no money", limit=2))
    assert free["S1"] > free["S2"] * 1.5


def test_spanish_and_french_questions_find_english_resources(engine):
    assert ids(engine.ask("¿Cómo mandar mensajes de texto a los trabajadores?", limit=1)) == ["T1"]
    assert ids(engine.ask("Notre site web a été piraté, aidez-nous", limit=1)) == ["T3"]
    assert ids(engine.ask("proteger los celulares de la vigilancia", limit=1)) == ["G1"]


def test_rank_accepts_any_candidate_list():
    docs = [ResourceDoc.from_mapping(r) for r in CORPUS]
    stats = CorpusStats.from_docs(docs)
    analysis = analyze("survey builder", stats.speller())
    assert ids(rank(analysis, docs[::-1], stats, limit=2)) == ["S1", "S2"]
    assert rank(analysis, [], stats) == []
    assert rank(analysis, docs, stats, limit=0) == []


def test_corpus_stats_incremental_equals_batch():
    docs = [ResourceDoc.from_mapping(r) for r in CORPUS]
    batch = CorpusStats.from_docs(docs)
    incremental = CorpusStats.from_docs(docs[:4])
    for doc in docs[4:]:
        incremental.add(doc)
    extra = ResourceDoc.from_mapping(resource("X", "Extra", "Something else", ["misc"]))
    incremental.add(extra)
    incremental.remove(extra)
    assert incremental == batch
    assert CorpusStats.from_dict(batch.to_dict()) == batch


def test_resource_doc_round_trip_and_places():
    doc = ResourceDoc.from_mapping(
        resource(
            "P1",
            "Prairie Media",
            "Winnipeg video shop for unions in Manitoba and Saskatchewan.",
            ["video", "cheap"],
            region="Manitoba",
        )
    )
    assert doc.places == frozenset({"Manitoba", "Saskatchewan"})
    assert doc.cheap is True
    assert ResourceDoc.from_dict(doc.to_dict()) == doc


def test_pseudo_relevance_feedback_brings_in_resources_sharing_the_best_answers_words():
    import dataclasses

    from strategists.referrals.ask import Params

    corpus = [
        resource("A1", "Strike Fund Pages", "Donation pages for a strike fund.", ["kettle"]),
        resource("A2", "Giving Forms", "Donation forms for a strike fund.", ["kettle", "forms"]),
        resource("A3", "Hardship Relief", "Relief for locked out workers.", ["kettle"]),
        resource("B1", "Mailer", "Email newsletters.", ["email"]),
    ]
    docs = [ResourceDoc.from_mapping(r) for r in corpus]
    stats = CorpusStats.from_docs(docs)
    analysis = analyze("strike fund donation", stats.speller())
    with_feedback = Params(prf_max_df=1.0)
    without = dataclasses.replace(with_feedback, prf_docs=0)
    assert ids(rank(analysis, docs, stats, params=without)) == ["A1", "A2"]
    ranked = ids(rank(analysis, docs, stats, params=with_feedback))
    assert ranked[:2] == ["A1", "A2"] and ranked[2] == "A3" and "B1" not in ranked


def test_a_negated_brand_is_not_searched_and_ranks_lower():
    corpus = [
        resource("Z1", "Zoom", "Video meetings and webinars.", ["video calls"]),
        resource("Z2", "Jitsi Meet", "Free video meetings in the browser.", ["video calls"]),
    ]
    engine = InMemoryAskEngine(corpus)
    assert ids(engine.ask("video meetings like Zoom", limit=2))[0] == "Z1"
    analysis = engine.analyze("video meetings, but not Zoom")
    assert analysis.avoid == frozenset({"zoom"}) and "zoom" not in analysis.terms
    assert ids(engine.ask("video meetings, but not Zoom", limit=2)) == ["Z2", "Z1"]
    assert engine.analyze("nobody sees how they voted").avoid == frozenset()


def test_explanations_say_which_words_matched_what(engine):
    from strategists.referrals.ask import explain, explanation_text

    docs = {doc.id: doc for doc in engine.docs}
    analysis = engine.analyze("our site got hacked, help")
    text = explanation_text(explain(analysis, docs["T3"]))
    assert text.startswith("matched because: ")
    assert "hacked" in text and "malware" in text
    placed = engine.analyze("web studio for our local in Cleveland")
    reasons = explain(placed, docs["W1"])
    assert ("place", "Cleveland", "Ohio") in [(r.kind, r.typed, r.matched) for r in reasons]
    assert "Cleveland → Ohio" in explanation_text(reasons)
    spanish = engine.analyze("¿Cómo mandar mensajes de texto a los trabajadores?")
    assert ("concept", "mensajes texto", "peer, texting, sms") in [
        (r.kind, r.typed, r.matched) for r in explain(spanish, docs["T1"])
    ]
    french = engine.analyze("Notre site web a été piraté, aidez-nous")
    assert "site web pirate → sites, malware" in explanation_text(explain(french, docs["T3"]))
    free = engine.analyze("member survey, we have no money")
    assert ("budget", "", "free") in [
        (r.kind, r.typed, r.matched) for r in explain(free, docs["S1"])
    ]
    assert explain(engine.analyze(""), docs["S1"]) == []
    assert explanation_text([]) == ""


def test_a_spanish_question_prefers_resources_that_serve_spanish():
    corpus = [
        resource("E1", "Texting Tool", "Peer-to-peer texting for unions.", ["texting"]),
        resource(
            "E2", "Texting Tool Two", "Peer-to-peer texting for unions.", ["texting", "spanish"]
        ),
    ]
    engine = InMemoryAskEngine(corpus)
    english = dict(engine.ask("texting tool for unions"))
    assert english["E1"] >= english["E2"] * 0.95
    spanish = dict(engine.ask("herramienta de textos para sindicatos"))
    assert ids(engine.ask("herramienta de textos para sindicatos"))[0] == "E2"
    assert spanish["E2"] > spanish["E1"] * 1.2


def test_explanations_leave_out_words_most_resources_share():
    from strategists.referrals.ask import explain, explanation_text

    corpus = [
        resource(f"U{i:02d}", f"Union tool {i}", "A tool for union locals.", ["union"])
        for i in range(20)
    ] + [resource("V1", "Union texting", "Peer-to-peer texting for union locals.", ["texting"])]
    engine = InMemoryAskEngine(corpus)
    analysis = engine.analyze("union texting")
    doc = next(d for d in engine.docs if d.id == "V1")
    assert "union" in explanation_text(explain(analysis, doc))
    text = explanation_text(explain(analysis, doc, stats=engine.stats))
    assert "texting" in text and "union" not in text
