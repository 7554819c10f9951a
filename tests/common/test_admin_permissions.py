"""Permission matrix of /admin/: only an active superuser (who is staff) gets in; every other
role, the attacker roles and a staff member who isn't a superuser included, is sent to the
admin's sign-in, which sends them on to the site's own (throttled) sign-in page. Pages where a
write would skip a service refuse writes even to a superuser."""

import pytest
from django.urls import reverse

from strategists.common.models import AuditEntry, OutgoingMail
from tests.conftest import ATTACKER_ROLES, ROLES
from tests.factories import PASSWORD, UserFactory

EVERYONE = [*ROLES, *ATTACKER_ROLES, "staff"]

PAGES = [
    "admin:index",
    "admin:accounts_user_changelist",
    "admin:accounts_rolegrant_changelist",
    "admin:accounts_organization_changelist",
    "admin:accounts_expertapplication_changelist",
    "admin:accounts_hostrequest_changelist",
    "admin:common_outgoingmail_changelist",
    "admin:common_auditentry_changelist",
    "admin:common_workerheartbeat_changelist",
    "admin:common_joblock_changelist",
    "admin:api_apitoken_changelist",
]


@pytest.fixture
def admin_client_for(client_for, client, world):
    def make(role):
        if role in {"staff", "superuser"}:
            client.logout()
            client.force_login(
                UserFactory(
                    name=f"Sam {role}",
                    email=f"{role}@example.net",
                    is_staff=True,
                    is_superuser=role == "superuser",
                )
            )
            return client
        return client_for(role)

    return make


@pytest.mark.parametrize("role", EVERYONE)
@pytest.mark.parametrize("page", PAGES)
def test_everyone_but_a_superuser_is_sent_to_sign_in(admin_client_for, role, page):
    url = reverse(page)

    response = admin_client_for(role).get(url)

    assert (response.status_code, response["Location"]) == (302, f"/admin/login/?next={url}")


@pytest.mark.parametrize("role", EVERYONE)
def test_a_post_from_anyone_but_a_superuser_changes_nothing(admin_client_for, world, role):
    mail = OutgoingMail.objects.create(
        to="a@example.net", subject="Hi", body="x", status="failed", attempts=8
    )
    url = reverse("admin:common_outgoingmail_changelist")

    response = admin_client_for(role).post(url, {"action": "retry", "_selected_action": [mail.pk]})

    mail.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, f"/admin/login/?next={url}")
    assert (mail.status, mail.attempts) == ("failed", 8)
    assert not AuditEntry.objects.filter(action="mail.retried").exists()


@pytest.mark.parametrize("role", [*EVERYONE, "superuser"])
def test_the_admin_sign_in_is_the_sites_own(admin_client_for, role):
    response = admin_client_for(role).get("/admin/login/?next=/admin/common/auditentry/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/admin/common/auditentry/",
    )


def test_the_admin_sign_in_never_sends_anyone_off_site(client, world):
    client.get("/admin/login/?next=https://evil.example.com/")

    response = client.post(
        "/accounts/login/?next=https://evil.example.com/",
        {"email": world.member.email, "password": PASSWORD},
    )

    assert (response.status_code, response["Location"]) == (302, "/accounts/me/")


def test_the_admin_sign_in_takes_no_password(client, world):
    response = client.post("/admin/login/", {"username": world.member.email, "password": PASSWORD})

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_a_superuser_signs_in_on_the_sites_page_and_lands_in_the_admin(client, db):
    UserFactory(email="root@example.net", is_staff=True, is_superuser=True)

    response = client.post(
        "/accounts/login/?next=/admin/",
        {"email": "root@example.net", "password": PASSWORD},
        follow=True,
    )

    assert response.redirect_chain == [("/admin/", 302)]
    assert "Operators&#x27; tools" in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_a_superuser_sees_every_page(admin_client_for, world, page):
    response = admin_client_for("superuser").get(reverse(page))

    assert response.status_code == 200
    assert "1000 Strategists administration" in response.content.decode()


def test_an_inactive_superuser_is_kept_out(client, world):
    client.force_login(
        UserFactory(email="gone@example.net", is_staff=True, is_superuser=True, is_active=False)
    )

    response = client.get("/admin/")

    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")


READ_ONLY = [
    ("admin:common_auditentry", lambda world: AuditEntry.objects.create(action="event.approved")),
    (
        "admin:common_outgoingmail",
        lambda world: OutgoingMail.objects.create(to="a@example.net", subject="s", body="b"),
    ),
    ("admin:accounts_user", lambda world: world.member),
    ("admin:accounts_rolegrant", lambda world: world.other_host.role_grants.get()),
    ("admin:accounts_organization", lambda world: world.organization),
]


@pytest.mark.parametrize(("prefix", "make"), READ_ONLY, ids=[prefix for prefix, _ in READ_ONLY])
def test_a_superuser_can_read_but_not_add_change_or_delete(admin_client_for, world, prefix, make):
    obj = make(world)
    client = admin_client_for("superuser")

    seen = client.get(reverse(f"{prefix}_change", args=[obj.pk]))
    added = client.get(reverse(f"{prefix}_add"))
    changed = client.post(reverse(f"{prefix}_change", args=[obj.pk]), {})
    deleted = client.post(reverse(f"{prefix}_delete", args=[obj.pk]), {"post": "yes"})

    assert (seen.status_code, added.status_code, changed.status_code, deleted.status_code) == (
        200,
        403,
        403,
        403,
    )
    assert type(obj).objects.filter(pk=obj.pk).exists()
