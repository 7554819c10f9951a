"""Every planner write leaves one audit entry, in its own transaction."""

import pytest
from django.core.exceptions import ValidationError

from strategists.common.models import AuditEntry
from strategists.events.models import TrainerAssignment
from strategists.planner import services, staffing
from strategists.planner.models import PlanRun, Replacement


def _entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def planned(program) -> PlanRun:
    run = services.run_start(year=program.year, by=program.coordinator, time_limit=5, enqueue=False)
    return services.run_execute(run_id=run.pk)


def test_setting_up_a_year_is_audited(program):
    created, limits, entry = (
        _entries(a)
        for a in (
            "planning_year.created",
            "planning_year.region_limits_set",
            "calendar_entry.added",
        )
    )

    assert [(e.actor, e.object_id, e.data["after"]["slots"]) for e in created] == [
        (program.coordinator, str(program.year.pk), 3)
    ]
    assert [(e.data["before"], e.data["after"]) for e in limits] == [
        ({"limits": []}, {"limits": [["east-north-central", 1, 2]]})
    ]
    assert [(e.object_label, e.data["after"]["regions"]) for e in entry] == [
        ("Labor Notes", ["canada-east"])
    ]


def test_year_update_records_what_changed(program):
    services.year_update(
        year=program.year, by=program.coordinator, name="Tour 2027 (revised)", slots=4
    )

    entry = AuditEntry.objects.get(action="planning_year.updated")
    assert (entry.actor, entry.data["before"], entry.data["after"]) == (
        program.coordinator,
        {"name": "Tour 2027", "slots": 3},
        {"name": "Tour 2027 (revised)", "slots": 4},
    )


def test_deleting_a_calendar_entry_is_audited(program):
    entry = program.year.calendar.get()
    pk = entry.pk

    services.calendar_entry_delete(entry=entry)

    logged = AuditEntry.objects.get(action="calendar_entry.deleted")
    assert (logged.object_id, logged.object_label, logged.data["before"]["start"]) == (
        str(pk),
        "Labor Notes",
        "2027-04-02",
    )
    assert program.year.calendar.count() == 0


def test_locking_and_unlocking_are_audited(program):
    services.lock_toggle(year=program.year, slot=1, trainer=program.bo)
    services.lock_toggle(year=program.year, slot=1, trainer=program.bo)

    assert [
        (e.action, e.data.get("after") or e.data.get("before"))
        for e in AuditEntry.objects.filter(action__startswith="lock.").order_by("pk")
    ] == [
        ("lock.added", {"slot": 1, "event": None, "trainer": program.bo.pk}),
        ("lock.removed", {"slot": 1, "event": None, "trainer": program.bo.pk}),
    ]


def test_a_run_is_audited_when_started_and_finished(program):
    run = planned(program)

    started, finished = _entries("plan.run_started"), _entries("plan.run_finished")
    assert [(e.actor, e.object_id) for e in started] == [(program.coordinator, str(run.pk))]
    assert [(e.actor, e.data["after"], e.data["message"]) for e in finished] == [
        (None, {"status": "done"}, "optimal: 3 of 3 slots filled")
    ]


def test_a_failed_run_is_audited(program):
    run = services.run_start(year=program.year, by=program.coordinator, time_limit=5, enqueue=False)
    PlanRun.objects.filter(pk=run.pk).update(instance={"slots": "many"})

    services.run_execute(run_id=run.pk)

    assert [(e.object_id, e.data["after"]) for e in _entries("plan.run_failed")] == [
        (str(run.pk), {"status": "failed"})
    ]


def test_accepting_a_plan_is_audited(program):
    run = planned(program)

    dated = staffing.plan_accept(run=run, by=program.coordinator)

    entry = AuditEntry.objects.get(action="plan.accepted")
    assert (
        entry.actor,
        entry.object_id,
        entry.data["after"],
        sorted(entry.data["events_dated"]),
    ) == (program.coordinator, str(run.pk), {"accepted_run": run.pk}, sorted(e.pk for e in dated))


@pytest.mark.parametrize("accept", [True, False])
def test_a_trainers_answer_is_audited(program, accept):
    staffing.plan_accept(run=planned(program), by=program.coordinator)
    assignment = TrainerAssignment.objects.get(event=program.detroit_event, trainer=program.bo)

    staffing.assignment_respond(
        assignment=assignment, by=program.bo, accept=accept, note="Out of town"
    )

    action = "trainer_request.accepted" if accept else "trainer_request.declined"
    entry = AuditEntry.objects.get(action=action)
    assert (entry.actor, entry.object_id, entry.data["after"], entry.data["note"]) == (
        program.bo,
        str(assignment.pk),
        {"status": "accepted" if accept else "declined"},
        "Out of town",
    )
    assert AuditEntry.objects.filter(action="replacement.suggested").count() == (0 if accept else 1)


def test_asking_a_replacement_is_audited(program):
    staffing.plan_accept(run=planned(program), by=program.coordinator)
    assignment = TrainerAssignment.objects.get(event=program.detroit_event, trainer=program.bo)
    staffing.assignment_respond(assignment=assignment, by=program.bo, accept=False)
    replacement = Replacement.objects.get()

    staffing.replacement_ask(replacement=replacement, by=program.coordinator)

    suggested, asked = (
        AuditEntry.objects.get(action="replacement.suggested"),
        AuditEntry.objects.get(action="replacement.asked"),
    )
    assert (suggested.actor, suggested.data["after"]) == (
        None,
        {"status": "suggested", "suggested": program.tara.pk},
    )
    assert (asked.actor, asked.object_id, asked.data["after"], asked.data["trainer"]) == (
        program.coordinator,
        str(replacement.pk),
        {"status": "asked"},
        program.tara.pk,
    )


def test_a_refused_accept_writes_nothing(program):
    run = planned(program)
    staffing.plan_accept(run=run, by=program.coordinator)

    with pytest.raises(ValidationError, match="already accepted"):
        staffing.plan_accept(run=run, by=program.coordinator)

    assert AuditEntry.objects.filter(action="plan.accepted").count() == 1
