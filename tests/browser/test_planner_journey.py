"""A coordinator sets up a year, plans, locks a slot, re-plans and accepts; trainers answer
their requests and hosts see their training's date. The planner task runs inline (the tasks
backend is immediate under pytest), so "Plan" returns when the (about 1 s) solve is done."""

import pytest

from strategists.events.models import Event, TrainerAssignment
from strategists.planner.models import Lock, PlanningYear, Replacement
from tests.browser.conftest import sign_in
from tests.planner.program import build_program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_set_up_plan_lock_replan_accept_and_answer(new_page, live_server, settings):
    settings.PUBLIC_URL = live_server.url
    program = build_program(with_year=False)

    # The coordinator sets up the year.
    page = new_page()
    sign_in(page, "cleo@program.test")
    page.goto("/planner/")
    page.get_by_role("link", name="Set up a year").click()
    page.get_by_label("Name").fill("Tour 2027")
    page.get_by_label("First training date").fill("2027-03-06")
    page.get_by_label("Number of trainings").fill("3")
    page.get_by_label("Trainers per training, at least").fill("1")
    page.get_by_label("Trainers per training, at most").fill("2")
    page.get_by_label("Trainer travel limit (km)").fill("1000")
    page.get_by_label("No region twice in a row").uncheck()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Year created").wait_for()

    page.get_by_role("link", name="Set the regions' minimums and maximums").click()
    page.get_by_label("East North Central: at least").fill("1")
    page.get_by_label("East North Central: at most").fill("2")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Region limits saved.").wait_for()

    page.get_by_role("link", name="Add a conference or holiday").click()
    page.get_by_label("Name").fill("Labor Notes")
    page.get_by_label("First day").fill("2027-04-02")
    page.get_by_label("Last day").fill("2027-04-04")
    page.get_by_label("Canada East").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Added to the movement calendar.").wait_for()

    # Plan: the calendar, the map, the reasons.
    page.get_by_label("Seconds the planner may take").fill("5")
    page.get_by_role("button", name="Plan", exact=True).click()
    page.get_by_role("heading", name="3 of 3 slots filled").wait_for()
    assert page.locator("#slot-1").get_by_role("link", name="Chicago, IL").count() == 1
    assert page.locator("#slot-2").get_by_text("Bo Trainer").count() == 1
    assert page.locator("svg.map").count() == 1
    assert "Why this host:" in page.locator("#slot-0").inner_text()

    # Lock Detroit's slot and re-plan from this plan.
    page.locator("#slot-2").get_by_role("button", name="Lock slot").click()
    page.get_by_text("Locked: the next plan keeps it.").wait_for()
    page.get_by_role("button", name="Plan again").click()
    page.get_by_role("heading", name="3 of 3 slots filled").wait_for()
    assert page.locator("#slot-2 .badge").inner_text() == "Locked"
    year = PlanningYear.objects.get()
    assert list(Lock.objects.values_list("slot", "event_id")) == [(2, program.detroit_event.pk)]
    assert [run.warm_start_id is not None for run in year.runs.all()] == [True, False]

    page.get_by_role("button", name="Accept this plan").click()
    page.get_by_text("Plan accepted: 3 trainings dated, hosts told and trainers asked.").wait_for()
    assert Event.objects.get(pk=program.detroit_event.pk).state == "approved"

    # Trainers answer their requests.
    bo = new_page()
    sign_in(bo, "bo@program.test")
    bo.goto("/planner/requests/")
    bo.get_by_role("link", name="Lists in Detroit").wait_for()
    bo.get_by_role("button", name="Accept").click()
    bo.get_by_text("Thank you! See you there.").wait_for()

    tara = new_page()
    sign_in(tara, "tara@program.test")
    tara.goto("/planner/requests/")
    tara.get_by_role("button", name="Decline").click()
    tara.get_by_text("The coordinators will find someone else.").wait_for()
    assert sorted(TrainerAssignment.objects.values_list("trainer__email", "status")) == [
        ("bo@program.test", "accepted"),
        ("cam@program.test", "requested"),
        ("tara@program.test", "declined"),
    ]
    replacement = Replacement.objects.get()
    assert replacement.suggested == program.bo

    # The coordinator sees the suggestion and asks the replacement.
    page.goto(f"/planner/{year.pk}/")
    page.get_by_role("button", name="Ask Bo Trainer").click()
    page.get_by_text("Asked Bo Trainer.").wait_for()

    # The Detroit host sees the date.
    host = new_page()
    sign_in(host, "host-detroit@program.test")
    host.goto(f"/trainings/{program.detroit_event.pk}/")
    host.get_by_text("Apr 3 2027").first.wait_for()
