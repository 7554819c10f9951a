"""A coordinator imports an Action Network export: uploads it, reads the preview, confirms,
and downloads the people again in the same shape; a second upload of the file changes nothing."""

import csv
import io
from pathlib import Path

import pytest
from django.utils import timezone

from strategists.accounts.models import User
from strategists.imports import formats
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"


def an_file(tmp_path) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(formats.AN_COLUMNS)
    writer.writerow(["Ana", "Diaz", "ana@example.net", "48201", "", "", "", "", "+1 313 555 0101"])
    writer.writerow(["Bo", "Li", "BO@example.net", "", "", "", "", "", ""])
    path = tmp_path / "action-network.csv"
    path.write_bytes(("\ufeff" + out.getvalue()).encode("utf-8"))
    return path


def upload(page, path):
    page.goto("/imports/new/")
    page.get_by_label("What the file is").select_option(formats.AN_PEOPLE)
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()


def test_coordinator_previews_imports_and_exports_people(new_page, tmp_path):
    User.objects.create_user(
        email="cora@example.net",
        name="Cora Coordinator",
        password=PASSWORD,
        is_coordinator=True,
        email_verified_at=timezone.now(),
    )
    page = new_page()
    sign_in(page, "cora@example.net")
    path = an_file(tmp_path)

    upload(page, path)
    preview = page.locator("#import-summary").inner_text()
    page.get_by_role("button", name="Import").click()
    page.get_by_role("heading", name="What changed").wait_for()
    with page.expect_download() as download:
        page.goto("/imports/")
        page.get_by_role("link", name="People (Action Network's people CSV)").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    upload(page, path)
    again = page.locator("#import-summary").inner_text()

    assert "New people\t2" in preview
    assert sorted(User.objects.values_list("email", flat=True)) == [
        "ana@example.net",
        "bo@example.net",
        "cora@example.net",
    ]
    assert "Ana,Diaz,ana@example.net,,,,,,'+1 313 555 0101" in exported.splitlines()
    assert "New people\t0" in again and "Unchanged rows\t2" in again
