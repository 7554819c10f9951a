"""Roles are granted, never claimed: the attacks of issue 10 replayed against the role flows."""

import pytest
from django.urls import reverse

from strategists.accounts import role_services
from strategists.accounts.models import ExpertApplication, ExpertProfile, HostRequest, RoleGrant
from strategists.common.models import AuditEntry, OutgoingMail
from tests.factories import EventFactory, UserFactory

VOLUNTEER = {
    "skill_areas": ["web-and-cms", "digital-security"],
    "home_city": "Chicago, IL",
    "languages": ["en", "es"],
    "availability": "weekends",
    "max_trainings_per_year": "3",
    "answers_questions": "on",
    "experience": "I run our local's website.",
    "references": "Ana, ana@example.net",
}


def actions(obj):
    return list(
        AuditEntry.objects.filter(
            object_id=str(obj.pk), object_type=f"{obj._meta.app_label}.{obj._meta.model_name}"
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_volunteering_is_an_application_not_a_role(client_for, world):
    client = client_for("member")

    client.post(reverse("accounts:expert_edit"), VOLUNTEER)

    world.member.refresh_from_db()
    application = ExpertApplication.objects.get(user=world.member)
    profile = ExpertProfile.objects.get(user=world.member)
    assert (
        application.state,
        world.member.is_expert,
        profile.is_active,
        list(profile.approved_areas.all()),
    ) == ("pending", False, False, [])
    assert actions(application) == ["expert_application.submitted"]
    page = client.get(reverse("accounts:expert_edit")).content.decode()
    assert "is waiting for a coordinator" in page


def test_a_pending_applicant_cannot_open_the_review_queue(client_for, world):
    response = client_for("applicant").get(reverse("curriculum:review_queue"))

    assert response.status_code == 403


def test_coordinator_approves_an_application_and_the_expert_reviews_only_those_areas(
    client_for, world
):
    application = world.applicant.expert_applications.get()

    response = client_for("coordinator").post(
        reverse("accounts:expert_application", kwargs={"pk": application.pk}),
        {"decision": "approve", "message": "Welcome aboard."},
    )

    world.applicant.refresh_from_db()
    profile = world.applicant.expert_profile
    assert response.status_code == 302
    assert (
        world.applicant.is_expert,
        sorted(profile.approved_areas.values_list("id", flat=True)),
    ) == (True, ["digital-security", "email-and-lists"])
    grant = RoleGrant.objects.get(user=world.applicant, role="expert")
    assert (grant.state, grant.granted_by) == ("active", world.coordinator)
    assert actions(application) == ["expert_application.submitted", "expert_application.approved"]
    assert actions(grant) == ["role.granted"]
    mail = OutgoingMail.objects.get(to=world.applicant.email, kind="role")
    assert mail.subject == "You are now a volunteer expert"
    assert "Welcome aboard." in mail.body


def test_declining_needs_a_message_and_the_applicant_reads_it(client_for, world):
    application = world.applicant.expert_applications.get()
    url = reverse("accounts:expert_application", kwargs={"pk": application.pk})
    coordinator = client_for("coordinator")

    refused = coordinator.post(url, {"decision": "decline", "message": ""})
    coordinator.post(url, {"decision": "decline", "message": "Come back with a reference."})

    assert refused.context["form"].errors["message"] == [
        "Say why, so the person knows what to do next."
    ]
    page = client_for("applicant").get(reverse("accounts:expert_edit")).content.decode()
    assert "Come back with a reference." in page
    assert ExpertApplication.objects.get(pk=application.pk).state == "declined"


def test_nobody_decides_their_own_application(world):
    application = role_services.expert_application_submit(
        user=world.coordinator, skill_areas=["web-and-cms"], experience="x", references="y"
    )

    with pytest.raises(role_services.RoleError):
        role_services.expert_application_decide(
            application=application, by=world.coordinator, approve=True
        )


def test_an_expert_cannot_grant_anything(client_for, world):
    response = client_for("expert").post(
        reverse("accounts:role_grant"),
        {"email": world.other.email, "role": "expert", "reason": "friend"},
    )

    assert response.status_code == 403
    assert not RoleGrant.objects.filter(user=world.other).exists()


def test_only_coordinators_grant_the_coordinator_role(world):
    with pytest.raises(
        role_services.RoleError, match="Only coordinators grant the coordinator role"
    ):
        role_services.role_grant(user=world.other, role="coordinator", by=world.host)

    role_services.role_grant(
        user=world.other, role="coordinator", by=world.coordinator, reason="New staff."
    )

    world.other.refresh_from_db()
    assert world.other.is_coordinator is True


def test_host_request_is_decided_by_the_organizations_hosts(client_for, world):
    client_for("other").post(
        reverse("accounts:host_request_new"),
        {"organization": "Local 1001", "message": "I chair the communications committee."},
    )
    request = HostRequest.objects.get(user=world.other)

    other_host = client_for("other_host").post(
        reverse("accounts:host_request_decide", kwargs={"pk": request.pk}), {"decision": "approve"}
    )
    host = client_for("host").post(
        reverse("accounts:host_request_decide", kwargs={"pk": request.pk}), {"decision": "approve"}
    )

    assert (other_host.status_code, host.status_code) == (404, 302)
    assert list(world.organization.hosts.order_by("email").values_list("email", flat=True)) == [
        "host@example.net",
        "other@example.net",
    ]
    assert actions(request) == ["host_request.submitted", "host_request.approved"]


def test_a_host_of_another_organization_does_not_see_the_request(client_for, world):
    HostRequest.objects.create(
        user=world.other, organization=world.organization, message="secret plans"
    )

    page = client_for("other_host").get(reverse("accounts:host_requests")).content.decode()

    assert "secret plans" not in page
    assert "No requests waiting." in page


def test_a_revoked_host_loses_their_trainings_on_the_next_request(client_for, world):
    event = EventFactory(organization=world.organization, proposed_by=world.host)
    client = client_for("host")
    before = client.get(reverse("events:attendees", kwargs={"pk": event.pk})).status_code

    role_services.role_grant(
        user=world.host, role="host", organization=world.organization, by=world.coordinator
    )
    grant = RoleGrant.objects.get(user=world.host, role="host")
    client_for("coordinator").post(
        reverse("accounts:role_change", kwargs={"pk": grant.pk, "action": "revoke"}),
        {"reason": "Left the local."},
    )
    client.force_login(world.host)
    after = client.get(reverse("events:attendees", kwargs={"pk": event.pk})).status_code

    assert (before, after) == (200, 403)
    assert actions(grant) == ["role.granted", "role.revoked"]
    assert AuditEntry.objects.get(action="role.revoked").data["reason"] == "Left the local."


def test_suspending_needs_a_reason(client_for, world):
    grant = role_services.role_grant(user=world.other, role="curator", by=world.coordinator)

    response = client_for("coordinator").post(
        reverse("accounts:role_change", kwargs={"pk": grant.pk, "action": "suspend"}),
        {"reason": ""},
    )

    assert response.status_code == 400
    assert RoleGrant.objects.get(pk=grant.pk).state == "active"


def test_roles_page_lists_everyones_roles_with_who_granted_them(client_for, world):
    role_services.role_grant(
        user=world.other, role="curator", by=world.coordinator, reason="Keeps the directory."
    )
    UserFactory(email="nobody@example.net")

    page = (
        client_for("coordinator")
        .get(reverse("accounts:roles"), {"role": "curator"})
        .content.decode()
    )

    assert "other@example.net" in page
    assert "Keeps the directory." in page
    assert "nobody@example.net" not in page
