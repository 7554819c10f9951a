"""The import pages as a coordinator and a host use them: upload, preview, confirm, progress,
history, and a clear answer to every file that can't be imported."""

import html
import re

import hypothesis
import pytest
from django.urls import reverse
from hypothesis import strategies as st

from strategists.accounts.models import User
from strategists.imports import formats, services
from strategists.imports.models import ImportJob
from strategists.imports.progress import progress_get, progress_set
from tests.imports.conftest import an_people, mobilize, upload_file

pytestmark = pytest.mark.django_db


def text(response) -> str:
    main = re.search(r"<main[^>]*>(.*)</main>", response.content.decode(), re.S).group(1)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", main).split()))


def upload(client, data, kind=formats.AN_PEOPLE, **extra):
    return client.post(
        reverse("imports:upload"), {"kind": kind, "file": upload_file(data), **extra}
    )


def test_a_coordinator_previews_then_imports_a_file(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    rows = [{"first_name": "Ana", "last_name": "Diaz", "email": "ana@example.net"}]

    response = upload(client, an_people(rows))
    job = ImportJob.objects.get()
    preview = client.get(response["Location"])
    before = User.objects.filter(email="ana@example.net").exists()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("imports:confirm", args=[job.pk]))
    done = client.get(confirmed["Location"])

    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    assert "What will change New people 1 People with fields filled in 0" in text(preview)
    assert "row 2: Ana Diaz <ana@example.net>" in text(preview)
    assert "Nobody is mailed." in text(preview)
    assert before is False
    assert "What changed New people 1" in text(done)
    assert "Imported" in text(done)
    assert User.objects.get(email="ana@example.net").name == "Ana Diaz"


def test_a_file_with_a_bad_row_shows_the_row_and_column_and_imports_nothing(client, world):
    client.force_login(world.coordinator)
    rows = [{"email": f"p{n}@example.net"} for n in range(20)]
    rows[12]["email"] = "p12 at example"

    response = client.get(upload(client, an_people(rows))["Location"])

    assert "Nothing was imported: 1 problem must be fixed first." in text(response)
    assert "row 14, column email: not an email address" in text(response)
    assert 'action="/imports/' not in response.content.decode().split("import-problems")[1]
    assert not User.objects.filter(email__startswith="p1").exists()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "row 1: this is not a CSV file (it contains binary data)"),
        (
            b"name,phone\nAna,1\n",
            "row 1, column email: this column is missing; the file's header must name it",
        ),
        (b"\n\n", "row 1: the file is empty: no header row"),
        (b"email\n" + b"a" * 1001 + b"@example.net\n", "row 2, column email: too long"),
        (
            b"email,can2_phone\nana@example.net,=HYPERLINK(1)\n",
            "row 2, column can2_phone: not a phone number",
        ),
    ],
)
def test_files_that_cannot_be_imported_are_named_never_a_500(client, world, data, problem):
    client.force_login(world.coordinator)

    response = client.get(upload(client, data)["Location"])

    assert problem in text(response)


def test_an_empty_or_too_big_file_is_refused_by_the_form(client, world):
    client.force_login(world.coordinator)

    empty = upload(client, b"")
    big = upload(client, b"email\n" + b"a@example.net\n" * 400_000)

    assert empty.status_code == big.status_code == 400
    assert dict(empty.context["form"].errors) == {"file": ["The submitted file is empty."]}
    assert dict(big.context["form"].errors) == {
        "file": ["The file is bigger than 5 MB; split it into smaller files."]
    }


def test_a_host_may_not_import_the_programs_people(client, world):
    client.force_login(world.host)

    response = upload(client, an_people([{"email": "a@example.net"}]))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["kind"]
    assert ImportJob.objects.count() == 0


def test_an_attendee_report_needs_its_training(client, world):
    client.force_login(world.coordinator)

    response = upload(client, an_people([{"email": "a@example.net"}]), kind=formats.AN_ATTENDEES)

    assert dict(response.context["form"].errors) == {
        "event": ["Choose the training this attendee report is for."]
    }


def test_a_large_import_shows_a_progress_bar_that_polls_until_done(client, world):
    client.force_login(world.coordinator)
    job = services.import_upload(
        by=world.coordinator,
        kind=formats.AN_PEOPLE,
        file_name="big.csv",
        data=an_people([{"email": f"p{n}@example.net"} for n in range(600)]),
    )
    services.import_confirm(job=job, by=world.coordinator)  # queued: the task runs after commit
    progress_set(job.pk, 300, 600)

    page = client.get(reverse("imports:detail", args=[job.pk]))
    poll = client.get(reverse("imports:progress", args=[job.pk]), headers={"HX-Request": "true"})
    services.import_run(job_id=job.pk)
    finished = client.get(
        reverse("imports:progress", args=[job.pk]), headers={"HX-Request": "true"}
    )

    assert 'hx-trigger="every 2s"' in page.content.decode()
    assert "Queued — 300 of 600 changes" in text(page)
    assert '<progress max="100" value="50"' in poll.content.decode()
    assert (finished.status_code, finished["HX-Refresh"]) == (204, "true")
    assert User.objects.filter(email__startswith="p").count() == 600
    assert progress_get(job.pk) == (0, 0)  # cleared once done


def test_confirming_twice_imports_once(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    job = services.import_upload(
        by=world.coordinator,
        kind=formats.AN_PEOPLE,
        file_name="a.csv",
        data=an_people([{"email": "a@example.net"}]),
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]))
    again = client.post(reverse("imports:confirm", args=[job.pk]), follow=True)

    assert "This import can't be confirmed any more." in text(again)
    assert User.objects.filter(email="a@example.net").count() == 1


def test_the_history_lists_a_hosts_own_imports_only(client, world):
    services.import_upload(
        by=world.coordinator,
        kind=formats.AN_PEOPLE,
        file_name="everyone.csv",
        data=an_people([{"email": "a@example.net"}]),
    )
    client.force_login(world.host)

    response = client.get(reverse("imports:history"))

    assert "everyone.csv" not in text(response)
    assert "Nothing imported yet." in text(response)


def test_the_history_at_1_and_3_imports_takes_the_same_queries(
    client, world, django_assert_num_queries
):
    client.force_login(world.coordinator)

    def make():
        services.import_upload(
            by=world.coordinator,
            kind=formats.MOBILIZE,
            file_name="m.csv",
            data=mobilize([{"Event ID": "1", "Email": "a@example.net"}]),
        )

    make()
    # session, user, the page's count and rows (with the importer and training joined)
    with django_assert_num_queries(4):
        one = client.get(reverse("imports:history"))
    make()
    make()
    with django_assert_num_queries(4):
        three = client.get(reverse("imports:history"))

    assert text(one).count("m.csv") == 1
    assert text(three).count("m.csv") == 3


@hypothesis.settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@hypothesis.given(
    rows=st.lists(
        st.lists(
            st.text(max_size=20) | st.sampled_from(["1", "a@example.org", "yes", "=1"]),
            min_size=11,
            max_size=11,
        ),
        max_size=5,
    ),
    kind=st.sampled_from([formats.AN_PEOPLE, formats.MOBILIZE]),
)
def test_any_upload_gets_a_preview_or_named_problems_never_a_500(client, world, rows, kind):
    client.force_login(world.coordinator)
    columns = formats.COLUMNS[kind]
    data = mobilize if kind == formats.MOBILIZE else an_people

    response = upload(client, data([dict(zip(columns, row, strict=False)) for row in rows]), kind)
    page = client.get(response["Location"])

    job = ImportJob.objects.order_by("-pk").first()
    assert (response.status_code, page.status_code) == (302, 200)
    assert job.state in {"preview", "failed"}
    assert all(problem["text"].startswith("row ") for problem in job.problems)
