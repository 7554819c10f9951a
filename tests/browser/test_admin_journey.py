"""An operator retries a failed message in the admin, in Chromium, under the site's strict
Content-Security-Policy: the admin's scripts (the action bar, the theme switch) are files, and
the browser reports no violation."""

import pytest
from django.core import mail

from strategists.common.models import AuditEntry, OutgoingMail
from tests.browser.conftest import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_operator_retries_failed_mail_with_no_csp_violation(page):
    UserFactory(name="Olive Operator", email="olive@example.net", is_staff=True, is_superuser=True)
    failed = OutgoingMail.objects.create(
        to="ana@example.net",
        subject="Your seat is waiting",
        body="See you.",
        status="failed",
        attempts=8,
        last_error="SMTP down",
    )
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto("/admin/")
    assert page.url.endswith("/accounts/login/?next=/admin/")
    sign_in(page, "olive@example.net")  # the site's own sign-in page
    page.goto("/admin/")
    assert page.get_by_role("heading", level=1).inner_text() == "Operators' tools"
    page.get_by_role("link", name="Outgoing mails").click()
    page.get_by_role(
        "checkbox", name="Select this object for an action - ana@example.net: Your seat is waiting"
    ).check()
    page.get_by_role("combobox", name="Action:").select_option(
        label="Retry sending the selected failed messages"
    )
    page.get_by_role("button", name="Go").click()
    page.get_by_text("1 message is back in the outbox.").wait_for()

    failed.refresh_from_db()
    assert (failed.status, [m.subject for m in mail.outbox]) == ("sent", ["Your seat is waiting"])
    assert AuditEntry.objects.filter(action="mail.retried", object_id=str(failed.pk)).count() == 1
    assert violations == []
