"""The OData filter parser on its own (a pure core: no database)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategists.api import odata
from strategists.api.odata import Condition, FilterError

FIELDS = {
    "email_address": odata.EQUALITY,
    "modified_date": odata.ORDERING,
    "given_name": odata.EQUALITY,
}


def test_one_condition():
    assert odata.parse("email_address eq 'x@y.org'", FIELDS) == [
        Condition("email_address", "eq", "x@y.org")
    ]


def test_conditions_joined_by_and_with_any_case_and_unquoted_values():
    assert odata.parse(
        "modified_date gt '2014-03-25' AND modified_date Le 2015-01-01T00:00:00Z", FIELDS
    ) == [
        Condition("modified_date", "gt", "2014-03-25"),
        Condition("modified_date", "le", "2015-01-01T00:00:00Z"),
    ]


def test_a_doubled_quote_is_a_quote():
    assert odata.parse("given_name eq 'O''Brien'", FIELDS) == [
        Condition("given_name", "eq", "O'Brien")
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The filter is empty."),
        ("email_address eq 'x", "A quoted value isn't closed (from character 18 on)."),
        (
            "city eq 'Detroit'",
            "Filtering on city is not supported here. You can filter on: email_address (eq), "
            "given_name (eq), modified_date (eq ge gt le lt).",
        ),
        ("email_address ne 'x'", "The operator ne is not supported on email_address: use eq."),
        ("email_address gt 'x'", "The operator gt is not supported on email_address: use eq."),
        ("email_address like 'x'", "like is not an operator: use eq, gt, ge, lt or le."),
        (
            "email_address eq 'x' or email_address eq 'y'",
            "or is not supported: join conditions with and.",
        ),
        (
            "not email_address eq 'x'",
            "not is not supported: only eq, gt, ge, lt, le joined by and.",
        ),
        (
            "modified_date gt",
            "Each condition is a field, an operator and a value, like email_address eq "
            "'someone@example.org'.",
        ),
        ("email_address eq (1)", "Expected a value after email_address eq, found (."),
    ],
)
def test_what_is_not_supported_is_named(text, message):
    with pytest.raises(FilterError) as error:
        odata.parse(text, FIELDS)

    assert str(error.value) == message


def test_too_many_conditions():
    text = " and ".join(["email_address eq 'x'"] * 11)

    with pytest.raises(FilterError, match="at most 10 conditions"):
        odata.parse(text, FIELDS)


conditions = st.lists(
    st.one_of(
        st.builds(
            Condition,
            st.just("email_address"),
            st.just("eq"),
            st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30),
        ),
        st.builds(
            Condition,
            st.just("modified_date"),
            st.sampled_from(sorted(odata.ORDERING)),
            st.text(max_size=20),
        ),
    ),
    min_size=1,
    max_size=10,
)


@settings(deadline=None)  # the machine is shared: time is not what is tested
@given(conditions)
def test_what_a_client_quotes_comes_back_whole(expected):
    text = " and ".join(f"{c.field} {c.op} {odata.quote(c.value)}" for c in expected)

    assert odata.parse(text, FIELDS) == expected


@settings(deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_conditions_or_a_filter_error(text):
    try:
        result = odata.parse(text, FIELDS)
    except FilterError as error:
        assert str(error)
    else:
        assert all(c.field in FIELDS and c.op in FIELDS[c.field] for c in result)
