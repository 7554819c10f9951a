"""Each accounts service that changes something writes its audit entry in the same transaction."""

import pytest
from django.urls import reverse

from strategists.accounts import role_services, services
from strategists.accounts.models import Language, Organization, RoleGrant, SkillArea
from strategists.accounts.tokens import email_verification_token
from strategists.common.models import AuditEntry
from tests.factories import UserFactory, city

pytestmark = pytest.mark.django_db


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def test_signup_writes_one_entry_by_the_new_person():
    user = services.user_signup(
        email="new@example.net",
        name="Nell New",
        password="a long passphrase 42",
        city=city(),
        preferred_language="es",
    )

    [entry] = entries("account.signed_up")
    assert (entry.actor, entry.object_type, entry.object_id, entry.object_label) == (
        user,
        "accounts.user",
        str(user.pk),
        "Nell New",
    )
    assert entry.data == {}


def test_verifying_an_address_writes_one_entry_and_a_used_link_writes_none():
    user = UserFactory(email_verified_at=None)
    token = email_verification_token.make_token(user)

    assert services.user_verify_email(user=user, token=token) is True
    assert services.user_verify_email(user=user, token=token) is False

    assert [(e.actor, e.object_id) for e in entries("account.email_verified")] == [
        (user, str(user.pk))
    ]


def test_profile_update_records_only_what_changed():
    user = UserFactory(name="Old Name", pronouns="", city=city(), preferred_language="en")
    user.languages.set(Language.objects.filter(code="en"))

    services.user_update_profile(
        user=user,
        name="New Name",
        pronouns="she/her",
        city=user.city,
        languages=Language.objects.filter(code__in=["en", "es"]),
        preferred_language="en",
        organization=None,
        role=user.role,
    )

    [entry] = entries("account.profile_updated")
    assert entry.actor == user
    assert entry.data == {
        "before": {"name": "Old Name", "pronouns": "", "languages": ["en"]},
        "after": {"name": "New Name", "pronouns": "she/her", "languages": ["en", "es"]},
    }


def test_profile_saved_unchanged_writes_no_entry():
    user = UserFactory(
        name="Same", pronouns="", city=city(), preferred_language="en", organization=None
    )
    user.languages.set(Language.objects.filter(code="en"))

    services.user_update_profile(
        user=user,
        name="Same",
        pronouns="",
        city=user.city,
        languages=Language.objects.filter(code="en"),
        preferred_language="en",
        organization=None,
        role=user.role,
    )

    assert entries("account.profile_updated") == []


def expert_values(**overrides):
    values = {
        "skill_areas": SkillArea.objects.filter(id="email-and-lists"),
        "home_city": city(),
        "languages": Language.objects.filter(code="en"),
        "availability": "weekends",
        "max_trainings_per_year": 4,
        "answers_questions": True,
        "mentors": False,
    }
    return {**values, **overrides}


def test_expert_profile_creation_then_update_write_one_entry_each():
    user = UserFactory()

    profile = services.expert_profile_save(user=user, **expert_values())
    services.expert_profile_save(
        user=user,
        **expert_values(
            max_trainings_per_year=6,
            skill_areas=SkillArea.objects.filter(id__in=["email-and-lists", "digital-security"]),
        ),
    )

    [created] = entries("expert_profile.created")
    [updated] = entries("expert_profile.updated")
    assert (created.actor, created.object_type, created.object_id) == (
        user,
        "accounts.expertprofile",
        str(profile.pk),
    )
    assert created.data["after"]["skill_areas"] == ["email-and-lists"]
    assert "before" not in created.data
    assert updated.data == {
        "before": {"max_trainings_per_year": 4, "skill_areas": ["email-and-lists"]},
        "after": {
            "max_trainings_per_year": 6,
            "skill_areas": ["digital-security", "email-and-lists"],
        },
    }


def test_organization_creation_grants_its_hosts_as_roles(world):
    host = UserFactory(name="Nina Newhost")

    organization = services.organization_save(
        name="Teamsters Local 700",
        type="local-union",
        city=city(),
        host_emails=[host],
        by=world.coordinator,
    )

    [created] = entries("organization.created")
    [granted] = entries("role.granted")[-1:]
    assert (created.actor, created.object_id, created.object_label) == (
        world.coordinator,
        str(organization.pk),
        "Teamsters Local 700",
    )
    assert created.data["after"]["name"] == "Teamsters Local 700"
    assert list(organization.hosts.all()) == [host]
    grant = RoleGrant.objects.get(user=host, organization=organization)
    assert (grant.role, grant.state, grant.granted_by) == ("host", "active", world.coordinator)
    assert (granted.actor, granted.object_id, granted.data["person"]) == (
        world.coordinator,
        str(grant.pk),
        host.pk,
    )


def test_organization_form_grants_and_revokes_hosts_through_roles(client_for, world):
    newcomer = UserFactory(email="newcomer@example.net")
    organization = world.organization

    response = client_for("coordinator").post(
        reverse("accounts:organization_edit", kwargs={"pk": organization.pk}),
        {
            "name": "Local 1001 (renamed)",
            "type": organization.type,
            "parent": "",
            "city": "",
            "website": "",
            "host_emails": "newcomer@example.net\n",
        },
    )

    assert response.status_code == 302
    assert list(organization.hosts.all()) == [newcomer]
    assert {
        (g.user, g.state, g.changed_by) for g in RoleGrant.objects.filter(organization=organization)
    } >= {(newcomer, "active", world.coordinator), (world.host, "revoked", world.coordinator)}
    [updated] = entries("organization.updated")
    assert (updated.actor, updated.data["before"]["name"], updated.data["after"]["name"]) == (
        world.coordinator,
        "Local 1001",
        "Local 1001 (renamed)",
    )
    revoked = [e for e in entries("role.revoked") if e.data["person"] == world.host.pk]
    assert [(e.actor, e.data["organization"]) for e in revoked] == [
        (world.coordinator, organization.pk)
    ]


def test_organization_saved_unchanged_writes_nothing(world):
    organization = world.organization
    before = AuditEntry.objects.count()

    services.organization_save(
        organization=organization,
        name=organization.name,
        type=organization.type,
        parent=organization.parent,
        city=organization.city,
        website=organization.website,
        host_emails=list(organization.hosts.all()),
        by=world.coordinator,
    )

    assert AuditEntry.objects.count() == before
    assert Organization.objects.get(pk=organization.pk).name == "Local 1001"


def test_a_refused_host_grant_undoes_the_organization_and_its_entry(world):
    """The entry is written in the service's transaction: when the change fails, so does it."""
    with pytest.raises(role_services.RoleError):
        services.organization_save(
            name="Rogue Local", type="local-union", host_emails=[world.member], by=world.member
        )

    assert (
        entries("organization.created"),
        Organization.objects.filter(name="Rogue Local").exists(),
    ) == ([], False)
