"""A member downloads all their data and deletes their account; a coordinator reads both in the
audit log."""

import json
from pathlib import Path

import pytest
from django.utils import timezone

from strategists.accounts.models import User
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"


def test_member_exports_their_data_deletes_the_account_and_the_log_shows_it(new_page):
    member = User.objects.create_user(
        email="rosa@example.net",
        name="Rosa Parra",
        password=PASSWORD,
        email_verified_at=timezone.now(),
    )
    User.objects.create_user(
        email="cora@example.net",
        name="Cora Coordinator",
        password=PASSWORD,
        is_coordinator=True,
        email_verified_at=timezone.now(),
    )
    page = new_page()
    sign_in(page, "rosa@example.net")

    page.goto("/accounts/me/data/")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))

    page.goto("/accounts/me/delete/")
    page.get_by_label("Revoke them: verifiers will see they are no longer valid.").check()
    page.get_by_label("Type your email address to confirm").fill("rosa@example.net")
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_role("heading", name="Your account is deleted").wait_for()

    coordinator = new_page()
    sign_in(coordinator, "cora@example.net")
    coordinator.goto("/audit/?action=account.")
    log = coordinator.locator("table").inner_text()

    assert "Rosa Parra" in json.dumps(exported, ensure_ascii=False)
    assert "account.data_exported" in log and "account.deleted" in log
    assert "Rosa Parra" not in log
    assert User.objects.get(pk=member.pk).name == "Deleted person"
