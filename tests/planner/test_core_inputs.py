"""Invalid instances name the offending field; the CLI turns that into exit status 2."""

import json

import pytest

from strategists.planner.core import InstanceError, load_instance
from strategists.planner.core.cli import main

from .test_core_instances import base


def broken(mutate) -> dict:
    instance = base()
    mutate(instance)
    return instance


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda i: i["hosts"][0]["windows"][0].update(start="soon"),
            "instance.hosts[0].windows[0].start: not a date",
        ),
        (lambda i: i.update(slots="26"), "instance.slots: not an integer"),
        (lambda i: i.pop("rules"), "instance.rules: missing"),
        (
            lambda i: i["hosts"][0].update(city="nowhere"),
            "instance.hosts[0].city: unknown city 'nowhere'",
        ),
        (
            lambda i: i["trainers"][0].update(topics=["zz"]),
            "instance.trainers[0].topics[0]: unknown topic 'zz'",
        ),
        (
            lambda i: i["regions"][0].update(max_events=-1),
            "instance.regions[0].max_events: must be at least 0",
        ),
        (lambda i: i["cities"][1].update(lat=95), "instance.cities[1].lat: must be at most 90"),
        (
            lambda i: i["rules"].update(trainers_max=0),
            "instance.rules.trainers_max: must be at least 1",
        ),
        (
            lambda i: i["cities"].append(dict(i["cities"][0])),
            "instance.cities[3].id: duplicate id 'c1'",
        ),
        (
            lambda i: i["hosts"][0]["windows"][0].update(end="2026-01-01"),
            "instance.hosts[0].windows[0].end: before start",
        ),
    ],
)
def test_invalid_instance_names_the_field(mutate, message):
    with pytest.raises(InstanceError) as caught:
        load_instance(broken(mutate))
    assert str(caught.value) == message


def test_cli_exit_2_names_the_field(tmp_path, capsys):
    bad = broken(lambda i: i["hosts"][0]["windows"][0].update(start="soon"))
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    assert main(["--instance", str(path), "--out", str(tmp_path / "plan.json")]) == 2
    assert (
        capsys.readouterr().err == "invalid input: instance.hosts[0].windows[0].start: not a date\n"
    )
    assert not (tmp_path / "plan.json").exists()


def test_cli_writes_the_plan(tmp_path, capsys):
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(base()))
    out = tmp_path / "plan.json"
    assert (
        main(["--instance", str(path), "--out", str(out), "--time-limit", "5", "--threads", "1"])
        == 0
    )
    plan = json.loads(out.read_text())
    assert plan["events"] == [
        {"slot": 0, "date": "2027-01-04", "host": "h1", "city": "c1", "trainers": ["t1"]}
    ]
    assert plan["unfilled"] == []
    assert plan["status"] == "optimal"
    assert "optimal: 1/1 slots" in capsys.readouterr().err


def test_invalid_lock_names_the_field():
    from strategists.planner.core import solve

    with pytest.raises(InstanceError) as caught:
        solve(base(), locks={"events": [{"slot": 0, "host": "h9"}]})
    assert str(caught.value) == "locks.events[0].host: unknown host 'h9'"
