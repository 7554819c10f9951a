import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from strategists.common.models import OutgoingMail
from strategists.events.models import Event, TrainerAssignment
from strategists.events.timing import local_to_utc
from strategists.planner import services, staffing
from strategists.planner.models import PlanRun, Replacement


def planned(program) -> PlanRun:
    run = services.run_start(year=program.year, by=program.coordinator, time_limit=5, enqueue=False)
    return services.run_execute(run_id=run.pk)


def accepted(program) -> PlanRun:
    run = planned(program)
    staffing.plan_accept(run=run, by=program.coordinator)
    return run


def test_run_finds_the_expected_plan(program):
    run = planned(program)
    assert run.status == PlanRun.Status.DONE
    assert [(e["date"], e["host"], e["trainers"]) for e in run.plan["events"]] == [
        ("2027-03-06", f"event-{program.toronto_event.pk}", [f"trainer-{program.cam.pk}"]),
        ("2027-03-20", f"event-{program.chicago_event.pk}", [f"trainer-{program.tara.pk}"]),
        ("2027-04-03", f"event-{program.detroit_event.pk}", [f"trainer-{program.bo.pk}"]),
    ]
    assert (run.progress, run.message) == (1.0, "optimal: 3 of 3 slots filled")


def test_accept_dates_events_asks_trainers_and_mails(program, django_capture_on_commit_callbacks):
    chicago_start = program.chicago_event.starts_at
    with django_capture_on_commit_callbacks(execute=True):
        run = accepted(program)
    events = {e.pk: e for e in Event.objects.all()}
    assert [
        (events[p.pk].state, events[p.pk].starts_at)
        for p in (program.toronto_event, program.chicago_event, program.detroit_event)
    ] == [
        ("approved", local_to_utc(dt.date(2027, 3, 6), dt.time(10), "America/Toronto")),
        ("approved", chicago_start),
        ("approved", local_to_utc(dt.date(2027, 4, 3), dt.time(10), "America/Detroit")),
    ]
    assert sorted(
        TrainerAssignment.objects.values_list("event_id", "trainer_id", "status")
    ) == sorted(
        [
            (program.toronto_event.pk, program.cam.pk, "requested"),
            (program.chicago_event.pk, program.tara.pk, "requested"),
            (program.detroit_event.pk, program.bo.pk, "requested"),
        ]
    )
    mails = sorted(
        OutgoingMail.objects.filter(kind__startswith="planner").values_list("kind", "to")
    )
    assert mails == sorted(
        [
            ("planner-trainer-request", "cam@program.test"),
            ("planner-trainer-request", "tara@program.test"),
            ("planner-trainer-request", "bo@program.test"),
            ("planner-host-dated", "host-toronto@program.test"),
            ("planner-host-dated", "host-chicago@program.test"),
            ("planner-host-dated", "host-detroit@program.test"),
        ]
    )
    request = OutgoingMail.objects.get(kind="planner-trainer-request", to="bo@program.test")
    assert "/planner/requests/" in request.body
    run.refresh_from_db()
    program.year.refresh_from_db()
    assert (run.accepted_at is not None, program.year.accepted_run_id) == (True, run.pk)


def test_accept_twice_is_refused(program):
    run = accepted(program)
    with pytest.raises(ValidationError, match="already accepted"):
        staffing.plan_accept(run=run, by=program.coordinator)


def test_decline_suggests_the_best_replacement(program):
    accepted(program)
    assignment = TrainerAssignment.objects.get(event=program.detroit_event, trainer=program.bo)
    staffing.assignment_respond(
        assignment=assignment, by=program.bo, accept=False, note="Out of town"
    )
    replacement = Replacement.objects.get()
    # Cam is closer but already at the one training a year he offers; Tara is free from 03-10.
    assert (
        replacement.declined_id,
        replacement.suggested,
        replacement.status,
        round(replacement.distance_km),
    ) == (assignment.pk, program.tara, "suggested", 384)
    assert list(
        OutgoingMail.objects.filter(kind="planner-declined").values_list("to", flat=True)
    ) == ["cleo@program.test"]
    new = staffing.replacement_ask(replacement=replacement, by=program.coordinator)
    assert (new.event_id, new.trainer_id, new.status) == (
        program.detroit_event.pk,
        program.tara.pk,
        "requested",
    )


def test_decline_with_nobody_eligible_says_so(program):
    accepted(program)
    assignment = TrainerAssignment.objects.get(event=program.toronto_event, trainer=program.cam)
    program.year.trainer_max_km = 100
    program.year.save()
    staffing.assignment_respond(assignment=assignment, by=program.cam, accept=False)
    assert Replacement.objects.values_list("status", "suggested").get() == ("none", None)


def test_only_the_asked_trainer_answers_once(program):
    accepted(program)
    assignment = TrainerAssignment.objects.get(trainer=program.bo)
    with pytest.raises(ValidationError, match="Only the trainer"):
        staffing.assignment_respond(assignment=assignment, by=program.tara, accept=True)
    staffing.assignment_respond(assignment=assignment, by=program.bo, accept=True)
    with pytest.raises(ValidationError, match="already answered"):
        staffing.assignment_respond(assignment=assignment, by=program.bo, accept=False)


def test_replan_keeps_locks_and_starts_from_the_last_plan(program):
    first = planned(program)
    services.lock_toggle(year=program.year, slot=0, trainer=program.bo)
    services.lock_toggle(year=program.year, slot=2, event=program.detroit_event)
    second = services.run_start(
        year=program.year, by=program.coordinator, time_limit=5, enqueue=False
    )
    assert (second.warm_start_id, second.locks) == (
        first.pk,
        {
            "events": [
                {"slot": 0, "trainers": [f"trainer-{program.bo.pk}"]},
                {"slot": 2, "host": f"event-{program.detroit_event.pk}"},
            ]
        },
    )
    second = services.run_execute(run_id=second.pk)
    assert f"trainer-{program.bo.pk}" in second.plan["events"][0]["trainers"]
    assert services.lock_toggle(year=program.year, slot=0, trainer=program.bo) is False  # unlocks
