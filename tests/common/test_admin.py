"""What an operator does in the admin: retry failed mail, revoke an API token, read people and
their roles (changed only on the roles page), the audit log; and the admin's pages pass the
site's Content-Security-Policy."""

import re

import pytest
from django.core import mail as django_mail
from django.urls import reverse

from strategists.accounts import role_services as accounts_role_services
from strategists.api.models import ApiToken
from strategists.api.services import api_token_create, api_token_user
from strategists.common.models import AuditEntry, OutgoingMail
from tests.factories import UserFactory


@pytest.fixture
def operator(client, db):
    person = UserFactory(
        name="Olive Operator", email="olive@example.net", is_staff=True, is_superuser=True
    )
    client.force_login(person)
    return person


def test_retrying_failed_mail_sends_it_once_and_audits_it(
    client, operator, django_capture_on_commit_callbacks
):
    failed = OutgoingMail.objects.create(
        to="ana@example.net",
        subject="Your seat",
        body="See you.",
        status="failed",
        attempts=8,
        last_error="SMTP down",
    )
    sent = OutgoingMail.objects.create(
        to="bo@example.net", subject="Done", body="x", status="sent", attempts=1
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:common_outgoingmail_changelist"),
            {"action": "retry", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    failed.refresh_from_db()
    sent.refresh_from_db()
    page = response.content.decode()
    assert (failed.status, failed.attempts, sent.status, sent.attempts) == ("sent", 1, "sent", 1)
    assert [(m.to, m.subject) for m in django_mail.outbox] == [(["ana@example.net"], "Your seat")]
    assert "1 message is back in the outbox." in page
    assert "1 message was not failed and was left alone." in page
    entry = AuditEntry.objects.get(action="mail.retried")
    assert (entry.actor, entry.object_id, entry.data) == (
        operator,
        str(failed.pk),
        {"before": {"status": "failed", "attempts": 8}, "after": {"status": "queued"}},
    )


def test_revoking_a_token_stops_it_working_and_audits_it(client, operator, world):
    token, raw = api_token_create(user=world.host)

    response = client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    again = client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_token_user(raw) is None
    assert "1 token revoked: it no longer works." in response.content.decode()
    assert "0 tokens revoked: they no longer work." in again.content.decode()
    assert list(
        AuditEntry.objects.filter(action="api_token.revoked").values_list(
            "actor", "object_id", "data"
        )
    ) == [(operator.pk, str(token.pk), {"person": "host@example.net", "prefix": token.prefix})]


def test_the_token_page_never_shows_the_digest(client, operator, world):
    token, raw = api_token_create(user=world.host)

    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()

    assert token.prefix in page
    assert token.digest not in page
    assert raw not in page


def test_a_person_page_shows_their_roles_and_links_to_the_roles_page(client, operator, world):
    coordinator = world.coordinator
    accounts_role_services.role_grant(
        user=world.member,
        role="host",
        organization=world.organization,
        by=coordinator,
        reason="Runs the phone bank.",
    )

    page = client.get(
        reverse("admin:accounts_user_change", args=[world.member.pk])
    ).content.decode()

    assert "Runs the phone bank." in page
    assert 'href="/accounts/roles/"' in page
    assert "argon2" not in page  # the password hash is never shown
    assert ApiToken.objects.count() == 0


def test_the_audit_log_lists_what_services_wrote(client, operator, world):
    accounts_role_services.role_grant(user=world.member, role="curator", by=world.coordinator)

    page = client.get(reverse("admin:common_auditentry_changelist")).content.decode()

    assert "role.granted" in page
    assert "Mona Member" in page


def test_admin_pages_load_only_scripts_and_styles_from_files(client, operator, world):
    """The site's CSP allows no inline script or style: no admin page may need one."""
    token, _ = api_token_create(user=world.host)
    pages = [
        reverse("admin:index"),
        reverse("admin:api_apitoken_changelist"),
        reverse("admin:api_apitoken_change", args=[token.pk]),
        reverse("admin:accounts_user_change", args=[world.member.pk]),
    ]

    for url in pages:
        response = client.get(url)
        html = response.content.decode()
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
        assert re.findall(r"<style\b|\sstyle=\"|\son[a-z]+=\"", html) == []
