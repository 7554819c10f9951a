"""The attacks of issue 10 on evidence, replayed: each one fails."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from strategists.accounts import role_services as accounts_role_services
from strategists.accounts.models import SkillArea
from strategists.curriculum import selectors, services
from strategists.curriculum.models import Certification, Credential, Evidence
from tests.curriculum.conftest import (
    almost_certified,
    capstone,
    competency,
    completed_training,
    pending,
)
from tests.factories import ExpertProfileFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_expert_walking_evidence_ids_finds_nothing_outside_their_areas_and_conflicts(
    client_for, world
):
    colleague = UserFactory(name="Carla Colleague", organization=world.other_organization)
    world.expert.organization = world.other_organization
    world.expert.save()
    hidden = [
        pending(UserFactory(name="Wanda Webperson"), "web-and-cms"),  # outside the expert's areas
        pending(colleague),  # their own organization
        pending(world.member, "social-media"),  # outside again
    ]
    visible = pending(UserFactory(name="Vera Visible"))  # their area, independent
    client = client_for("expert")

    pages = {
        evidence.pk: client.get(reverse("curriculum:evidence", kwargs={"pk": evidence.pk}))
        for evidence in [*hidden, visible]
    }
    files = [
        client.get(reverse("curriculum:evidence_file", kwargs={"pk": e.pk})).status_code
        for e in hidden
    ]
    paths = [
        client.get(reverse("curriculum:person_path", kwargs={"pk": e.person_id})).status_code
        for e in hidden
    ]

    assert {pk: response.status_code for pk, response in pages.items()} == {
        hidden[0].pk: 404,
        hidden[1].pk: 404,
        hidden[2].pk: 404,
        visible.pk: 200,
    }
    assert (files, paths) == ([404, 404, 404], [404, 404, 404])
    leaked = [
        name
        for name in ("Wanda Webperson", "Carla Colleague", "Mona Member")
        if any(name in response.content.decode() for response in pages.values())
    ]
    assert leaked == []
    assert list(selectors.review_queue(world.expert)) == [visible]


def test_a_self_made_expert_without_approved_areas_reviews_nothing(client_for, world):
    impostor = ExpertProfileFactory(user__email="impostor@example.net").user
    impostor.expert_profile.approved_areas.clear()  # active flag, but no coordinator approved an area
    evidence = pending(world.member)
    client = client_for("member")
    client.force_login(impostor)

    page = client.get(reverse("curriculum:evidence", kwargs={"pk": evidence.pk}))
    queue = client.get(reverse("curriculum:review_queue"))
    with pytest.raises(PermissionDenied):
        services.evidence_review(evidence=evidence, by=impostor, approve=True)

    assert (page.status_code, queue.status_code, Evidence.objects.get(pk=evidence.pk).status) == (
        404,
        403,
        "pending",
    )


def test_an_expert_cannot_certify_a_throwaway_account(world, commit):
    throwaway = UserFactory(name="Throw Away", email="throwaway@example.net")
    signed, refused = [], []
    for area in SkillArea.objects.order_by("position"):
        for level in (2, 3):
            try:
                services.evidence_sign_off(
                    person=throwaway,
                    by=world.expert,
                    competency=competency(area.pk, level),
                    description="Saw it, honest.",
                )
                signed.append(f"{area.pk}/{level}")
            except PermissionDenied:
                refused.append(area.pk)
    plan = capstone(throwaway)
    with commit():
        services.evidence_review(evidence=plan, by=world.expert, approve=True)

    assert signed == [
        "email-and-lists/2",
        "email-and-lists/3",
        "digital-security/2",
        "digital-security/3",
    ]
    assert len(refused) == 16
    assert (
        Certification.objects.filter(person=throwaway).exists(),
        Credential.objects.filter(person=throwaway, kind="certificate").exists(),
    ) == (False, False)


def test_a_throwaway_in_the_experts_declared_organization_gets_nothing(world):
    organization = OrganizationFactory(name="Local 77", slug="local-77")
    world.expert.organization = organization
    world.expert.save()
    throwaway = UserFactory(organization=organization)

    with pytest.raises(PermissionDenied):
        services.evidence_sign_off(
            person=throwaway,
            by=world.expert,
            competency=competency("email-and-lists", 2),
            description="Saw it.",
        )
    assert Evidence.objects.filter(person=throwaway).count() == 0


def test_granted_organizations_count_even_when_the_declared_one_differs(world):
    # The expert hosts for Local 1001 (granted) and declares nothing; the person declares Local 1001.
    accounts_role_services.role_grant(
        user=world.expert, role="host", organization=world.organization, by=world.coordinator
    )
    person = UserFactory(organization=world.organization)
    evidence = pending(person)
    # An approved application's organization counts too, on the reviewer's side.
    reviewer = ExpertProfileFactory().user
    application = accounts_role_services.expert_application_submit(
        user=UserFactory(),
        skill_areas=["email-and-lists"],
        experience="Years.",
        references="Ann",
        organization=world.other_organization,
    )
    accounts_role_services.expert_application_decide(
        application=application, by=world.coordinator, approve=True
    )
    applicant = application.user
    other_side = UserFactory(organization=world.other_organization)

    assert (
        world.expert.has_perm("curriculum.review_evidence", evidence),
        reviewer.has_perm("curriculum.review_evidence", evidence),
        applicant.has_perm("curriculum.review_evidence", pending(other_side)),
        applicant.has_perm("curriculum.review_evidence", pending(UserFactory())),
    ) == (False, True, False, True)


def test_no_sign_off_rings(world):
    second = ExpertProfileFactory(user__name="Sam Second").user
    first_evidence = pending(world.expert)
    services.evidence_review(evidence=first_evidence, by=second, approve=True)  # Sam reviewed Ed
    second_evidence = pending(second)

    with pytest.raises(PermissionDenied):
        services.evidence_review(evidence=second_evidence, by=world.expert, approve=True)
    with pytest.raises(PermissionDenied):
        services.evidence_sign_off(
            person=second,
            by=world.expert,
            competency=competency("email-and-lists", 3),
            description="Returning the favour.",
        )
    assert second_evidence not in selectors.review_queue(world.expert)
    assert Evidence.objects.get(pk=second_evidence.pk).status == "pending"


def test_a_reviewer_never_sees_a_trainings_attendee_list(client_for, world, commit):
    with commit():
        event = completed_training(
            host=world.host, coordinator=world.coordinator, attendees=[world.member]
        )
    client = client_for("expert")

    statuses = [
        client.get(reverse(name, kwargs={"pk": event.pk})).status_code
        for name in ("events:attendees", "events:attendees_csv", "events:checkin")
    ]

    assert statuses == [403, 403, 403]


def test_coordinators_trace_a_credential_to_its_evidence_and_deciders(client_for, world, commit):
    with commit():
        completed_training(host=world.host, coordinator=world.coordinator, attendees=[world.member])
        services.evidence_sign_off(
            person=world.member,
            by=world.expert,
            competency=competency("email-and-lists", 2),
            description="Ran the list clean-up.",
        )
    l1 = Credential.objects.get(person=world.member, competency=competency("email-and-lists", 1))
    l2 = Credential.objects.get(person=world.member, competency=competency("email-and-lists", 2))

    l1_page = client_for("coordinator").get(
        reverse("curriculum:credential_trace", kwargs={"pk": l1.pk})
    )
    l2_page = client_for("coordinator").get(
        reverse("curriculum:credential_trace", kwargs={"pk": l2.pk})
    )
    credential_page = client_for("coordinator").get(
        reverse("curriculum:credential", kwargs={"pk": l2.pk})
    )

    l1_evidence = l1_page.context["evidence"]
    assert [(e.kind, e.event.title, e.event.completed_by) for e in l1_evidence] == [
        ("attendance", "Email and security basics", world.host)
    ]
    assert "attendance marked by Hana Host" in l1_page.content.decode()
    assert [(e.kind, e.reviewed_by) for e in l2_page.context["evidence"]] == [
        ("sign-off", world.expert)
    ]
    l1_actions = [entry.action for entry in l1_page.context["entries"]]
    assert l1_actions[:3] == ["event.proposed", "event.approved", "registration.created"]
    assert {
        "event.completed",
        "evidence.attended",
        "credential.issued",
        "registration.checked_in",
    } <= set(l1_actions)
    assert [entry.action for entry in l2_page.context["entries"]] == [
        "evidence.signed_off",
        "credential.issued",
    ]
    assert (
        reverse("curriculum:credential_trace", kwargs={"pk": l2.pk})
        in credential_page.content.decode()
    )


def test_a_certificate_trace_lists_the_capstone_and_its_reviewer(client_for, world, commit):
    almost_certified(world.member, capstone=False)
    plan = capstone(world.member)
    with commit():
        services.evidence_review(evidence=plan, by=world.expert, approve=True)
    certificate = Credential.objects.get(person=world.member, kind="certificate")

    page = client_for("coordinator").get(
        reverse("curriculum:credential_trace", kwargs={"pk": certificate.pk})
    )

    capstones = [(e.title, e.reviewed_by) for e in page.context["evidence"] if e.is_capstone]
    assert (capstones, len(page.context["evidence"]), page.context["certification"].status) == (
        [("Plan for Local 1001", world.expert)],
        13,
        "certified",
    )
    assert [
        entry.action
        for entry in page.context["entries"]
        if entry.object_type != "curriculum.evidence"
    ] == ["certification.granted", "credential.issued"]


def test_an_expert_on_someones_path_sees_only_the_evidence_of_their_areas(
    client_for, world, commit
):
    with commit():
        completed_training(
            host=world.host,
            coordinator=world.coordinator,
            attendees=[world.member],
            areas=("email-and-lists", "web-and-cms"),
        )
    pending(world.member)  # email and lists: the expert's reason to look

    page = client_for("expert").get(
        reverse("curriculum:person_path", kwargs={"pk": world.member.pk})
    )

    shown = sorted(
        (e.competency.area_id, e.kind) for row in page.context["rows"] for e in row["evidence"]
    )
    assert shown == [("email-and-lists", "attendance"), ("email-and-lists", "work-sample")]
    assert [row["level"] for row in page.context["rows"] if row["area"].pk == "web-and-cms"] == [1]
