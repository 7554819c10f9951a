"""did:web identifiers, DID documents and key resolution (including rotation)."""

from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from strategists.curriculum.vc.dataintegrity import UnknownKeyError, canonicalize
from strategists.curriculum.vc.did import (
    PublishedKey,
    build_did_document,
    did_web_document_url,
    did_web_from_url,
    key_id,
    key_resolver,
    resolve_verification_method,
)

DID = "did:web:strategists.example"


def raw(public_key):
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@pytest.mark.parametrize(
    ("url", "did"),
    [
        ("http://127.0.0.1:8000", "did:web:127.0.0.1%3A8000"),
        ("http://127.0.0.1:8000/", "did:web:127.0.0.1%3A8000"),
        ("https://Strategists.Example", "did:web:strategists.example"),
        ("https://w3c-ccg.github.io/user/alice", "did:web:w3c-ccg.github.io:user:alice"),
        ("https://example.com:3000/a/b/", "did:web:example.com%3A3000:a:b"),
    ],
)
def test_did_web_from_url(url, did):
    assert did_web_from_url(url) == did


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:127.0.0.1%3A8000", "https://127.0.0.1:8000/.well-known/did.json"),
        ("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"),
    ],
)
def test_did_web_document_url(did, url):
    assert did_web_document_url(did) == url


def test_did_web_document_url_for_local_development():
    assert did_web_document_url("did:web:127.0.0.1%3A8000", scheme="http") == (
        "http://127.0.0.1:8000/.well-known/did.json"
    )


@pytest.mark.parametrize("url", ["not a url", "https://example.com/.well-known/did.json"])
def test_did_web_from_url_refuses(url):
    with pytest.raises(ValueError):
        did_web_from_url(url)


@pytest.fixture
def keys():
    return [Ed25519PrivateKey.generate() for _ in range(3)]


@pytest.fixture
def did_document(keys):
    return build_did_document(
        DID,
        [
            PublishedKey(1, keys[0].public_key()),
            PublishedKey(2, keys[1].public_key()),
            PublishedKey(3, keys[2].public_key(), revoked=datetime(2026, 3, 1, tzinfo=UTC)),
        ],
    )


def test_did_document_shape(did_document):
    assert did_document["@context"] == [
        "https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/multikey/v1",
    ]
    assert did_document["id"] == DID
    assert [method["id"] for method in did_document["verificationMethod"]] == [
        f"{DID}#key-1",
        f"{DID}#key-2",
        f"{DID}#key-3",
    ]
    assert all(
        method["type"] == "Multikey" and method["controller"] == DID
        for method in did_document["verificationMethod"]
    )
    assert did_document["assertionMethod"] == [f"{DID}#key-1", f"{DID}#key-2"]
    assert did_document["verificationMethod"][2]["revoked"] == "2026-03-01T00:00:00Z"


def test_did_document_is_valid_json_ld(did_document):
    # Strict canonicalization: every term of the document is defined.
    nquads = canonicalize(did_document)
    assert "<https://w3id.org/security#Multikey>" in nquads
    assert "<https://w3id.org/security#assertionMethod>" in nquads
    assert "<https://w3id.org/security#revoked>" in nquads


def test_old_and_new_keys_both_resolve(did_document, keys):
    assert raw(resolve_verification_method(did_document, key_id(DID, 1))) == raw(
        keys[0].public_key()
    )
    assert raw(key_resolver(did_document)(key_id(DID, 2))) == raw(keys[1].public_key())


def test_revoked_key_does_not_resolve(did_document):
    with pytest.raises(UnknownKeyError):
        resolve_verification_method(did_document, key_id(DID, 3))


def test_revoked_key_is_refused_even_if_listed_for_assertion(did_document):
    did_document["assertionMethod"].append(key_id(DID, 3))
    with pytest.raises(UnknownKeyError, match="revoked"):
        resolve_verification_method(did_document, key_id(DID, 3))


@pytest.mark.parametrize(
    ("method_id", "message"),
    [
        (f"{DID}#key-9", "does not list"),
        ("did:web:other.example#key-1", "does not belong"),
    ],
)
def test_unknown_keys(did_document, method_id, message):
    with pytest.raises(UnknownKeyError, match=message):
        resolve_verification_method(did_document, method_id)


def test_key_must_be_listed_under_the_purpose(did_document):
    with pytest.raises(UnknownKeyError, match="authentication"):
        resolve_verification_method(did_document, key_id(DID, 1), purpose="authentication")


def test_key_controlled_by_someone_else_is_refused(did_document):
    did_document["verificationMethod"][0]["controller"] = "did:web:mallory.example"
    with pytest.raises(UnknownKeyError, match="controlled by someone"):
        resolve_verification_method(did_document, key_id(DID, 1))


def test_relative_references_in_the_document_are_understood(did_document, keys):
    did_document["assertionMethod"] = ["#key-1"]
    did_document["verificationMethod"][0]["id"] = "#key-1"
    assert raw(resolve_verification_method(did_document, key_id(DID, 1))) == raw(
        keys[0].public_key()
    )


def test_key_numbers_must_be_unique(keys):
    with pytest.raises(ValueError, match="own number"):
        build_did_document(
            DID, [PublishedKey(1, keys[0].public_key()), PublishedKey(1, keys[1].public_key())]
        )
