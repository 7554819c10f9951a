"""End-to-end: issue, revoke, rotate keys and verify OpenBadgeCredentials."""

import copy
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from strategists.curriculum.vc.dataintegrity import sign
from strategists.curriculum.vc.did import PublishedKey, build_did_document, did_web_from_url, key_id
from strategists.curriculum.vc.openbadges import Alignment, build_open_badge_credential
from strategists.curriculum.vc.statuslist import (
    StatusBitstring,
    build_status_list_credential,
    build_status_list_entry,
)
from strategists.curriculum.vc.verification import Verdict, verify_credential

SITE = "http://127.0.0.1:8000"
DID = did_web_from_url(SITE)
STATUS_URL = f"{SITE}/credentials/status/1"
ISSUED = datetime(2026, 5, 1, tzinfo=UTC)
NOW = ISSUED + timedelta(days=30)


class Platform:
    """What the Django side will hold: keys, DID document, status list."""

    def __init__(self):
        self.keys = {1: Ed25519PrivateKey.generate()}
        self.revoked_indices = set()
        self.tampered_status_list = None

    @property
    def current_key_number(self):
        return max(self.keys)

    def rotate(self):
        self.keys[self.current_key_number + 1] = Ed25519PrivateKey.generate()

    def did_document(self):
        return build_did_document(
            DID, [PublishedKey(n, key.public_key()) for n, key in self.keys.items()]
        )

    def sign(self, document, key_number=None):
        number = key_number or self.current_key_number
        return sign(
            document,
            private_key=self.keys[number],
            verification_method=key_id(DID, number),
            created=ISSUED,
        )

    def status_list(self):
        if self.tampered_status_list is not None:
            return self.tampered_status_list
        unsigned = build_status_list_credential(
            url=STATUS_URL,
            issuer=DID,
            bitstring=StatusBitstring.from_set_indices(self.revoked_indices),
            valid_from=ISSUED,
        )
        return self.sign(unsigned)

    def issue(self, index=5, **overrides):
        values = {
            "credential_id": f"{SITE}/credentials/{index}",
            "issuer_did": DID,
            "issuer_name": "1000 Strategists",
            "issuer_url": SITE,
            "valid_from": ISSUED,
            "achievement_id": f"{SITE}/framework/areas/research",
            "achievement_name": "Research",
            "achievement_description": "Finds and uses evidence.",
            "criteria_narrative": "Completed the research assignments.",
            "alignments": [Alignment("Research", f"{SITE}/framework/areas/research")],
            "recipient_email": "learner@example.org",
            "recipient_salt": "pepper",
            "credential_status": build_status_list_entry(status_list_url=STATUS_URL, index=index),
        }
        values.update(overrides)
        return self.sign(build_open_badge_credential(**values))

    def verify(self, credential, now=NOW):
        return verify_credential(
            credential,
            resolve_did_document=lambda did: self.did_document() if did == DID else None,
            fetch_status_list=lambda url: self.status_list() if url == STATUS_URL else None,
            now=now,
        )


@pytest.fixture
def platform():
    return Platform()


def test_a_fresh_credential_is_valid(platform):
    check = platform.verify(platform.issue())
    assert check.status == Verdict.VALID == "valid"
    assert check.is_valid
    assert check.issuer == DID
    assert check.verification_method == key_id(DID, 1)


def test_revoked_credential_reports_revoked(platform):
    credential = platform.issue(index=5)
    platform.revoked_indices.add(5)
    check = platform.verify(credential)
    assert check.status == "revoked"
    assert check.reason == "the issuer has revoked this credential"
    # Other credentials on the same list are unaffected.
    assert platform.verify(platform.issue(index=6)).status == "valid"


def test_expired_credential(platform):
    credential = platform.issue(valid_until=ISSUED + timedelta(days=10))
    check = platform.verify(credential)
    assert check.status == "expired"
    assert "2026-05-11T00:00:00Z" in check.reason
    assert platform.verify(credential, now=ISSUED + timedelta(days=5)).status == "valid"


def test_not_yet_valid_credential(platform):
    check = platform.verify(platform.issue(), now=ISSUED - timedelta(seconds=1))
    assert check.status == "not yet valid"


def test_revocation_outranks_expiry(platform):
    credential = platform.issue(valid_until=ISSUED + timedelta(days=10))
    platform.revoked_indices.add(5)
    assert platform.verify(credential).status == "revoked"


def test_credential_signed_with_a_rotated_out_key_still_verifies(platform):
    old = platform.issue(index=1)
    platform.rotate()
    new = platform.issue(index=2)
    assert new["proof"]["verificationMethod"] == key_id(DID, 2)
    assert old["proof"]["verificationMethod"] == key_id(DID, 1)
    assert platform.verify(old).status == "valid"
    assert platform.verify(new).status == "valid"
    # The status list is now signed with key 2 and revocation still works for
    # credentials signed with key 1.
    platform.revoked_indices.add(1)
    assert platform.verify(old).status == "revoked"


def test_key_dropped_from_the_did_document_no_longer_verifies(platform):
    credential = platform.issue()
    platform.rotate()
    del platform.keys[1]
    check = platform.verify(credential)
    assert check.status == "tampered"
    assert "unknown key" in check.reason


def _set(path, value):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


CHANGES = {
    "credential name": _set(["name"], "Research (with distinction)"),
    "achievement name": _set(["credentialSubject", "achievement", "name"], "Everything"),
    "recipient hash": _set(["credentialSubject", "identifier", 0, "identityHash"], "sha256$00"),
    "status index": _set(["credentialStatus", "statusListIndex"], "6"),
    "validFrom": _set(["validFrom"], "2020-01-01T00:00:00Z"),
    "added validUntil": _set(["validUntil"], "2099-01-01T00:00:00Z"),
    "added description": _set(["description"], "Extra"),
    "added image": _set(
        ["credentialSubject", "achievement", "image"], {"id": f"{SITE}/x.png", "type": "Image"}
    ),
    "proof created": _set(["proof", "created"], "2026-05-02T00:00:00Z"),
    "proof purpose": _set(["proof", "proofPurpose"], "authentication"),
    # Signed with key 2 (see below); claiming key 1 must not pass.
    "proof key": _set(["proof", "verificationMethod"], key_id(DID, 1)),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_any_change_is_reported_as_tampered(platform, name):
    platform.rotate()  # two valid keys, so that swapping them is a real attack
    credential = platform.issue(index=5)
    tampered = copy.deepcopy(credential)
    CHANGES[name](tampered)
    check = platform.verify(tampered)
    assert check.status == "tampered", check.reason


def test_tampered_reason_is_plain(platform):
    credential = platform.issue()
    credential["name"] = "Something else"
    assert (
        platform.verify(credential).reason
        == "signature does not match: the credential was changed after signing"
    )


def test_forged_issuer_key_is_tampered(platform):
    mallory = Ed25519PrivateKey.generate()
    unsigned = {key: value for key, value in platform.issue().items() if key != "proof"}
    forged = sign(
        unsigned,
        private_key=mallory,
        verification_method="did:web:mallory.example#key-1",
        created=ISSUED,
    )
    check = platform.verify(forged)
    assert check.status == "tampered"
    assert "does not belong to its issuer" in check.reason


def test_tampered_status_list_is_not_trusted(platform):
    credential = platform.issue(index=5)
    platform.revoked_indices.add(5)
    status_list = platform.status_list()
    status_list["credentialSubject"]["encodedList"] = StatusBitstring().encode()  # "un-revoke"
    platform.tampered_status_list = status_list
    check = platform.verify(credential)
    assert check.status == "tampered"
    assert check.reason.startswith("the status list")


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        (lambda c: c.pop("proof"), "not signed"),
        (
            lambda c: c.update({"@context": ["https://www.w3.org/2018/credentials/v1"]}),
            "Data Model 2.0",
        ),
        (lambda c: c.update({"type": ["OpenBadgeCredential"]}), "VerifiableCredential"),
        (lambda c: c.update({"issuer": {"name": "nobody"}}), "who issued"),
        (lambda c: c.update({"validUntil": "next year"}), "validUntil"),
        (lambda c: c["@context"].append("https://example.com/unknown/v1"), "refusing to fetch"),
        (
            lambda c: c["proof"].update({"cryptosuite": "ecdsa-rdfc-2019"}),
            "unsupported cryptosuite",
        ),
        (lambda c: c["proof"].update({"proofValue": "not-multibase"}), "multibase"),
    ],
)
def test_malformed_credentials(platform, mangle, reason):
    credential = platform.issue()
    mangle(credential)
    check = platform.verify(credential)
    assert check.status == "malformed"
    assert reason in check.reason


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ({"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}, "credentialStatus"),
        (build_status_list_entry(status_list_url=f"{SITE}/nowhere", index=1), "could not be found"),
        (build_status_list_entry(status_list_url=STATUS_URL, index=10**7), "outside the list"),
        (
            build_status_list_entry(
                status_list_url=STATUS_URL, index=1, status_purpose="suspension"
            ),
            "'suspension'",
        ),
    ],
)
def test_correctly_signed_credential_with_unusable_status(platform, status, reason):
    unsigned = {key: value for key, value in platform.issue().items() if key != "proof"}
    unsigned["credentialStatus"] = status
    check = platform.verify(platform.sign(unsigned))
    assert check.status == "malformed"
    assert reason in check.reason


def test_unknown_issuer_is_malformed(platform):
    credential = platform.issue()
    check = verify_credential(
        credential,
        resolve_did_document=lambda did: None,
        fetch_status_list=lambda url: None,
        now=NOW,
    )
    assert check.status == "malformed"
    assert "could not be looked up" in check.reason


def test_lookup_failures_other_than_not_found_propagate(platform):
    def unreachable(did):
        raise TimeoutError("DID document server did not answer")

    with pytest.raises(TimeoutError):
        verify_credential(
            platform.issue(),
            resolve_did_document=unreachable,
            fetch_status_list=lambda url: None,
            now=NOW,
        )


def test_credential_without_status_is_checked_for_the_rest(platform):
    credential = platform.issue(credential_status=None)
    assert "credentialStatus" not in credential
    assert platform.verify(credential).status == "valid"


def test_now_must_be_timezone_aware(platform):
    with pytest.raises(ValueError, match="timezone"):
        platform.verify(platform.issue(), now=datetime(2026, 6, 1))
