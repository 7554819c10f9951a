"""Each person downloads all their data and can delete their account: personal data erased, what
counts kept with no name, credentials still verifiable (revoked or kept, as they chose)."""

import datetime as dt
import json
import os
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from strategists.accounts.models import User
from strategists.api.models import ApiToken
from strategists.common.models import AuditEntry, OutgoingMail
from strategists.curriculum import issuing, verifying
from strategists.curriculum.models import Certification, Credential, Evidence
from strategists.events.models import CalendarFeed, Registration
from strategists.referrals.models import Answer, Question
from tests.curriculum.conftest import approved, competency
from tests.factories import PASSWORD, EventFactory

pytestmark = pytest.mark.django_db


@dataclass
class Footprint:
    """One person's traces across the apps, and the training they came to."""

    event: object
    evidence: Evidence
    upload: Evidence
    credentials: list
    question: Question
    answered: Question


def footprint(person, event, *, tag: str) -> Footprint:
    Registration.objects.create(
        event=event,
        person=person,
        status=Registration.Status.REGISTERED,
        checked_in_at=event.starts_at,
    )
    evidence = approved(person, "web-and-cms", 2)
    Evidence.objects.filter(pk=evidence.pk).update(
        description=f"{tag}: audited our local's website"
    )
    upload = Evidence.objects.create(
        person=person,
        competency=competency("digital-security", 2),
        kind=Evidence.Kind.WORK_SAMPLE,
        description=f"{tag}: security checklist",
        file=SimpleUploadedFile("checklist.txt", b"lock it down"),
    )
    Certification.objects.create(person=person, certified_at=timezone.now())
    credentials = issuing.credentials_issue(people=[person])
    question = Question.objects.create(
        asker=person, text=f"{tag}: how do we move our list off a spreadsheet?"
    )
    answered = Question.objects.create(
        asker=person,
        text=f"{tag}: which texting tool for a strike?",
        details=f"{tag}: our local has 300 members",
    )
    return Footprint(
        event, Evidence.objects.get(pk=evidence.pk), upload, credentials, question, answered
    )


@pytest.fixture
def traces(world):
    event = EventFactory(
        organization=world.organization,
        state="completed",
        starts_at=timezone.now() - dt.timedelta(days=3),
    )
    mine = footprint(world.member, event, tag="Mona")
    theirs = footprint(world.other, event, tag="Otto")
    Answer.objects.create(
        question=mine.answered, author=world.expert, body="Try a peer-to-peer tool."
    )
    CalendarFeed.objects.create(person=world.member)
    ApiToken.objects.create(user=world.member, digest="d" * 64, prefix="abcd1234")
    OutgoingMail.objects.create(
        to=world.member.email, subject="You're registered: Digital organizing", body="Hi Mona"
    )
    OutgoingMail.objects.create(to=world.other.email, subject="Otto's own mail", body="Hi Otto")
    return mine, theirs


# Export ------------------------------------------------------------------------------------------


def test_the_export_has_all_of_the_persons_data_and_nothing_of_anyone_else(
    client_for, world, traces
):
    mine, _theirs = traces

    response = client_for("member").post(reverse("accounts:data_export"))

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="1000-strategists-my-data-'
    )
    raw = response.content.decode()
    data = json.loads(raw)
    assert data["account"]["profile"]["name"] == "Mona Member"
    assert data["account"]["profile"]["email"] == "member@example.net"
    assert [
        (r["event"]["title"], r["checked_in"] is not None)
        for r in data["trainings"]["registrations"]
    ] == [(mine.event.title, True)]
    assert sorted(e["description"] for e in data["skills"]["evidence"]) == [
        "Mona: audited our local's website",
        "Mona: security checklist",
    ]
    assert sorted(c["id"] for c in data["skills"]["credentials"]) == sorted(
        str(c.pk) for c in mine.credentials
    )
    assert [
        c["document"]
        for c in data["skills"]["credentials"]
        if c["id"] == str(mine.credentials[0].pk)
    ] == [mine.credentials[0].document]
    assert data["skills"]["certification"]["status"] == "certified"
    assert sorted(q["text"] for q in data["directory"]["questions"]) == [
        "Mona: how do we move our list off a spreadsheet?",
        "Mona: which texting tool for a strike?",
    ]
    assert data["trainings"]["calendar_feed"] is True
    assert data["api"]["api_tokens"][0]["prefix"] == "abcd1234"
    assert [m["subject"] for m in data["platform"]["mail_sent_to_you"]] == [
        "You're registered: Digital organizing"
    ]
    for other in ["Otto", "other@example.net", "Hana Host", "host@example.net"]:
        assert other not in raw
    assert (
        AuditEntry.objects.filter(action="account.data_exported", actor=world.member).count() == 1
    )


def test_the_export_page_offers_a_download_button(client_for):
    response = client_for("member").get(reverse("accounts:data_export"))

    assert '<button type="submit">Download my data</button>' in response.content.decode()


# Deletion ----------------------------------------------------------------------------------------


def delete(client, email="member@example.net", credentials="revoke"):
    return client.post(
        reverse("accounts:account_delete"), {"credentials": credentials, "confirm_email": email}
    )


def figures(event) -> tuple[int, int, int]:
    return (
        Certification.objects.filter(status=Certification.Status.CERTIFIED).count(),
        event.registrations.filter(status=Registration.Status.REGISTERED).count(),
        event.registrations.filter(checked_in_at__isnull=False).count(),
    )


def test_deleting_erases_the_person_and_keeps_the_counts(client_for, world, traces):
    mine, _theirs = traces
    member_id = world.member.pk
    before = figures(mine.event)
    client_for("member").post(reverse("accounts:data_export"))  # an entry they are the actor of
    upload_path = mine.upload.file.path

    response = delete(client_for("member"))

    assert "Your account is deleted" in response.content.decode()
    person = User.objects.get(pk=member_id)
    assert (
        person.name,
        person.email,
        person.is_active,
        person.has_usable_password(),
        person.pronouns,
    ) == ("Deleted person", f"deleted-{member_id}@deleted.invalid", False, False, "")
    assert list(person.languages.all()) == []
    assert figures(mine.event) == before
    # Their unapproved upload is gone, file and all; approved evidence keeps no text.
    assert not Evidence.objects.filter(pk=mine.upload.pk).exists()
    assert not os.path.exists(upload_path)
    assert list(Evidence.objects.filter(person=person).values_list("description", "status")) == [
        ("", "approved")
    ]
    # The unanswered question is gone; the answered one stays, without its details.
    assert list(Question.objects.filter(asker=person).values_list("text", "details")) == [
        ("Mona: which texting tool for a strike?", "")
    ]
    assert not CalendarFeed.objects.filter(person=person).exists()
    assert not ApiToken.objects.filter(user=person).exists()
    assert not OutgoingMail.objects.filter(to="member@example.net").exists()
    # The other person's data is untouched.
    assert Question.objects.filter(asker=world.other).count() == 2
    assert Evidence.objects.filter(
        person=world.other, description="Otto: security checklist"
    ).exists()
    assert OutgoingMail.objects.filter(to="other@example.net").count() == 1
    # The log keeps every entry, no longer naming them.
    label = f"deleted person #{member_id}"
    assert set(AuditEntry.objects.filter(actor=person).values_list("actor_label", flat=True)) == {
        label
    }
    assert list(
        AuditEntry.objects.filter(action="account.deleted").values_list("object_id", "data")
    ) == [
        (
            str(member_id),
            {
                "credentials": "revoked",
                "sections": [
                    "trainings",
                    "materials",
                    "skills",
                    "surveys",
                    "directory",
                    "api",
                    "imports",
                    "messages",
                    "webhook_endpoints",
                    "platform",
                ],
            },
        )
    ]
    assert not AuditEntry.objects.filter(object_label__contains="Mona Member").exists()
    assert not AuditEntry.objects.filter(actor_label__contains="Mona Member").exists()


def test_after_deletion_they_cant_sign_in_and_their_sessions_are_over(world, traces, client):
    from django.test import Client

    elsewhere = Client()
    elsewhere.force_login(world.member)
    client.force_login(world.member)

    delete(client)
    home = client.get(reverse("accounts:me"))
    other_device = elsewhere.get(reverse("accounts:me"))
    sign_in = client.post(
        reverse("accounts:login"), {"email": "member@example.net", "password": PASSWORD}
    )

    assert home.status_code == other_device.status_code == 302
    assert home.url.startswith(reverse("accounts:login")) and other_device.url.startswith(
        reverse("accounts:login")
    )
    assert sign_in.context["form"].non_field_errors() == ["That email and password don't match."]


def test_after_deletion_their_name_appears_on_no_page(client_for, world, traces):
    mine, _theirs = traces
    delete(client_for("member"))
    credential = mine.credentials[0]

    pages = {
        "attendees": client_for("host").get(reverse("events:attendees", args=[mine.event.pk])),
        "attendees.csv": client_for("host").get(
            reverse("events:attendees_csv", args=[mine.event.pk])
        ),
        "credential": client_for("visitor").get(
            reverse("curriculum:credential", args=[credential.pk])
        ),
        "certified": client_for("coordinator").get(reverse("curriculum:certified_list")),
    }

    for name, response in pages.items():
        text = response.content.decode()
        assert response.status_code == 200, name
        assert "Mona" not in text and "member@example.net" not in text, name
    assert "Otto Other" in pages["attendees"].content.decode()
    assert "Deleted person" in pages["attendees"].content.decode()
    assert "Awarded to Deleted person by 1000 Strategists." in pages["credential"].content.decode()


def test_revoked_credentials_verify_as_revoked_and_the_certification_still_counts(
    client_for, world, traces
):
    mine, theirs = traces
    documents = [c.document for c in mine.credentials]

    delete(client_for("member"), credentials="revoke")

    assert [verifying.credential_verify(d).status for d in documents] == ["revoked"] * len(
        documents
    )
    assert [verifying.credential_verify(c.document).status for c in theirs.credentials] == (
        ["valid"] * len(theirs.credentials)
    )
    assert Certification.objects.get(person=world.member).status == Certification.Status.CERTIFIED
    assert set(
        Credential.objects.filter(person=world.member).values_list("revoked_reason", flat=True)
    ) == {"The holder deleted their account and asked for their credentials to be revoked."}


def test_kept_credentials_still_verify(client_for, world, traces):
    mine, _theirs = traces
    documents = [c.document for c in mine.credentials]

    delete(client_for("member"), credentials="keep")

    assert [verifying.credential_verify(d).status for d in documents] == ["valid"] * len(documents)
    assert Credential.objects.filter(person=world.member, revoked_at__isnull=True).count() == len(
        documents
    )
    # Nothing new is ever issued to a deleted account.
    assert issuing.credentials_issue(people=[User.objects.get(pk=world.member.pk)]) == []


def test_deleting_needs_the_accounts_address_and_a_choice(client_for, world):
    client = client_for("member")

    wrong = delete(client, email="someone@example.net")
    no_choice = client.post(
        reverse("accounts:account_delete"), {"confirm_email": "member@example.net"}
    )

    assert wrong.context["form"].errors == {
        "confirm_email": ["That is not the email address of your account."]
    }
    assert no_choice.context["form"].errors == {"credentials": ["This field is required."]}
    assert get_user_model().objects.get(pk=world.member.pk).name == "Mona Member"
    assert not AuditEntry.objects.filter(action="account.deleted").exists()


def test_a_deleted_persons_roles_end_and_the_address_is_free_again(client_for, world, client):
    delete(client_for("host"), email="host@example.net")

    assert list(world.organization.hosts.all()) == []
    assert (
        list(world.host.role_grants.values_list("role", "state")) == []
    )  # the factory's grant is a bare M2M
    response = client.post(
        reverse("accounts:signup"),
        {
            "name": "Hana Again",
            "email": "host@example.net",
            "password": "picket-line-2027!",
            "city": "Detroit, MI",
            "preferred_language": "en",
        },
    )
    assert response.url == reverse("accounts:signup_done")
    assert User.objects.get(email="host@example.net").name == "Hana Again"


def test_a_deleted_persons_upcoming_seat_goes_to_the_waitlist(client_for, world):
    event = EventFactory(organization=world.organization, capacity=1)
    Registration.objects.create(
        event=event, person=world.member, status=Registration.Status.REGISTERED
    )
    waiting = Registration.objects.create(
        event=event,
        person=world.other,
        status=Registration.Status.WAITLISTED,
        waitlisted_at=timezone.now(),
    )

    delete(client_for("member"))

    waiting.refresh_from_db()
    assert (event.registrations.get(person=world.member).status, waiting.status) == (
        "cancelled",
        "offered",
    )


def test_a_revoked_role_grant_is_logged_without_the_name(client_for, world):
    delete(client_for("other_host"), email="otherhost@example.net")

    entries = AuditEntry.objects.filter(action="role.revoked", data__person=world.other_host.pk)
    assert [e.object_label for e in entries] == [
        f"deleted person #{world.other_host.pk}: Host (Local 2002)"
    ]
    assert list(world.other_organization.hosts.all()) == []


def test_a_deleted_experts_role_ends_and_their_applications_keep_no_text(client_for, world):
    from strategists.accounts import role_services
    from strategists.accounts.models import ExpertApplication, ExpertProfile, RoleGrant

    application = ExpertApplication.objects.get(user=world.applicant)
    role_services.expert_application_decide(
        application=application, by=world.coordinator, approve=True
    )
    ExpertProfile.objects.filter(user=world.applicant).update(bio="I run our local's lists.")

    delete(client_for("applicant"), email="applicant@example.net")

    assert list(RoleGrant.objects.filter(user=world.applicant).values_list("role", "state")) == [
        ("expert", "revoked")
    ]
    assert list(
        ExpertProfile.objects.filter(user=world.applicant).values_list("is_active", "bio")
    ) == [(False, "")]
    assert list(
        ExpertApplication.objects.filter(user=world.applicant).values_list(
            "state", "experience", "references"
        )
    ) == [("approved", "", "")]


def test_a_pending_application_is_withdrawn(client_for, world):
    from strategists.accounts.models import ExpertApplication

    delete(client_for("applicant"), email="applicant@example.net")

    assert list(
        ExpertApplication.objects.filter(user=world.applicant).values_list("state", flat=True)
    ) == ["withdrawn"]
