"""The matching core, without a database."""

from hypothesis import given
from hypothesis import strategies as st

from strategists.community.core.matching import Mentor, Pair, Seeker, propose, score

WEB, SECURITY, EMAIL = "web-and-cms", "digital-security", "email-and-lists"


def seeker(id, areas, region="pacific", languages=("en",), person=None):
    return Seeker(
        id=id,
        person=person or 100 + id,
        areas=frozenset(areas),
        region=region,
        languages=frozenset(languages),
    )


def mentor(id, areas, capacity=2, load=0, region="pacific", languages=("en",), person=None):
    return Mentor(
        id=id,
        person=person or 200 + id,
        areas=frozenset(areas),
        capacity=capacity,
        load=load,
        region=region,
        languages=frozenset(languages),
    )


def test_the_mentor_sharing_more_areas_wins():
    pairs = propose([seeker(1, [WEB, SECURITY])], [mentor(1, [WEB]), mentor(2, [WEB, SECURITY])])

    assert pairs == [
        Pair(seeker=1, mentor=2, areas=(SECURITY, WEB), score=24.0)
    ]  # 2 areas, region, language


def test_the_same_region_breaks_a_tie_in_areas():
    pairs = propose(
        [seeker(1, [WEB], region="mountain")],
        [mentor(1, [WEB], region="pacific"), mentor(2, [WEB], region="mountain")],
    )

    assert [p.mentor for p in pairs] == [2]


def test_a_lighter_load_breaks_a_tie():
    pairs = propose(
        [seeker(1, [WEB])],
        [mentor(1, [WEB], capacity=4, load=3), mentor(2, [WEB], capacity=4, load=1)],
    )

    assert [p.mentor for p in pairs] == [2]


def test_no_common_language_means_no_pair():
    assert (
        propose([seeker(1, [WEB], languages=["fr"])], [mentor(1, [WEB], languages=["en", "es"])])
        == []
    )


def test_nobody_mentors_themselves_or_past_capacity():
    assert score(seeker(1, [WEB], person=7), mentor(1, [WEB], person=7)) is None
    assert score(seeker(1, [WEB]), mentor(1, [WEB], capacity=2, load=2)) is None
    assert score(seeker(1, [WEB]), mentor(1, [SECURITY])) is None


def test_capacity_fills_up_and_the_next_seeker_goes_elsewhere():
    pairs = propose(
        [seeker(1, [WEB]), seeker(2, [WEB]), seeker(3, [WEB])],
        [
            mentor(1, [WEB], capacity=1, region="pacific"),
            mentor(2, [WEB], capacity=1, region="mountain"),
        ],
    )

    assert [(p.seeker, p.mentor) for p in pairs] == [(1, 1), (2, 2)]


def test_an_excluded_pair_is_never_proposed_again():
    pairs = propose(
        [seeker(1, [WEB])],
        [mentor(1, [WEB]), mentor(2, [WEB], region="mountain")],
        excluded=frozenset({(101, 201)}),
    )

    assert [p.mentor for p in pairs] == [2]


areas = st.frozensets(st.sampled_from([WEB, SECURITY, EMAIL]), min_size=1)
languages = st.frozensets(st.sampled_from(["en", "es", "fr"]))
regions = st.sampled_from(["pacific", "mountain", None])


@given(
    st.lists(
        st.builds(
            Seeker,
            id=st.integers(1, 50),
            person=st.integers(1, 30),
            areas=areas,
            region=regions,
            languages=languages,
        ),
        max_size=15,
        unique_by=lambda s: s.id,
    ),
    st.lists(
        st.builds(
            Mentor,
            id=st.integers(1, 50),
            person=st.integers(1, 30),
            areas=areas,
            capacity=st.integers(1, 3),
            load=st.integers(0, 3),
            region=regions,
            languages=languages,
        ),
        max_size=8,
        unique_by=lambda m: m.id,
    ),
)
def test_proposals_respect_areas_languages_and_capacity(seekers, mentors):
    pairs = propose(seekers, mentors)

    by_id = {m.id: m for m in mentors}
    seekers_by_id = {s.id: s for s in seekers}
    assert len({p.seeker for p in pairs}) == len(pairs)
    for pair in pairs:
        s, m = seekers_by_id[pair.seeker], by_id[pair.mentor]
        assert s.person != m.person
        assert set(pair.areas) == s.areas & m.areas != set()
        assert not (s.languages and m.languages) or s.languages & m.languages
    for m in mentors:
        assert m.load + sum(p.mentor == m.id for p in pairs) <= max(m.capacity, m.load)
    assert propose(seekers, mentors) == pairs
