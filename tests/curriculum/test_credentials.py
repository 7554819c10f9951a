import copy
import datetime as dt
import inspect
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.urls import reverse
from django.utils import timezone

from strategists.curriculum import issuing, keys, services, verifying
from strategists.curriculum.models import Credential, SigningKey
from strategists.curriculum.vc import dataintegrity, verification
from strategists.curriculum.vc.dataintegrity import sign
from strategists.curriculum.vc.did import did_web_from_url, key_id
from strategists.curriculum.vc.multibase import encode_private_key_multibase
from strategists.curriculum.vc.openbadges import build_open_badge_credential
from tests.curriculum.conftest import approved

pytestmark = pytest.mark.django_db
DID = "did:web:127.0.0.1%3A8000"


def issue(person, area="web-and-cms", level=2, **options) -> Credential:
    approved(person, area, level)
    return issuing.credentials_issue(people=[person], **options)[0]


def check(document, **options):
    outcome = verifying.credential_verify(document, **options)
    return outcome.status, outcome.reason


def test_a_credential_is_an_open_badge_signed_by_our_did(world):
    credential = issue(world.member)
    document = credential.document

    assert (document["type"], document["issuer"]["id"], document["id"]) == (
        ["VerifiableCredential", "OpenBadgeCredential"],
        DID,
        f"http://127.0.0.1:8000/credentials/{credential.pk}/",
    )
    assert (
        document["credentialSubject"]["achievement"]["id"]
        == "http://127.0.0.1:8000/skills/framework/web-and-cms/2/"
    )
    assert (
        document["credentialSubject"]["achievement"]["alignment"][0]["targetCode"]
        == "web-and-cms/2"
    )
    assert (document["proof"]["cryptosuite"], document["proof"]["verificationMethod"]) == (
        "eddsa-rdfc-2022",
        f"{DID}#key-1",
    )
    assert (
        document["credentialStatus"]["statusListCredential"]
        == "http://127.0.0.1:8000/credentials/status/1"
    )
    assert check(document) == (
        "valid",
        "the signature matches the issuer's key and the credential is in force",
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["credentialSubject"]["achievement"].update(name="Web and CMS: L3 Connector"),
        lambda d: d.update(validFrom="2020-01-01T00:00:00Z"),
        lambda d: d["credentialSubject"]["identifier"][0].update(salt="other"),
        lambda d: d["credentialStatus"].update(statusListIndex="7"),
        lambda d: d["proof"].update(created="2020-01-01T00:00:00Z"),
    ],
)
def test_any_change_to_a_signed_credential_fails_verification(world, change):
    document = copy.deepcopy(issue(world.member).document)

    change(document)

    assert check(document)[0] == "tampered"


def test_a_revoked_credential_reports_revoked(world):
    credential = issue(world.member)

    services.credential_revoke(
        credential=credential, by=world.coordinator, reason="Issued in error"
    )

    assert check(credential.document) == ("revoked", "the issuer has revoked this credential")
    assert issuing.status_list_document()["credentialSubject"]["type"] == "BitstringStatusList"


def test_an_expired_credential_reports_expired(world):
    credential = issue(world.member, valid_until=timezone.now() + dt.timedelta(days=1))

    assert check(credential.document, now=timezone.now() + dt.timedelta(days=2))[0] == "expired"


def test_a_credential_from_another_issuer_is_reported_as_such(world):
    other = did_web_from_url("https://badges.example.com")
    unsigned = build_open_badge_credential(
        credential_id="https://badges.example.com/1",
        issuer_did=other,
        issuer_name="Other",
        issuer_url="https://badges.example.com/",
        valid_from=timezone.now(),
        achievement_id="https://badges.example.com/a",
        achievement_name="A",
        achievement_description="A",
        criteria_narrative="A",
        recipient_email="mona@example.net",
    )
    document = sign(
        unsigned,
        private_key=Ed25519PrivateKey.generate(),
        verification_method=key_id(other, 1),
        created=timezone.now(),
    )

    status, reason = check(document)
    assert (
        status,
        reason.startswith("it was issued by did:web:badges.example.com, not by 1000 Strategists"),
    ) == ("other issuer", True)


def test_a_credential_naming_our_did_but_signed_by_someone_else_is_tampered(world):
    unsigned = copy.deepcopy(issue(world.member).document)
    del unsigned["proof"]
    forged = sign(
        unsigned,
        private_key=Ed25519PrivateKey.generate(),
        verification_method=f"{DID}#key-1",
        created=timezone.now(),
    )

    assert check(forged)[0] == "tampered"


def test_rotation_keeps_old_credentials_verifiable(world):
    first = issue(world.member)
    keys.key_create()
    second = issue(world.member, area="social-media")

    document = issuing.did_document()
    assert document["assertionMethod"] == [f"{DID}#key-1", f"{DID}#key-2"]
    assert (
        first.document["proof"]["verificationMethod"],
        second.document["proof"]["verificationMethod"],
    ) == (f"{DID}#key-1", f"{DID}#key-2")
    assert (check(first.document)[0], check(second.document)[0]) == ("valid", "valid")


def test_a_revoked_key_stops_verifying_what_it_signed(world):
    credential = issue(world.member)
    keys.key_create()
    keys.key_revoke(number=1)

    assert check(credential.document)[0] == "tampered"


def test_the_key_can_come_from_the_environment(world, monkeypatch, signing_keys):
    private_key = Ed25519PrivateKey.generate()
    monkeypatch.setenv("STRATEGISTS_SIGNING_KEY", encode_private_key_multibase(private_key))

    credential = issue(world.member)

    assert list(SigningKey.objects.values_list("number", flat=True)) == [1]
    assert not signing_keys.exists()
    assert check(credential.document)[0] == "valid"


def test_the_did_follows_the_public_url(world, settings):
    settings.PUBLIC_URL = "https://strategists.example.org"

    credential = issue(world.member)

    assert (issuing.issuer_did(), credential.document["issuer"]["id"]) == (
        "did:web:strategists.example.org",
        "did:web:strategists.example.org",
    )
    assert check(credential.document)[0] == "valid"


# --- over HTTP ---------------------------------------------------------------------------------


def test_did_document_is_served_with_multikeys(client, world):
    issue(world.member)

    response = client.get("/.well-known/did.json")

    document = json.loads(response.content)
    assert (response.status_code, response["Content-Type"], document["id"]) == (
        200,
        "application/did+json",
        DID,
    )
    assert [(m["id"], m["type"]) for m in document["verificationMethod"]] == [
        (f"{DID}#key-1", "Multikey")
    ]
    assert document["assertionMethod"] == [f"{DID}#key-1"]


def test_the_credential_id_answers_json_to_machines_and_html_to_people(client, world):
    credential = issue(world.member)
    url = reverse("curriculum:credential", kwargs={"pk": credential.pk})

    as_json = client.get(url, HTTP_ACCEPT="application/ld+json")
    as_html = client.get(url, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    download = client.get(reverse("curriculum:credential_json", kwargs={"pk": credential.pk}))

    assert (as_json["Content-Type"], json.loads(as_json.content)) == (
        "application/ld+json",
        credential.document,
    )
    assert (as_html["Content-Type"], as_html.context["outcome"].status) == (
        "text/html; charset=utf-8",
        "valid",
    )
    assert "Awarded to Mona Member by 1000 Strategists." in as_html.content.decode()
    assert (download["Content-Disposition"], json.loads(download.content)) == (
        f'attachment; filename="credential-{credential.pk}.json"',
        credential.document,
    )


def test_status_list_is_public_signed_json(client, world):
    credential = issue(world.member)
    services.credential_revoke(credential=credential, by=None, reason="Test")

    document = json.loads(client.get("/credentials/status/1").content)

    assert (document["type"], document["proof"]["cryptosuite"]) == (
        ["VerifiableCredential", "BitstringStatusListCredential"],
        "eddsa-rdfc-2022",
    )
    # List 2 holds the endorsements' bits (test_endorsements); there is no third.
    assert (
        client.get("/credentials/status/2").status_code,
        client.get("/credentials/status/3").status_code,
    ) == (200, 404)


def test_coordinator_revokes_from_the_credential_page(client_for, world):
    credential = issue(world.member)

    response = client_for("coordinator").post(
        reverse("curriculum:credential_revoke", kwargs={"pk": credential.pk}),
        {"reason": "Duplicate"},
    )

    credential.refresh_from_db()
    assert (response.status_code, credential.revoked_by, credential.revoked_reason) == (
        302,
        world.coordinator,
        "Duplicate",
    )
    page = client_for("visitor").get(reverse("curriculum:verify"))
    assert page.status_code == 200
    result = client_for("visitor").post(
        reverse("curriculum:verify"), {"credential": json.dumps(credential.document)}
    )
    assert (result.context["outcome"].status, result.context["outcome"].label) == (
        "revoked",
        "Revoked",
    )


def test_verify_page_says_valid_or_tampered(client, world):
    credential = issue(world.member)
    tampered = copy.deepcopy(credential.document)
    tampered["credentialSubject"]["achievement"]["name"] = "Anything I like"

    valid = client.post(
        reverse("curriculum:verify"),
        {"credential": json.dumps(credential.document), "email": "MEMBER@example.net"},
    )
    changed = client.post(reverse("curriculum:verify"), {"credential": json.dumps(tampered)})

    assert (
        valid.context["outcome"].status,
        valid.context["outcome"].holder_matches,
        valid.context["outcome"].credential,
    ) == ("valid", True, credential)
    assert (changed.context["outcome"].status, changed.context["outcome"].reason) == (
        "tampered",
        "signature does not match: the credential was changed after signing",
    )


def test_verify_page_accepts_an_uploaded_file(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    credential = issue(world.member)
    upload = SimpleUploadedFile(
        "credential.json", json.dumps(credential.document).encode(), "application/json"
    )

    response = client.post(reverse("curriculum:verify"), {"upload": upload})

    assert response.context["outcome"].status == "valid"


def test_every_reason_worded_for_the_reader_is_one_the_core_gives():
    # verifying.CORE_REASONS translates the core's fixed English reasons; a reworded core reason
    # would silently stop being translated, so each key must still be in the core's source.
    core = inspect.getsource(verification) + inspect.getsource(dataintegrity)
    assert [reason for reason in verifying.CORE_REASONS if f'"{reason}"' not in core] == []
