"""Endorsements: hosts and certified strategists vouch for a credential with a signed OB 3.0
EndorsementCredential; it verifies, a tampered one fails, a withdrawn one shows withdrawn."""

import copy

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from strategists.common.models import AuditEntry
from strategists.curriculum import endorsement_services, issuing, verifying
from strategists.curriculum.models import Certification, Endorsement
from tests.curriculum.conftest import approved
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
VALID = ("valid", "the signature matches the issuer's key and the credential is in force")


@pytest.fixture
def credential(world):
    approved(world.member, "web-and-cms", 2)
    return issuing.credentials_issue(people=[world.member])[0]


def certified(name="Cece Certified"):
    person = UserFactory(name=name)
    Certification.objects.create(person=person, certified_at=timezone.now())
    return person


def _verdict(document):
    outcome = verifying.credential_verify(document)
    return outcome.status, outcome.reason


def test_a_hosts_endorsement_is_a_signed_endorsement_credential_that_verifies(world, credential):
    endorsement = endorsement_services.endorsement_create(
        credential=credential, by=world.host, comment="Ran our site rebuild end to end."
    )
    document = endorsement.document

    assert (
        document["type"],
        document["name"],
        document["description"],
        document["credentialSubject"],
        document["issuer"]["id"],
    ) == (
        ["VerifiableCredential", "EndorsementCredential"],
        "Endorsement by Hana Host",
        "Hana Host (host of Local 1001) endorses this credential; 1000 Strategists signs on "
        "their behalf.",
        {
            "id": f"http://127.0.0.1:8000/credentials/{credential.pk}/",
            "type": ["EndorsementSubject"],
            "endorsementComment": "Ran our site rebuild end to end.",
        },
        "did:web:127.0.0.1%3A8000",
    )
    assert _verdict(document) == VALID


def test_a_tampered_endorsement_fails(world, credential):
    endorsement = endorsement_services.endorsement_create(
        credential=credential, by=world.host, comment="Solid work."
    )
    forged = copy.deepcopy(endorsement.document)
    forged["credentialSubject"]["endorsementComment"] = "The best strategist in the country."

    assert _verdict(forged)[0] == "tampered"


def test_a_certified_strategist_endorses_as_one(credential):
    endorsement = endorsement_services.endorsement_create(
        credential=credential, by=certified(), comment="Taught me list hygiene."
    )

    assert endorsement.endorser_role == "Certified Digital Strategist"


@pytest.mark.parametrize("who", ["member", "expert", "coordinator", "holder", "reversed"])
def test_only_hosts_and_certified_strategists_endorse_others(world, credential, who):
    person = {
        "member": world.other,
        "expert": world.expert,
        "coordinator": world.coordinator,
        "holder": world.member,
    }.get(who)
    if who == "reversed":
        person = certified()
        Certification.objects.filter(person=person).update(status=Certification.Status.REVERSED)

    with pytest.raises(ValidationError) as refusal:
        endorsement_services.endorsement_create(credential=credential, by=person, comment="Hi")

    assert refusal.value.message_dict == {"comment": ["You may not endorse this credential."]}


def test_one_endorsement_per_endorser_and_credential(world, credential):
    endorsement_services.endorsement_create(credential=credential, by=world.host, comment="Yes.")

    with pytest.raises(ValidationError) as refusal:
        endorsement_services.endorsement_create(
            credential=credential, by=world.host, comment="Again."
        )

    assert (refusal.value.message_dict, Endorsement.objects.count()) == (
        {"comment": ["You have already endorsed this credential."]},
        1,
    )


def test_a_revoked_credential_cannot_be_endorsed(world, credential):
    issuing.credential_revoke(credential=credential, by=world.coordinator, reason="Fraud.")

    with pytest.raises(ValidationError):
        endorsement_services.endorsement_create(
            credential=credential, by=world.host, comment="Yes."
        )


def test_withdrawing_shows_the_signed_copy_withdrawn_and_allows_a_new_one(world, credential):
    endorsement = endorsement_services.endorsement_create(
        credential=credential, by=world.host, comment="Yes."
    )
    kept = copy.deepcopy(endorsement.document)

    endorsement_services.endorsement_withdraw(endorsement=endorsement, by=world.host)
    again = endorsement_services.endorsement_withdraw(endorsement=endorsement, by=world.host)
    renewed = endorsement_services.endorsement_create(
        credential=credential, by=world.host, comment="Yes, again."
    )

    assert (_verdict(kept)[0], _verdict(renewed.document), again.withdrawn_at is not None) == (
        "revoked",
        VALID,
        True,
    )
    # The credentials' own list is untouched: the endorsed credential still verifies.
    assert _verdict(credential.document) == VALID


def test_endorsing_and_withdrawing_are_audited(world, credential):
    endorsement = endorsement_services.endorsement_create(
        credential=credential, by=world.host, comment="Yes."
    )
    endorsement_services.endorsement_withdraw(endorsement=endorsement, by=world.coordinator)

    entries = list(
        AuditEntry.objects.filter(object_id=str(endorsement.pk))
        .order_by("pk")
        .values_list("action", "actor__name")
    )

    assert entries == [
        ("endorsement.created", "Hana Host"),
        ("endorsement.withdrawn", "Cora Coordinator"),
    ]


def test_the_page_shows_standing_endorsements_and_the_button_to_those_who_may(
    client, world, credential
):
    endorsement_services.endorsement_create(
        credential=credential, by=world.host, comment="Rebuilt our site."
    )
    withdrawn = endorsement_services.endorsement_create(
        credential=credential, by=certified(), comment="Withdrawn words."
    )
    endorsement_services.endorsement_withdraw(endorsement=withdrawn, by=withdrawn.endorser)
    client.force_login(world.host)
    host_page = client.get(f"/credentials/{credential.pk}/").content.decode()
    client.force_login(world.other)
    member_page = client.get(f"/credentials/{credential.pk}/").content.decode()

    assert ("Rebuilt our site." in host_page, "Withdrawn words." in host_page) == (True, False)
    endorse = f"/credentials/{credential.pk}/endorse/"
    assert (endorse in host_page, endorse in member_page) == (False, False)
    client.force_login(certified("Another One"))
    assert endorse in client.get(f"/credentials/{credential.pk}/").content.decode()


def test_endorsing_through_the_form(client, world, credential):
    client.force_login(world.other_host)

    empty = client.post(f"/credentials/{credential.pk}/endorse/", {"comment": "  "})
    long = client.post(f"/credentials/{credential.pk}/endorse/", {"comment": "x" * 2001})
    done = client.post(f"/credentials/{credential.pk}/endorse/", {"comment": "Great work."})
    twice = client.post(f"/credentials/{credential.pk}/endorse/", {"comment": "Again."})

    assert [r.status_code for r in (empty, long, done, twice)] == [400, 400, 302, 400]
    assert empty.context["form"].errors == {"comment": ["This field is required."]}
    assert "comment" in long.context["form"].errors
    assert twice.context["form"].errors == {
        "comment": ["You have already endorsed this credential."]
    }
    assert Endorsement.objects.get().endorser_role == "host of Local 2002"


def test_the_endorsement_answers_json_to_machines_and_html_to_people(client, world, credential):
    endorsement = endorsement_services.endorsement_create(
        credential=credential, by=world.host, comment="Yes."
    )
    url = f"/credentials/endorsements/{endorsement.pk}/"

    machine = client.get(url, headers={"Accept": "application/ld+json"})
    person = client.get(url)

    assert (machine.json(), endorsement.document["id"]) == (
        endorsement.document,
        f"http://127.0.0.1:8000{url}",
    )
    assert 'id="endorsement-status">Valid' in person.content.decode()


def test_the_endorsement_list_costs_the_same_queries_for_one_or_three(
    client, world, credential, django_assert_num_queries
):
    def count_for(endorsers):
        for endorser in endorsers:
            endorsement_services.endorsement_create(
                credential=credential, by=endorser, comment="Yes."
            )
        from strategists.curriculum import selectors

        with django_assert_num_queries(1):
            return len([e.endorser.name for e in selectors.credential_endorsements(credential)])

    assert count_for([world.host]) == 1
    assert count_for([certified("B"), certified("C")]) == 3


def test_bad_input_to_the_endorsement_form_names_the_field(client, world, credential):
    client.force_login(world.host)
    url = f"/credentials/{credential.pk}/endorse/"

    nul = client.post(url, {"comment": "Good\x00work"})
    script = client.post(url, {"comment": "<script>alert(1)</script> Good work."})
    page = client.get(f"/credentials/{credential.pk}/").content.decode()

    assert (nul.status_code, nul.context["form"].errors) == (
        400,
        {"comment": ["Null characters are not allowed."]},
    )
    assert script.status_code == 302
    assert (
        "<script>alert(1)</script>" in page,
        "&lt;script&gt;alert(1)&lt;/script&gt;" in page,
    ) == (
        False,
        True,
    )


def test_endorsing_is_rate_limited(client, world, credential, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "endorse": {"user": "1/h"}}
    client.force_login(world.host)
    url = f"/credentials/{credential.pk}/endorse/"

    statuses = [client.post(url, {"comment": "Yes."}).status_code for _ in range(2)]

    assert statuses == [302, 429]
