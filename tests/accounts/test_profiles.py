import pytest
from django.urls import reverse

from strategists.accounts import role_services
from strategists.accounts.models import ExpertProfile

pytestmark = pytest.mark.django_db


def test_member_saves_profile_with_organization_and_role(client_for, world):
    client = client_for("member")

    response = client.post(
        reverse("accounts:profile_edit"),
        {
            "name": "Mona M.",
            "pronouns": "she/her",
            "city": "Montréal, QC",
            "languages": ["fr", "en"],
            "preferred_language": "fr",
            "organization": "local 1001",
            "role": "webmaster",
        },
    )

    world.member.refresh_from_db()
    assert response.status_code == 302
    assert (
        world.member.name,
        world.member.pronouns,
        str(world.member.city),
        world.member.organization,
        world.member.role,
        sorted(world.member.languages.values_list("code", flat=True)),
    ) == ("Mona M.", "she/her", "Montréal, QC", world.organization, "webmaster", ["en", "fr"])


def test_profile_refuses_unknown_organization(client_for, world):
    response = client_for("member").post(
        reverse("accounts:profile_edit"),
        {"name": "Mona", "preferred_language": "en", "organization": "Local 99999"},
    )

    assert response.context["form"].errors["organization"] == [
        "No organization named “Local 99999” yet. Check the spelling, or leave it empty and ask a coordinator to add it."
    ]


def test_expert_profile_is_saved_and_shown_on_their_page_once_approved(client_for, world):
    client = client_for("member")

    client.post(
        reverse("accounts:expert_edit"),
        {
            "skill_areas": ["web-and-cms", "digital-security"],
            "home_city": "Chicago, IL",
            "languages": ["en", "es"],
            "availability": "weekends",
            "max_trainings_per_year": "3",
            "answers_questions": "on",
            "experience": "Our local's site.",
            "references": "Ana, ana@example.net",
        },
    )
    hidden = client.get(reverse("accounts:person", kwargs={"pk": world.member.pk})).content.decode()
    role_services.expert_application_decide(
        application=world.member.expert_applications.get(), by=world.coordinator, approve=True
    )
    page = client.get(reverse("accounts:person", kwargs={"pk": world.member.pk}))

    profile = ExpertProfile.objects.get(user=world.member)
    assert (
        sorted(profile.skill_areas.values_list("id", flat=True)),
        str(profile.home_city),
        profile.max_trainings_per_year,
        profile.answers_questions,
        profile.mentors,
    ) == (["digital-security", "web-and-cms"], "Chicago, IL", 3, True, False)
    assert "Web and CMS" in page.content.decode()
    assert "Not volunteering as an expert yet." in hidden


def test_expert_profile_refuses_availability_ending_before_it_starts(client_for, world):
    response = client_for("member").post(
        reverse("accounts:expert_edit"),
        {
            "skill_areas": ["web-and-cms"],
            "home_city": "Chicago, IL",
            "languages": ["en"],
            "availability": "weekends",
            "max_trainings_per_year": "3",
            "available_from": "2027-05-01",
            "available_until": "2027-04-01",
        },
    )

    assert response.context["form"].errors["available_until"] == [
        "The end of your availability is before its start."
    ]


def test_a_person_page_is_private_to_them_and_coordinators(client_for, world):
    url = reverse("accounts:person", kwargs={"pk": world.member.pk})

    assert client_for("host").get(url).status_code == 403
    assert "member@example.net" in client_for("coordinator").get(url).content.decode()
