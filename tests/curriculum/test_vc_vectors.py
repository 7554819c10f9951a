"""Reproduce the W3C eddsa-rdfc-2022 and 1EdTech Open Badges 3.0 test vectors.

Vectors live in ../shared/credentials (see its README.md for each file's role).
"""

import copy
import hashlib
import json
import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from strategists.curriculum.vc.dataintegrity import (
    NOT_CANONICALIZABLE,
    SIGNATURE_MISMATCH,
    UNKNOWN_KEY,
    UNSUPPORTED_CRYPTOSUITE,
    WRONG_PROOF_PURPOSE,
    CanonicalizationError,
    canonicalize,
    hash_data,
    sign,
    verify,
)
from strategists.curriculum.vc.loader import OfflineDocumentLoader
from strategists.curriculum.vc.multibase import (
    base58btc_encode,
    decode_private_key_multibase,
    decode_public_key_multibase,
    multibase_decode,
)

# ../shared beside the clone (or beside the folder of git worktrees); the nearest one wins.
SHARED = next(
    (
        folder / "shared" / "credentials"
        for folder in Path(__file__).resolve().parents[2:]
        if (folder / "shared" / "credentials").is_dir()
    ),
    Path(__file__).resolve().parents[3] / "shared" / "credentials",
)
# The W3C and 1EdTech vectors live in ../shared (beside the clone, as in CI); a missing
# folder fails these tests rather than skipping them.

VECTORS = SHARED / "vc-di-eddsa/TestVectors"
EDDSA = VECTORS / "eddsa-rdfc-2022"
EMPLOY = EDDSA / "employ"
OPEN_BADGES = SHARED / "openbadges"
EXAMPLES_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2"


def read_text(path):
    return path.read_text(encoding="utf-8")


def read_hex(path):
    return bytes.fromhex(read_text(path).strip())


def read_json(path):
    return json.loads(read_text(path))


@pytest.fixture(scope="module")
def loader():
    # The Alumni vector uses the W3C examples context, which production never
    # needs, so it is registered only here - through the run-time hook.
    loader = OfflineDocumentLoader()
    loader.register(
        EXAMPLES_CONTEXT,
        read_json(SHARED / "contexts/www.w3.org_ns_credentials_examples_v2.jsonld"),
    )
    return loader


@pytest.fixture(scope="module")
def key_pair():
    pair = read_json(VECTORS / "keyPair.json")
    return (
        decode_private_key_multibase(pair["privateKeyMultibase"]),
        decode_public_key_multibase(pair["publicKeyMultibase"]),
    )


@pytest.fixture
def alumni_signed():
    return read_json(EDDSA / "signedDataInt.json")


@pytest.fixture
def alumni_unsigned(alumni_signed):
    # README: the unsigned input is the signed output without its proof.
    return {key: value for key, value in alumni_signed.items() if key != "proof"}


def resolver_for(public_key, expected_method):
    def resolve_key(method):
        if method != expected_method:
            raise LookupError("not the vector's key")
        return public_key

    return resolve_key


# --- W3C AlumniCredential (top-level eddsa-rdfc-2022 vector) ---------------------


def test_proof_configuration_canonical_form(loader):
    proof_config = read_json(EDDSA / "proofConfigDataInt.json")
    canonical = canonicalize(proof_config, loader=loader)
    assert canonical == read_text(EDDSA / "proofCanonDataInt.txt")
    assert (
        hashlib.sha256(canonical.encode()).hexdigest()
        == read_text(EDDSA / "proofHashDataInt.txt").strip()
    )


def test_combined_hash(loader, alumni_signed):
    proof_options = read_json(EDDSA / "proofConfigDataInt.json")
    assert hash_data(alumni_signed, proof_options, loader=loader) == read_hex(
        EDDSA / "combinedHashDataInt.txt"
    )


def test_signing_reproduces_signature_proof_value_and_signed_document(
    loader, key_pair, alumni_signed, alumni_unsigned
):
    private_key, _ = key_pair
    options = read_json(EDDSA / "proofConfigDataInt.json")
    signed = sign(
        alumni_unsigned,
        private_key=private_key,
        verification_method=options["verificationMethod"],
        created=options["created"],
        loader=loader,
    )
    proof_value = signed["proof"]["proofValue"]
    assert multibase_decode(proof_value) == read_hex(EDDSA / "sigHexDataInt.txt")
    assert proof_value == read_text(EDDSA / "sigBTC58DataInt.txt").strip()
    assert signed == alumni_signed
    assert "proof" not in alumni_unsigned  # the input is not modified


def test_verifier_accepts_the_signed_vector(loader, key_pair, alumni_signed):
    _, public_key = key_pair
    method = alumni_signed["proof"]["verificationMethod"]
    result = verify(alumni_signed, resolve_key=resolver_for(public_key, method), loader=loader)
    assert result.valid, result.reason
    assert result.verification_method == method


def _set(path, value):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _delete(path):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


TAMPERINGS = {
    "name value": (_set(["name"], "Alumni Credential!"), SIGNATURE_MISMATCH),
    "subject value": (
        _set(["credentialSubject", "alumniOf"], "Another School"),
        SIGNATURE_MISMATCH,
    ),
    "subject id": (_set(["credentialSubject", "id"], "did:example:mallory"), SIGNATURE_MISMATCH),
    "issuer": (_set(["issuer"], "https://vc.example/issuers/0000"), SIGNATURE_MISMATCH),
    "validFrom": (_set(["validFrom"], "2022-01-01T00:00:00Z"), SIGNATURE_MISMATCH),
    "added field": (_set(["validUntil"], "2099-01-01T00:00:00Z"), SIGNATURE_MISMATCH),
    "added undefined field": (_set(["credentialSubject", "extra"], "x"), SIGNATURE_MISMATCH),
    "removed field": (_delete(["description"]), SIGNATURE_MISMATCH),
    "added type": (
        _set(["type"], ["VerifiableCredential", "AlumniCredential", "ExtraCredential"]),
        SIGNATURE_MISMATCH,
    ),
    "proof created": (_set(["proof", "created"], "2023-02-24T23:36:39Z"), SIGNATURE_MISMATCH),
    "proof added option": (_set(["proof", "expires"], "2099-01-01T00:00:00Z"), SIGNATURE_MISMATCH),
    "proof purpose": (_set(["proof", "proofPurpose"], "authentication"), WRONG_PROOF_PURPOSE),
    "proof cryptosuite": (
        _set(["proof", "cryptosuite"], "eddsa-jcs-2022"),
        UNSUPPORTED_CRYPTOSUITE,
    ),
    "proof key": (
        _set(["proof", "verificationMethod"], "https://vc.example/issuers/5678#other"),
        UNKNOWN_KEY,
    ),
    # Without the examples context "alumniOf" is undefined: refused, not signed-over.
    "context removed": (
        _set(["@context"], ["https://www.w3.org/ns/credentials/v2"]),
        NOT_CANONICALIZABLE,
    ),
    "unknown context": (
        _set(["@context"], ["https://www.w3.org/ns/credentials/v2", "https://example.com/evil/v1"]),
        NOT_CANONICALIZABLE,
    ),
}


@pytest.mark.parametrize("name", list(TAMPERINGS))
def test_any_change_to_the_signed_vector_fails_verification(name, loader, key_pair, alumni_signed):
    change, expected_code = TAMPERINGS[name]
    _, public_key = key_pair
    method = alumni_signed["proof"]["verificationMethod"]
    tampered = copy.deepcopy(alumni_signed)
    change(tampered)
    result = verify(tampered, resolve_key=resolver_for(public_key, method), loader=loader)
    assert not result.valid
    assert result.code == expected_code, result.reason


def test_signature_mismatch_reason_is_plain(loader, key_pair, alumni_signed):
    _, public_key = key_pair
    alumni_signed["name"] = "Changed"
    result = verify(alumni_signed, resolve_key=lambda method: public_key, loader=loader)
    assert result.reason == "signature does not match: the credential was changed after signing"


def test_flipped_signature_bit_fails(loader, key_pair, alumni_signed):
    _, public_key = key_pair
    signature = bytearray(multibase_decode(alumni_signed["proof"]["proofValue"]))
    signature[10] ^= 1
    alumni_signed["proof"]["proofValue"] = "z" + base58btc_encode(bytes(signature))
    assert (
        verify(alumni_signed, resolve_key=lambda method: public_key, loader=loader).code
        == SIGNATURE_MISMATCH
    )


def test_wrong_key_fails(loader, alumni_signed):
    other = Ed25519PrivateKey.generate().public_key()
    assert (
        verify(alumni_signed, resolve_key=lambda method: other, loader=loader).code
        == SIGNATURE_MISMATCH
    )


# --- W3C EmploymentAuthorizationDocumentCredential (employ/ vector) ---------------


def test_employ_document_hash_and_combined_hash():
    # The citizenship/v4rc1 context of this vector is not available, so the
    # document's canonical form comes from the vector itself.
    canonical_document = read_text(EMPLOY / "canonDocDataInt.txt")
    document_hash = hashlib.sha256(canonical_document.encode()).digest()
    assert document_hash == read_hex(EMPLOY / "docHashDataInt.txt")
    proof_hash = hashlib.sha256(read_text(EMPLOY / "proofCanonDataInt.txt").encode()).digest()
    assert proof_hash + document_hash == read_hex(EMPLOY / "combinedHashDataInt.txt")


def test_employ_proof_options_canonical_form(loader):
    signed = read_json(EMPLOY / "signedDataInt.json")
    proof_options = {key: value for key, value in signed["proof"].items() if key != "proofValue"}
    # Proof terms all come from the (protected) VC 2.0 context, so the vector's
    # second context cannot change them; canonicalize with the first alone.
    proof_options["@context"] = ["https://www.w3.org/ns/credentials/v2"]
    assert canonicalize(proof_options, loader=loader) == read_text(EMPLOY / "proofCanonDataInt.txt")


def test_employ_signature_reproduced_and_verified(key_pair):
    private_key, public_key = key_pair
    combined = read_hex(EMPLOY / "combinedHashDataInt.txt")
    signature = private_key.sign(combined)
    assert signature == read_hex(EMPLOY / "sigHexDataInt.txt")
    assert "z" + base58btc_encode(signature) == read_text(EMPLOY / "sigBTC58DataInt.txt").strip()
    signed = read_json(EMPLOY / "signedDataInt.json")
    assert signed["proof"]["proofValue"] == read_text(EMPLOY / "sigBTC58DataInt.txt").strip()
    public_key.verify(signature, combined)
    unsigned = read_json(VECTORS / "employmentAuth.json")
    assert unsigned == {key: value for key, value in signed.items() if key != "proof"}


def test_employ_document_is_refused_without_its_context(loader, key_pair):
    _, public_key = key_pair
    signed = read_json(EMPLOY / "signedDataInt.json")
    result = verify(signed, resolve_key=lambda method: public_key, loader=loader)
    assert not result.valid
    assert result.code == NOT_CANONICALIZABLE
    assert "https://w3id.org/citizenship/v4rc1" in result.reason
    with pytest.raises(CanonicalizationError, match="refusing to fetch"):
        canonicalize(read_json(VECTORS / "employmentAuth.json"), loader=loader)


# --- 1EdTech Open Badges 3.0 canonical forms ---------------------------------------


def _ob_markdown_block(heading, language):
    text = read_text(OPEN_BADGES / "linked-data-proof-ob.md")
    match = re.search(rf"### {re.escape(heading)}\n.*?```{language}\n(.*?)```", text, re.DOTALL)
    return match.group(1)


def _ob_markdown_value(label):
    text = read_text(OPEN_BADGES / "linked-data-proof-ob.md")
    return re.search(rf"### {re.escape(label)}\n`(\w+)`", text).group(1)


@pytest.fixture
def teamwork_badge_vc2():
    """The markdown's Teamwork Badge in its VC 2.0 form, as the .txt vectors use it."""
    credential = json.loads(_ob_markdown_block("Test data", "json"))
    credential["@context"] = [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    credential["validFrom"] = credential.pop("issuanceDate")
    return credential


def test_open_badges_document_canonical_form(teamwork_badge_vc2):
    expected = read_text(OPEN_BADGES / "test-vectors/obv3p0/document-canon.txt")
    assert canonicalize(teamwork_badge_vc2) == expected


def test_open_badges_proof_canonical_form(teamwork_badge_vc2):
    proof = json.loads(_ob_markdown_block("Proof before signing", "json"))
    proof["@context"] = teamwork_badge_vc2["@context"]
    expected = read_text(OPEN_BADGES / "test-vectors/obv3p0/proof-canon.txt")
    assert canonicalize(proof) == expected


def test_open_badges_signature_over_markdown_hash_data():
    # The markdown's hashes come from older contexts that are not available, but
    # its signature and proof value can still be reproduced from its hash data.
    text = read_text(OPEN_BADGES / "linked-data-proof-ob.md")
    private_hex = re.search(r"Private key \(hex\): `([0-9a-f]+)`", text).group(1)
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_hex)[:32])
    data = bytes.fromhex(_ob_markdown_value("Data to sign (hex)"))
    assert data[:32].hex() == _ob_markdown_value("Proof hash (hex)")
    assert data[32:].hex() == _ob_markdown_value("Document hash (hex)")
    signature = key.sign(data)
    assert signature.hex() == _ob_markdown_value("Signature (hex)")
    assert "z" + base58btc_encode(signature) == _ob_markdown_value("Proof value (hex)")


def test_shared_copy_of_the_ob_context_is_the_broken_early_version(teamwork_badge_vc2):
    """Why contexts/ holds a later context-3.0.3.json than /work/shared (see SOURCES.md)."""
    early = OfflineDocumentLoader()
    early.register(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        read_json(SHARED / "contexts/purl.imsglobal.org_spec_ob_v3p0_context-3.0.3.json"),
    )
    with pytest.raises(CanonicalizationError, match="protected term"):
        canonicalize(teamwork_badge_vc2, loader=early)
