"""base58btc / multibase / Multikey encodings, against the W3C and 1EdTech key vectors."""

import json
import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from strategists.curriculum.vc.multibase import (
    MultibaseError,
    base58btc_decode,
    base58btc_encode,
    decode_private_key_multibase,
    decode_public_key_multibase,
    encode_private_key_multibase,
    encode_public_key_multibase,
    multibase_decode,
    multibase_encode_base58btc,
    multibase_encode_base64url,
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


def raw_public(key):
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@pytest.mark.parametrize(
    ("data", "encoded"),
    [
        (b"", ""),
        (b"\0", "1"),
        (b"\0\0\x01", "112"),
        # Example from the multibase draft (draft-multiformats-multibase).
        (b"Hello World!", "2NEpo7TZRRrLZSi2U"),
        (
            b"The quick brown fox jumps over the lazy dog.",
            "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
        ),
    ],
)
def test_base58btc_known_values(data, encoded):
    assert base58btc_encode(data) == encoded
    assert base58btc_decode(encoded) == data


@given(st.binary(max_size=80))
def test_base58btc_round_trip(data):
    assert base58btc_decode(base58btc_encode(data)) == data


@given(st.binary(max_size=80))
def test_multibase_round_trip_in_both_alphabets(data):
    assert multibase_decode(multibase_encode_base58btc(data)) == data
    encoded = multibase_encode_base64url(data)
    assert "=" not in encoded
    assert multibase_decode(encoded) == data


@pytest.mark.parametrize("bad", ["z0OIl", "", "mSGVsbG8=", "uSGVsbG8=", "x123", None])
def test_bad_multibase_is_refused(bad):
    with pytest.raises(MultibaseError):
        multibase_decode(bad)


def test_multikey_round_trip_of_a_fresh_key():
    key = Ed25519PrivateKey.generate()
    public_multibase = encode_public_key_multibase(key.public_key())
    assert public_multibase.startswith("z6Mk")
    assert raw_public(decode_public_key_multibase(public_multibase)) == raw_public(key.public_key())
    private_multibase = encode_private_key_multibase(key)
    assert private_multibase.startswith("z3u2")
    restored = decode_private_key_multibase(private_multibase)
    assert raw_public(restored.public_key()) == raw_public(key.public_key())


def test_public_and_private_prefixes_are_not_interchangeable():
    key = Ed25519PrivateKey.generate()
    with pytest.raises(MultibaseError, match="0xed01"):
        decode_public_key_multibase(encode_private_key_multibase(key))
    with pytest.raises(MultibaseError, match="0x8026"):
        decode_private_key_multibase(encode_public_key_multibase(key.public_key()))
    with pytest.raises(MultibaseError, match="32 bytes"):
        decode_public_key_multibase(multibase_encode_base58btc(b"\xed\x01" + b"\x01" * 31))


def test_w3c_key_pair_decodes_and_seed_derives_public_key():
    pair = json.loads((SHARED / "vc-di-eddsa/TestVectors/keyPair.json").read_text())
    private_key = decode_private_key_multibase(pair["privateKeyMultibase"])
    public_key = decode_public_key_multibase(pair["publicKeyMultibase"])
    assert raw_public(private_key.public_key()) == raw_public(public_key)
    assert encode_public_key_multibase(public_key) == pair["publicKeyMultibase"]
    assert encode_private_key_multibase(private_key) == pair["privateKeyMultibase"]


def test_open_badges_key_pair_hex_matches_its_multikeys():
    text = (SHARED / "openbadges/linked-data-proof-ob.md").read_text()
    public_hex = re.search(r"Public key \(hex\): `([0-9a-f]+)`", text).group(1)
    private_hex = re.search(r"Private key \(hex\): `([0-9a-f]+)`", text).group(1)
    public_multibase = re.search(r"publicKeyMultibase: '(z\w+)'", text).group(1)
    secret_multibase = re.search(r"secretKeyMultibase: '(z\w+)'", text).group(1)

    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_hex)[:32])
    assert raw_public(key.public_key()).hex() == public_hex
    assert encode_public_key_multibase(key.public_key()) == public_multibase
    # This older tool stored seed + public key (64 bytes) under 0x8026.
    assert (
        raw_public(decode_private_key_multibase(secret_multibase).public_key()).hex() == public_hex
    )
    assert encode_private_key_multibase(key) != secret_multibase


def test_64_byte_private_key_with_wrong_public_half_is_refused():
    key = Ed25519PrivateKey.generate()
    seed = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    other = raw_public(Ed25519PrivateKey.generate().public_key())
    with pytest.raises(MultibaseError, match="does not match"):
        decode_private_key_multibase(multibase_encode_base58btc(b"\x80\x26" + seed + other))
