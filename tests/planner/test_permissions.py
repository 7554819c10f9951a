import datetime as dt

import pytest

from strategists.events.models import TrainerAssignment
from strategists.planner import export
from strategists.planner.models import CalendarEntry, PlanningYear, PlanRun, Replacement
from tests.factories import EventFactory
from tests.permissions import Row, case_id, cases, run_row

# The attacker roles (pending or declined applicant, ex-host, other host, directory curator) hold
# no planner power: they are members like any other.
ATTACKERS = ["applicant", "declined", "ex_host", "other_host", "curator"]


def _with_attackers(expected: dict, status: int) -> dict:
    return {**expected, **dict.fromkeys(ATTACKERS, status)}


MEMBERS = _with_attackers(
    {"visitor": 302, "member": 200, "host": 200, "expert": 200, "coordinator": 200}, 200
)
COORDINATORS = _with_attackers(
    {"visitor": 302, "member": 403, "host": 403, "expert": 403, "coordinator": 200}, 403
)
COORDINATOR_POSTS = {**COORDINATORS, "coordinator": 302}
COORDINATOR_FORM_ERRORS = COORDINATORS  # a refused form shows again (200) for the coordinator
POST_ONLY = dict.fromkeys(COORDINATORS, 405)
TRAINER_POSTS = _with_attackers(
    {"visitor": 302, "member": 403, "host": 403, "expert": 302, "coordinator": 403}, 403
)


def year(world):
    if not hasattr(world, "year"):
        world.year = PlanningYear.objects.create(
            name="Tour", start_date=dt.date(2027, 3, 6), slots=3
        )
    return world.year


def entry(world):
    return CalendarEntry.objects.create(
        year=year(world), name="Labor Day", start=dt.date(2027, 9, 6), end=dt.date(2027, 9, 6)
    )


def run(world):
    if not hasattr(world, "run"):
        instance = export.build_instance(year(world))
        plan = {
            "events": [],
            "unfilled": [{"slot": s, "reason": "no host"} for s in range(3)],
            "reach": 0,
            "travel_km": 0,
            "score": 0,
            "bound": 0,
            "status": "optimal",
            "seconds": 0.1,
            "binding": [],
        }
        world.run = PlanRun.objects.create(
            year=year(world), instance=instance, plan=plan, status="done", progress=1
        )
    return world.run


def assignment(world):
    if not hasattr(world, "assignment"):
        world.assignment = TrainerAssignment.objects.create(
            event=EventFactory(organization=world.organization), trainer=world.expert
        )
    return world.assignment


def replacement(world):
    declined = assignment(world)
    declined.status = "declined"
    declined.save()
    return Replacement.objects.create(declined=declined, suggested=world.other, reason="near")


MATRIX = [
    Row("planner:year_list", COORDINATORS),
    Row("planner:year_create", COORDINATORS),
    Row(
        "planner:year_create", {**COORDINATOR_POSTS, "coordinator": 200}, "POST", data={"name": ""}
    ),
    Row("planner:year_detail", COORDINATORS, kwargs=lambda w: {"pk": year(w).pk}),
    Row("planner:year_edit", COORDINATORS, kwargs=lambda w: {"pk": year(w).pk}),
    Row(
        "planner:year_edit",
        COORDINATOR_FORM_ERRORS,
        "POST",
        kwargs=lambda w: {"pk": year(w).pk},
        data={"name": ""},
    ),
    Row("planner:region_limits", COORDINATORS, kwargs=lambda w: {"pk": year(w).pk}),
    Row(
        "planner:region_limits",
        COORDINATOR_POSTS,
        "POST",
        kwargs=lambda w: {"pk": year(w).pk},
        data={"min_canada-east": "0", "max_canada-east": "1"},
    ),
    Row("planner:calendar_add", COORDINATORS, kwargs=lambda w: {"pk": year(w).pk}),
    Row(
        "planner:calendar_add",
        COORDINATOR_FORM_ERRORS,
        "POST",
        kwargs=lambda w: {"pk": year(w).pk},
        data={"name": ""},
    ),
    Row(
        "planner:calendar_delete",
        POST_ONLY,
        kwargs=lambda w: {"pk": year(w).pk, "entry_pk": entry(w).pk},
    ),
    Row(
        "planner:calendar_delete",
        COORDINATOR_POSTS,
        "POST",
        kwargs=lambda w: {"pk": year(w).pk, "entry_pk": entry(w).pk},
    ),
    Row("planner:year_instance", COORDINATORS, kwargs=lambda w: {"pk": year(w).pk}),
    Row("planner:plan_start", POST_ONLY, kwargs=lambda w: {"pk": year(w).pk}),
    Row(
        "planner:plan_start",
        COORDINATOR_POSTS,
        "POST",
        kwargs=lambda w: {"pk": year(w).pk},
        data={"time_limit": "1"},
    ),
    Row("planner:run_detail", COORDINATORS, kwargs=lambda w: {"pk": run(w).pk}),
    Row("planner:run_progress", COORDINATORS, kwargs=lambda w: {"pk": run(w).pk}),
    Row("planner:lock_toggle", POST_ONLY, kwargs=lambda w: {"pk": run(w).pk}),
    Row(
        "planner:lock_toggle",
        COORDINATOR_POSTS,
        "POST",
        kwargs=lambda w: {"pk": run(w).pk},
        data=lambda w: {"slot": "0", "trainer": str(w.expert.pk)},
    ),
    Row("planner:run_accept", POST_ONLY, kwargs=lambda w: {"pk": run(w).pk}),
    Row("planner:run_accept", COORDINATOR_POSTS, "POST", kwargs=lambda w: {"pk": run(w).pk}),
    Row("planner:replacement_ask", POST_ONLY, kwargs=lambda w: {"pk": replacement(w).pk}),
    Row(
        "planner:replacement_ask",
        COORDINATOR_POSTS,
        "POST",
        kwargs=lambda w: {"pk": replacement(w).pk},
    ),
    Row("planner:requests", MEMBERS),
    Row("planner:request_respond", POST_ONLY, kwargs=lambda w: {"pk": assignment(w).pk}),
    Row(
        "planner:request_respond",
        TRAINER_POSTS,
        "POST",
        kwargs=lambda w: {"pk": assignment(w).pk},
        data={"decision": "accept"},
    ),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]


def test_a_trainer_cannot_answer_someone_elses_request(client, world):
    other = TrainerAssignment.objects.create(
        event=EventFactory(organization=world.organization), trainer=world.other
    )
    client.force_login(world.expert)
    response = client.post(f"/planner/requests/{other.pk}/", {"decision": "decline"})
    other.refresh_from_db()
    assert (response.status_code, other.status) == (403, "requested")
