"""Building unsigned OpenBadgeCredentials."""

import hashlib
from datetime import UTC, datetime

import pytest

from strategists.curriculum.vc.dataintegrity import canonicalize
from strategists.curriculum.vc.openbadges import (
    Alignment,
    OpenBadgeError,
    build_open_badge_credential,
    check_terms_defined,
    email_identity,
    email_matches_identity,
    identity_hash,
)
from strategists.curriculum.vc.statuslist import build_status_list_entry

SITE = "https://strategists.example"
DID = "did:web:strategists.example"
AREA = f"{SITE}/framework/areas/digital-organizing"


def badge(**overrides):
    values = {
        "credential_id": f"{SITE}/credentials/7f3c",
        "issuer_did": DID,
        "issuer_name": "1000 Strategists",
        "issuer_url": SITE,
        "valid_from": datetime(2026, 5, 1, 12, 30, tzinfo=UTC),
        "achievement_id": AREA,
        "achievement_name": "Digital organizing",
        "achievement_description": "Plans and runs digital organizing campaigns.",
        "criteria_narrative": "Completed the area's assignments and a reviewed campaign plan.",
        "alignments": [
            Alignment("Digital organizing", AREA, target_framework="1000 Strategists framework")
        ],
        "recipient_email": "Learner@Example.org",
        "recipient_salt": "c0ffee",
        "credential_status": build_status_list_entry(
            status_list_url=f"{SITE}/credentials/status/1", index=12
        ),
    }
    values.update(overrides)
    return build_open_badge_credential(**values)


def test_credential_shape():
    credential = badge(valid_until=datetime(2028, 5, 1, tzinfo=UTC))
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"] == {
        "id": DID,
        "type": ["Profile"],
        "name": "1000 Strategists",
        "url": SITE,
    }
    assert credential["validFrom"] == "2026-05-01T12:30:00Z"
    assert credential["validUntil"] == "2028-05-01T00:00:00Z"
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert "id" not in subject
    achievement = subject["achievement"]
    assert achievement["id"] == AREA
    assert achievement["type"] == ["Achievement"]
    assert achievement["criteria"] == {
        "narrative": "Completed the area's assignments and a reviewed campaign plan."
    }
    assert achievement["alignment"][0]["targetUrl"] == AREA
    assert credential["credentialStatus"]["statusListIndex"] == "12"


def test_every_field_is_in_the_canonical_form():
    nquads = canonicalize(
        badge(image_url=f"{SITE}/static/badges/digital.png", description="Awarded by the cohort.")
    )
    vocab = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
    for expected in [
        f"<{vocab}OpenBadgeCredential>",
        f"<{vocab}achievement> <{AREA}>",
        f"<{vocab}identityHash>",
        f"<{vocab}salt>",
        f"<{vocab}narrative>",
        f"<{vocab}alignment>",
        f"<{vocab}image> <{SITE}/static/badges/digital.png>",
        "<https://schema.org/targetFramework>",
        '<https://schema.org/description> "Awarded by the cohort."',
        "<https://www.w3.org/2018/credentials#credentialStatus>",
        '<https://www.w3.org/ns/credentials/status#statusListIndex> "12"',
    ]:
        assert expected in nquads, expected


def test_identity_hash_is_salted_sha256_of_the_normalized_email():
    expected = hashlib.sha256(b"learner@example.orgc0ffee").hexdigest()
    assert identity_hash(" Learner@Example.org ", "c0ffee") == f"sha256${expected}"
    identity = badge()["credentialSubject"]["identifier"][0]
    assert identity == {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": f"sha256${expected}",
        "salt": "c0ffee",
    }
    assert email_matches_identity("learner@example.org", identity)
    assert not email_matches_identity("someone@example.org", identity)


def test_salt_is_generated_when_not_given():
    first, second = email_identity("a@example.org"), email_identity("a@example.org")
    assert first["salt"] != second["salt"]
    assert len(first["salt"]) == 32


def test_subject_by_id_only():
    credential = badge(
        recipient_email=None, subject_id="did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    )
    assert credential["credentialSubject"]["id"].startswith("did:key:")
    assert "identifier" not in credential["credentialSubject"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"recipient_email": None}, "recipient"),
        ({"recipient_email": "not-an-email"}, "email"),
        ({"valid_until": datetime(2020, 1, 1, tzinfo=UTC)}, "after"),
        ({"achievement_id": "areas/relative"}, "areas/relative"),
    ],
)
def test_invalid_input(overrides, message):
    with pytest.raises(OpenBadgeError, match=message):
        badge(**overrides)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone"):
        badge(valid_from=datetime(2026, 5, 1))


def test_undefined_terms_are_errors_not_silently_unsigned():
    credential = badge()
    credential["credentialSubject"]["achievement"]["criteria"]["narative"] = "typo"
    with pytest.raises(OpenBadgeError, match="narative"):
        check_terms_defined(credential)


def test_terms_that_fall_to_an_issuer_dependent_vocab_are_errors():
    credential = badge()
    credential["@context"] = [
        *credential["@context"],
        {"@vocab": "https://www.w3.org/ns/credentials/issuer-dependent#"},
    ]
    credential["credentialSubject"]["favouriteColour"] = "green"
    with pytest.raises(OpenBadgeError, match="favouriteColour"):
        check_terms_defined(credential)
