"""The demo's surveys: completed trainings get results, per trainer too; building twice adds
nothing."""

import pytest

from strategists.surveys import demo, selectors
from strategists.surveys.models import SurveyInvitation
from tests.factories import ExpertProfileFactory
from tests.surveys.conftest import held_training, people

pytestmark = pytest.mark.django_db


def test_the_demo_rolls_up_results_and_is_safe_to_run_twice(world):
    event = held_training(world.organization, attendees=people(12), no_shows=people(2))
    event.state = "completed"
    event.save()
    event.taught_areas.set(["email-and-lists"])
    ExpertProfileFactory()  # with the world's expert, two trainers to staff it

    demo.build(log=lambda message: None)
    demo.build(log=lambda message: None)

    trainings = selectors.trainings_with_results(world.coordinator)
    assert [(e.pk, e.invited) for e in trainings] == [(event.pk, 12)]
    assert 0 < trainings[0].answered <= 12
    assert len(selectors.trainers_with_results(world.coordinator)) == 2
    assert SurveyInvitation.objects.count() == 12
    assert event.no_show_notices.count() == 2
