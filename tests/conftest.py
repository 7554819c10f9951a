import os
import sqlite3
from dataclasses import dataclass

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# test itself (arranging data, reading the outbox) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from django.db import connections

from tests.factories import ExpertProfileFactory, OrganizationFactory, UserFactory

ROLES = ["visitor", "member", "host", "expert", "coordinator"]
# The people an attacker would be: someone whose expert application waits or was declined, a
# host removed from their organization, a host of another organization, a directory curator.
ATTACKER_ROLES = ["applicant", "declined", "ex_host", "other_host", "curator"]


@pytest.fixture(autouse=True)
def signing_keys(settings, tmp_path, monkeypatch):
    """Credential keys in a temporary folder: tests never touch var/keys/."""
    monkeypatch.delenv("STRATEGISTS_SIGNING_KEY", raising=False)
    settings.SIGNING_KEYS_DIR = tmp_path / "keys"
    return settings.SIGNING_KEYS_DIR


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a temporary folder too."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class World:
    """One person per role, and the organization the host hosts for. The attacker roles
    (ATTACKER_ROLES) are made on first use, so tests that count people see only the five."""

    organization: object
    member: object
    host: object
    expert: object
    coordinator: object
    other: object
    _attackers: dict | None = None

    def __getattr__(self, name):
        if name in ATTACKER_ROLES or name == "other_organization":
            if self._attackers is None:
                self._attackers = _attackers(self.organization)
            return self._attackers[name]
        raise AttributeError(name)

    def user(self, role):
        return None if role == "visitor" else getattr(self, role)


@pytest.fixture(scope="session")
def database_snapshot(django_db_setup, django_db_blocker):
    """What the migrations loaded (cities, skill areas, the framework...), before any test."""
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture
def reference_data(transactional_db, database_snapshot):
    """A transactional test ends by emptying every table, migration data included; the next
    one gets it back. (pytest-django runs transactional tests after the others.)"""
    from django.db import connection

    from strategists.accounts.models import City

    if not City.objects.exists():
        from django.contrib.auth.models import Permission
        from django.contrib.contenttypes.models import ContentType

        # The flush re-created content types and permissions; the snapshot has its own.
        Permission.objects.all().delete()
        ContentType.objects.all().delete()
        ContentType.objects.clear_cache()
        connection.creation.deserialize_db_from_string(database_snapshot)


@pytest.fixture
def world(db):
    organization = OrganizationFactory(name="Local 1001", slug="local-1001")
    host = UserFactory(name="Hana Host", email="host@example.net", organization=organization)
    organization.hosts.add(host)
    expert = ExpertProfileFactory(user__name="Ed Expert", user__email="expert@example.net").user
    return World(
        organization=organization,
        member=UserFactory(name="Mona Member", email="member@example.net"),
        host=host,
        expert=expert,
        coordinator=UserFactory(
            name="Cora Coordinator", email="coordinator@example.net", is_coordinator=True
        ),
        other=UserFactory(name="Otto Other", email="other@example.net"),
    )


def _attackers(organization) -> dict:
    from strategists.accounts import role_services
    from strategists.accounts.models import SkillArea

    coordinator = UserFactory(name="Gail Granter", email="granter@example.net", is_coordinator=True)
    areas = SkillArea.objects.filter(id__in=["email-and-lists", "digital-security"])
    applicant = UserFactory(name="Pat Pending", email="applicant@example.net")
    role_services.expert_application_submit(
        user=applicant,
        skill_areas=areas,
        experience="Years of lists.",
        references="Someone, someone@example.net",
    )
    declined = UserFactory(name="Dee Declined", email="declined@example.net")
    application = role_services.expert_application_submit(
        user=declined, skill_areas=areas, experience="Not much.", references="Nobody"
    )
    role_services.expert_application_decide(
        application=application, by=coordinator, approve=False, message="Not yet."
    )
    ex_host = UserFactory(name="Ex Host", email="exhost@example.net", organization=organization)
    role_services.role_grant(user=ex_host, role="host", organization=organization, by=coordinator)
    role_services.role_revoke(
        user=ex_host,
        role="host",
        organization=organization,
        by=coordinator,
        reason="Left the local.",
    )
    other_organization = OrganizationFactory(name="Local 2002", slug="local-2002")
    other_host = UserFactory(
        name="Olga Otherhost", email="otherhost@example.net", organization=other_organization
    )
    role_services.role_grant(
        user=other_host, role="host", organization=other_organization, by=coordinator
    )
    curator = UserFactory(name="Cu Rator", email="curator@example.net")
    role_services.role_grant(user=curator, role="curator", by=coordinator)
    return {
        "applicant": applicant,
        "declined": declined,
        "ex_host": ex_host,
        "other_host": other_host,
        "curator": curator,
        "other_organization": other_organization,
    }


@pytest.fixture
def client_for(client, world):
    """A test client signed in as the person with that role (anonymous for a visitor)."""

    def make(role):
        client.logout()
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def rate_limit_counters():
    """Rate-limit counters live in the cache: each test starts with none, so no test sees
    another's 429."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shared_database(transactional_db, reference_data, tmp_path):
    """A database that the server's threads, each with its own connection, can all write to.

    SQLite's in-memory test database is shared between connections through its shared cache,
    whose locks fail at once instead of waiting: on SQLite the test runs on a file copy of it
    instead, in WAL mode with immediate transactions like production."""
    connection = connections["default"]
    settings_dict = connection.settings_dict
    assert connections.settings["default"] is settings_dict  # new connections read this dict
    saved = dict(settings_dict)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        path = tmp_path / "concurrent.sqlite3"
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        settings_dict["NAME"] = str(path)
        connections["default"] = connections.create_connection("default")
    # Server threads close their connection after each request, so none outlives the test.
    settings_dict["CONN_MAX_AGE"] = 0
    try:
        yield
    finally:
        if connections["default"] is not connection:
            connections["default"].close()
            connections["default"] = connection
        settings_dict.clear()
        settings_dict.update(saved)
