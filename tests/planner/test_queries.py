import datetime as dt

import pytest

from strategists.events.models import TrainerAssignment
from strategists.planner.models import PlanningYear, PlanRun
from tests.factories import EventFactory


@pytest.mark.parametrize("count", [1, 3])
def test_year_list_queries(client_for, world, django_assert_num_queries, count):
    for index in range(count):
        year = PlanningYear.objects.create(
            name=f"Tour {index}", start_date=dt.date(2027 + index, 3, 6)
        )
        PlanRun.objects.create(year=year)
    client = client_for("coordinator")
    with django_assert_num_queries(3):
        response = client.get("/planner/")
    assert [year.name for year in response.context["years"]] == [
        f"Tour {i}" for i in reversed(range(count))
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_request_list_queries(client_for, world, django_assert_num_queries, count):
    for _ in range(count):
        TrainerAssignment.objects.create(
            event=EventFactory(organization=world.organization), trainer=world.expert
        )
    client = client_for("expert")
    with django_assert_num_queries(3):
        response = client.get("/planner/requests/")
    assert len(response.context["assignments"]) == count
