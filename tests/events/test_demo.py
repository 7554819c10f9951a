"""The demo's trainings show questions with answers and where sign-ups came from, once."""

import pytest

from strategists.accounts import demo as accounts_demo
from strategists.events import demo, signup_selectors
from strategists.events.models import Answer, Question, ShareLink

pytestmark = pytest.mark.django_db


def test_the_demo_shows_questions_answers_and_sources_and_is_idempotent():
    accounts_demo.build(log=lambda message: None, seed=1000)
    demo.build(log=lambda message: None, seed=1000)
    first = (Question.objects.count(), Answer.objects.count(), ShareLink.objects.count())
    demo.build(log=lambda message: None, seed=1000)

    event = Question.objects.order_by("event__starts_at").first().event
    counts = signup_selectors.source_counts(event)
    assert (Question.objects.count(), Answer.objects.count(), ShareLink.objects.count()) == first
    assert first[0] == 12 and first[2] == 9
    assert event.organization.slug == "san-francisco-labor-council"
    assert signup_selectors.access_rollup(event) != []
    assert counts["source"] != [] and counts["referrer"] != []
