import json

import pytest
from django.core.management import call_command

from strategists.planner.core import check_plan
from strategists.planner.export import build_instance


def test_plan_command_exit_2_names_the_field(tmp_path, capsys, program):
    instance = build_instance(program.year)
    instance["trainers"][0]["available"][0]["start"] = "someday"
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(instance))
    with pytest.raises(SystemExit) as exited:
        call_command("plan", "--instance", str(path), "--out", str(tmp_path / "plan.json"))
    assert exited.value.code == 2
    assert (
        capsys.readouterr().err
        == "invalid input: instance.trainers[0].available[0].start: not a date\n"
    )
    assert not (tmp_path / "plan.json").exists()


def test_plan_command_writes_a_plan_the_checker_accepts(tmp_path, capsys, program):
    instance = build_instance(program.year)
    (tmp_path / "instance.json").write_text(json.dumps(instance))
    call_command(
        "plan",
        "--instance",
        str(tmp_path / "instance.json"),
        "--out",
        str(tmp_path / "plan.json"),
        "--time-limit",
        "5",
    )
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert check_plan(instance, plan) == []
    assert ([e["date"] for e in plan["events"]], plan["status"]) == (
        ["2027-03-06", "2027-03-20", "2027-04-03"],
        "optimal",
    )
    assert "%]" in capsys.readouterr().err  # progress lines went to stderr


def test_export_instance_writes_the_current_year(tmp_path, program):
    call_command("plan", "--export-instance", str(tmp_path / "live.json"))
    assert json.loads((tmp_path / "live.json").read_text()) == build_instance(program.year)


def test_export_instance_without_a_year_is_an_error(tmp_path, db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="no planning year yet"):
        call_command("plan", "--export-instance", str(tmp_path / "live.json"))
