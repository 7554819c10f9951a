"""import-resources / export-resources / ask --json: the JSON Lines contract."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from strategists.referrals import services
from strategists.referrals.models import Resource
from strategists.referrals.transfer import ImportFailed, resources_export, resources_import

pytestmark = pytest.mark.django_db

GOOD = {
    "id": "R012",
    "kind": "software",
    "name": "Strike Text",
    "url": "https://strike-text.example.org",
    "summary": "Peer-to-peer texting for strike votes.",
    "description": "Volunteers answer replies.",
    "skill_areas": ["email-and-lists"],
    "tags": ["sms", "texting"],
    "cost": "paid",
    "region": "us",
}


def lines(*records):
    return [json.dumps(r) for r in records]


def test_import_keeps_the_file_ids_and_lists_the_resources():
    report = resources_import(lines(GOOD, {**GOOD, "id": "R200", "name": "Other"}))

    assert (report.created, report.updated) == (2, 0)
    assert sorted(Resource.objects.values_list("public_id", "status")) == [
        ("R012", "approved"),
        ("R200", "approved"),
    ]


def test_reimport_updates_by_id():
    resources_import(lines(GOOD))

    report = resources_import(
        lines({**GOOD, "name": "Strike Text 2", "skill_areas": ["data-and-crm"]})
    )

    resource = Resource.objects.get()
    assert (report.created, report.updated) == (0, 1)
    assert (resource.name, [a.pk for a in resource.skill_areas.all()]) == (
        "Strike Text 2",
        ["data-and-crm"],
    )


def test_new_resources_get_the_next_id_after_imported_ones(world):
    resources_import(lines(GOOD))

    resource = services.resource_suggest(
        by=world.member,
        skill_areas=["web-and-cms"],
        kind="guide",
        name="G",
        url="",
        summary="A guide.",
        description="",
        tags=[],
        cost="free",
        region="us",
    )

    assert resource.public_id == "R013"


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (
            "{not json",
            "line 2, field -: not valid JSON (Expecting property name enclosed in double quotes)",
        ),
        ('["a list"]', "line 2, field -: expected a JSON object"),
        (
            json.dumps({**GOOD, "id": "R9"} | {"kind": "robot"}),
            "line 2, field kind: one of software, service, vendor, consultant, listserv, plugin, guide, community, training, dataset",
        ),
        (
            json.dumps({**GOOD, "id": "R9", "cost": "cheap"}),
            "line 2, field cost: one of free, freemium, paid, membership, donation",
        ),
        (
            json.dumps({**GOOD, "id": "R9", "name": ""}),
            "line 2, field name: required, a non-empty string",
        ),
        (
            json.dumps({**GOOD, "id": "R9", "url": "javascript:alert(1)"}),
            "line 2, field url: not a valid http(s) address",
        ),
        (
            json.dumps({**GOOD, "id": "R9", "skill_areas": ["juggling"]}),
            "line 2, field skill_areas: unknown skill area juggling",
        ),
        (
            json.dumps({**GOOD, "id": "R9", "tags": "sms"}),
            "line 2, field tags: a list of non-empty strings",
        ),
        (
            json.dumps({**GOOD, "id": "R9", "region": "Atlantis"}),
            "line 2, field region: us, canada, international, or a US state or Canadian province by name",
        ),
        (
            json.dumps({**GOOD, "id": "bad id!"}),
            "line 2, field id: letters, digits, - and _ only, at most 20 characters",
        ),
        (
            json.dumps({**GOOD, "id": "R9", "summary": "x" * 301}),
            "line 2, field summary: at most 300 characters",
        ),
        (json.dumps({**GOOD, "id": "R9", "colour": "red"}), "line 2, field colour: unknown field"),
        (json.dumps(GOOD), "line 2, field id: R012 already on line 1"),
    ],
)
def test_import_reports_each_error_and_imports_nothing(line, error):
    with pytest.raises(ImportFailed) as failure:
        resources_import([json.dumps(GOOD), line])

    assert failure.value.errors == [error]
    assert Resource.objects.count() == 0


def test_import_reports_every_error_of_a_file():
    with pytest.raises(ImportFailed) as failure:
        resources_import(["", json.dumps({**GOOD, "cost": "x", "kind": "y"}), "oops"])

    assert failure.value.errors == [
        "line 2, field kind: one of software, service, vendor, consultant, listserv, plugin, guide, community, training, dataset",
        "line 2, field cost: one of free, freemium, paid, membership, donation",
        "line 3, field -: not valid JSON (Expecting value)",
    ]


def test_export_round_trips_the_file(tmp_path):
    source = tmp_path / "in.jsonl"
    records = [
        GOOD,
        {**GOOD, "id": "R013", "region": "Quebec", "name": "Québec Texte", "skill_areas": []},
    ]
    source.write_text("\n".join(lines(*records)) + "\n", encoding="utf-8")
    call_command("import_resources", str(source), stdout=io.StringIO())

    target = tmp_path / "out.jsonl"
    call_command("export_resources", str(target), stderr=io.StringIO())

    assert [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()] == records
    assert list(resources_export()) == target.read_text(encoding="utf-8").splitlines()


def test_import_command_prints_errors_and_fails(tmp_path):
    source = tmp_path / "bad.jsonl"
    source.write_text(json.dumps({**GOOD, "cost": "cheap"}) + "\n", encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 error"):
        call_command("import_resources", str(source), stderr=err)

    assert (
        err.getvalue() == "line 1, field cost: one of free, freemium, paid, membership, donation\n"
    )


def test_import_command_missing_file():
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_resources", "/nonexistent/file.jsonl")


def test_ask_json_prints_exactly_results_with_ids_and_scores(capsys):
    resources_import(
        lines(
            GOOD,
            {
                **GOOD,
                "id": "R013",
                "name": "Press List",
                "summary": "Listserv for press.",
                "tags": ["press"],
                "description": "",
            },
        )
    )

    call_command("ask", "texting for the strike vote", "--json", "--limit", "1")

    payload = json.loads(capsys.readouterr().out)
    assert list(payload) == ["results"]
    assert [list(item) for item in payload["results"]] == [["id", "score"]]
    assert payload["results"][0]["id"] == "R012"
    assert isinstance(payload["results"][0]["score"], float)


def test_ask_json_batch_prints_one_line_per_question_in_order(tmp_path, capsys):
    resources_import(
        lines(
            GOOD,
            {
                **GOOD,
                "id": "R013",
                "name": "Press List",
                "summary": "Listserv for press.",
                "tags": ["press"],
                "description": "",
            },
        )
    )
    batch = tmp_path / "questions.txt"
    batch.write_text('texting\n\nNEAR( "\npress listserv\n', encoding="utf-8")

    call_command("ask", "--json", "--batch", str(batch))

    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(out) == 4
    assert out[0]["results"][0]["id"] == "R012"
    assert out[1:3] == [{"results": []}, {"results": []}]
    assert out[3]["results"][0]["id"] == "R013"


def test_ask_without_a_question_is_a_usage_error():
    with pytest.raises(CommandError):
        call_command("ask", "--json")


def test_ask_explain_adds_why_each_resource_matched(capsys):
    resources_import(lines(GOOD))

    call_command("ask", "texting for the strike vote", "--json", "--explain", "--limit", "1")

    result = json.loads(capsys.readouterr().out)["results"][0]
    assert list(result) == ["id", "score", "because"]
    assert "text" in result["because"]
