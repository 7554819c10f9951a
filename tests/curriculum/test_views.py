import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from strategists.curriculum import issuing, services
from strategists.curriculum.models import CertificateRule, Certification, Competency, Evidence
from tests.curriculum.conftest import approved, competency, days_ago, pending
from tests.factories import ExpertProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def errors(response, form="form"):
    return {name: list(messages) for name, messages in response.context[form].errors.items()}


# --- happy paths ---------------------------------------------------------------------------------


def test_member_submits_a_work_sample_with_a_file(client_for, world):
    upload = SimpleUploadedFile("audit.pdf", b"%PDF-1.7 site audit", "application/pdf")

    response = client_for("member").post(
        reverse("curriculum:evidence_new"),
        {
            "area": "email-and-lists",
            "level": "2",
            "kind": "work-sample",
            "description": "An accessibility and analytics audit of our local's list.",
            "file": upload,
        },
    )

    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert (
        evidence.person,
        evidence.competency.area_id,
        evidence.competency.level,
        evidence.kind,
        evidence.status,
        evidence.file.name.endswith(".pdf"),
    ) == (world.member, "email-and-lists", 2, "work-sample", "pending", True)
    download = client_for("expert").get(
        reverse("curriculum:evidence_file", kwargs={"pk": evidence.pk})
    )
    assert (b"".join(download.streaming_content), download["Content-Disposition"]) == (
        b"%PDF-1.7 site audit",
        f'attachment; filename="{evidence.file.name.rsplit("/", 1)[-1]}"',
    )


def test_expert_reviews_from_the_evidence_page(client_for, world):
    evidence = pending(world.member)

    response = client_for("expert").post(
        reverse("curriculum:evidence_review", kwargs={"pk": evidence.pk}),
        {"decision": "changes", "comment": "Add the analytics section."},
    )

    evidence.refresh_from_db()
    assert (
        response.status_code,
        evidence.status,
        evidence.reviewed_by,
        evidence.review_comment,
    ) == (302, "changes-requested", world.expert, "Add the analytics section.")


def test_coordinator_edits_a_competency_and_the_rule(client_for, world):
    client = client_for("coordinator")

    client.post(
        reverse("curriculum:competency_edit", kwargs={"area": "web-and-cms", "level": 2}),
        {"can_do": "Plan a site with members.", "evidence": "A site plan."},
    )
    client.post(
        reverse("curriculum:rule_edit"),
        {"all_areas_level": "2", "advanced_level": "3", "advanced_areas": "3"},
    )

    rule = CertificateRule.objects.get()
    assert Competency.objects.get(area="web-and-cms", level=2).can_do == "Plan a site with members."
    assert (rule.advanced_areas, rule.capstone_required, rule.updated_by) == (
        3,
        False,
        world.coordinator,
    )


def test_path_page_shows_levels_chart_table_and_what_to_do_next(client_for, world):
    approved(world.member, "web-and-cms", 2, by=world.expert)
    ExpertProfileFactory(user__name="Sam Teacher", skill_areas=["social-media"])

    response = client_for("member").get(reverse("curriculum:my_path"))

    html = response.content.decode()
    rows = {row["area"].pk: row for row in response.context["rows"]}
    assert (
        rows["web-and-cms"]["level"],
        rows["web-and-cms"]["meets"],
        rows["social-media"]["level"],
    ) == (2, True, 0)
    assert [p.user.name for p in rows["social-media"]["experts"]] == ["Sam Teacher"]
    assert '<svg class="chart"' in html and '<table id="levels">' in html
    assert "L3 Connector in 2 more areas" in html


# --- bad input: field-level messages, never a 500 ----------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {},
            {
                "area": ["This field is required."],
                "level": ["This field is required."],
                "kind": ["This field is required."],
                "description": ["This field is required."],
            },
        ),
        (
            {
                "area": "nope",
                "level": "5",
                "kind": "attendance",
                "description": "short",
                "link": "not a url",
            },
            {
                "area": ["Select a valid choice. That choice is not one of the available choices."],
                "level": ["Select a valid choice. 5 is not one of the available choices."],
                "kind": ["Select a valid choice. attendance is not one of the available choices."],
                "description": ["Ensure this value has at least 20 characters (it has 5)."],
                "link": ["Enter a valid URL."],
            },
        ),
        (
            {
                "area": "web-and-cms",
                "level": "2",
                "kind": "work-sample",
                "description": "A long enough description.",
            },
            {"link": ["Add a link or a file."]},
        ),
    ],
)
def test_evidence_form_reports_each_field(client_for, world, data, expected):
    response = client_for("member").post(reverse("curriculum:evidence_new"), data)

    assert (response.status_code, errors(response)) == (200, expected)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "tool.exe",
            b"MZ\x90\x00",
            "Upload a PDF, an image, a text or CSV file, or an office document (not “.exe”).",
        ),
        ("audit.pdf", b"MZ\x90\x00 not a pdf", "The file's content doesn't match its name (.pdf)."),
        (
            "big.pdf",
            b"%PDF" + b"0" * (5 * 1024 * 1024),
            "The file is larger than 5 MB. Share a link instead.",
        ),
    ],
)
def test_evidence_form_refuses_bad_files(client_for, world, name, content, expected):
    response = client_for("member").post(
        reverse("curriculum:evidence_new"),
        {
            "area": "web-and-cms",
            "level": "2",
            "kind": "work-sample",
            "description": "A long enough description.",
            "file": SimpleUploadedFile(name, content),
        },
    )

    assert errors(response) == {"file": [expected]}


def test_capstone_form_reports_each_field(client_for, world):
    response = client_for("member").post(
        reverse("curriculum:capstone_new"), {"description": "too short"}
    )

    assert errors(response) == {
        "title": ["This field is required."],
        "organization_name": ["This field is required."],
        "description": ["Ensure this value has at least 20 characters (it has 9)."],
    }


def test_review_asking_for_changes_needs_a_comment(client_for, world):
    evidence = pending(world.member)

    response = client_for("expert").post(
        reverse("curriculum:evidence_review", kwargs={"pk": evidence.pk}), {"decision": "changes"}
    )

    assert (response.status_code, errors(response)) == (
        400,
        {"comment": ["Tell the member what to change."]},
    )
    assert Evidence.objects.get(pk=evidence.pk).status == "pending"


def test_review_without_a_decision(client_for, world):
    evidence = pending(world.member)

    response = client_for("expert").post(
        reverse("curriculum:evidence_review", kwargs={"pk": evidence.pk}), {}
    )

    assert errors(response) == {"decision": ["This field is required."]}


def test_sign_off_form_reports_each_field(client_for, world):
    pending(world.member)  # the expert's reason to open the member's page
    response = client_for("expert").post(
        reverse("curriculum:sign_off", kwargs={"pk": world.member.pk}),
        {"level": "4", "description": "ok"},
    )

    assert errors(response) == {
        "area": ["This field is required."],
        "level": ["Select a valid choice. 4 is not one of the available choices."],
        "description": ["Ensure this value has at least 10 characters (it has 2)."],
    }


def test_resubmitting_needs_a_link_or_file(client_for, world):
    evidence = pending(world.member)
    Evidence.objects.filter(pk=evidence.pk).update(status="changes-requested", link="")

    response = client_for("member").post(
        reverse("curriculum:evidence_edit", kwargs={"pk": evidence.pk}),
        {"description": "Now with the analytics section."},
    )

    assert errors(response) == {"link": ["Add a link or a file."]}


def test_competency_form_needs_text(client_for, world):
    response = client_for("coordinator").post(
        reverse("curriculum:competency_edit", kwargs={"area": "web-and-cms", "level": 2}),
        {"can_do": "  "},
    )

    assert errors(response) == {
        "can_do": ["This field is required."],
        "evidence": ["This field is required."],
    }


def test_rule_form_reports_each_field(client_for, world):
    response = client_for("coordinator").post(
        reverse("curriculum:rule_edit"),
        {"all_areas_level": "3", "advanced_level": "2", "advanced_areas": "11"},
    )

    assert errors(response) == {
        "advanced_areas": ["Ensure this value is less than or equal to 10."],
        "advanced_level": ["The higher level can't be below the level needed in every area."],
    }


def test_reversing_and_revoking_need_a_reason(client_for, world):
    certification = Certification.objects.create(person=world.member, certified_at=timezone.now())
    client = client_for("coordinator")

    reverse_response = client.post(
        reverse("curriculum:certification_reverse", kwargs={"pk": certification.pk}),
        {"reason": "   "},
    )

    assert (reverse_response.status_code, errors(reverse_response)) == (
        400,
        {"reason": ["This field is required."]},
    )
    assert Certification.objects.get().status == "certified"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, {"credential": ["Paste a credential or upload its file."]}),
        ({"credential": "{}", "email": "nope"}, {"email": ["Enter a valid email address."]}),
    ],
)
def test_verify_form_reports_each_field(client, db, data, expected):
    response = client.post(reverse("curriculum:verify"), data)

    assert (response.status_code, errors(response), response.context["outcome"]) == (
        400,
        expected,
        None,
    )


def test_verify_form_refuses_a_big_or_binary_upload(client, db):
    big = client.post(
        reverse("curriculum:verify"),
        {"upload": SimpleUploadedFile("c.json", b"{" + b" " * 1024 * 1024)},
    )
    binary = client.post(
        reverse("curriculum:verify"), {"upload": SimpleUploadedFile("c.json", b"\xff\xfe\x00")}
    )

    assert errors(big) == {"upload": ["A credential is a small JSON file; this one is over 1 MB."]}
    assert errors(binary) == {"upload": ["This file is not a JSON text file."]}


def test_verify_page_explains_json_that_is_not_a_credential(client, db):
    response = client.post(
        reverse("curriculum:verify"), {"credential": json.dumps({"hello": "world"})}
    )

    assert (response.context["outcome"].status, response.context["outcome"].reason) == (
        "malformed",
        "this is not a Verifiable Credential (Data Model 2.0)",
    )


def test_unknown_pages_are_404(client, db):
    assert client.get("/skills/framework/web-and-cms/4/").status_code == 404
    assert client.get("/credentials/00000000-0000-0000-0000-000000000000/").status_code == 404


# --- exact query counts at 1 and 3 items ----------------------------------------------------------


@pytest.mark.parametrize("items", [1, 3])
def test_review_queue_queries(client_for, world, django_assert_num_queries, items):
    for index in range(items):
        pending(UserFactory(organization=world.organization), when=days_ago(index))
    client = client_for("expert")

    # The reviewer's areas, organizations and reviewers are read once each, whatever the queue's length.
    with django_assert_num_queries(8):
        response = client.get(reverse("curriculum:review_queue"))
    assert len(response.context["queue"]) == items


@pytest.mark.parametrize("items", [1, 3])
def test_certified_list_queries(client_for, world, django_assert_num_queries, items):
    for _ in range(items):
        Certification.objects.create(
            person=UserFactory(organization=world.organization), certified_at=timezone.now()
        )
    client = client_for("coordinator")

    with django_assert_num_queries(4):
        response = client.get(reverse("curriculum:certified_list"))
    assert len(response.context["certifications"]) == items


@pytest.mark.parametrize("items", [1, 3])
def test_my_path_queries(client_for, world, django_assert_num_queries, items):
    areas = ["web-and-cms", "social-media", "data-and-crm"][:items]
    for area in areas:
        approved(world.member, area, 2, by=world.expert)
        pending(world.member, area, 3)
    client = client_for("member")

    with django_assert_num_queries(13):
        response = client.get(reverse("curriculum:my_path"))
    assert len(response.context["pending"]) == items


@pytest.mark.parametrize("items", [1, 3])
def test_framework_page_queries(client, db, django_assert_num_queries, items):
    with django_assert_num_queries(2):
        response = client.get(reverse("curriculum:framework"))
    assert len(response.context["areas"]) == 10


@pytest.mark.parametrize("items", [1, 3])
def test_credential_trace_queries(client_for, world, django_assert_num_queries, items):
    for index in range(items):
        services.evidence_sign_off(
            person=world.member,
            by=world.expert,
            competency=competency("email-and-lists", 2),
            description=f"Demonstrated it, time {index + 1}.",
        )
    credential = issuing.credentials_issue(people=[world.member])[0]
    client = client_for("coordinator")

    with django_assert_num_queries(5):
        response = client.get(reverse("curriculum:credential_trace", kwargs={"pk": credential.pk}))
    assert (len(response.context["evidence"]), len(response.context["entries"])) == (
        items,
        items + 1,
    )
