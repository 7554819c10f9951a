"""W3C Bitstring Status List encoding, credential and entries."""

import gzip
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategists.curriculum.vc.dataintegrity import canonicalize
from strategists.curriculum.vc.multibase import multibase_decode, multibase_encode_base64url
from strategists.curriculum.vc.statuslist import (
    MINIMUM_ENTRIES,
    StatusBitstring,
    StatusListError,
    build_status_list_credential,
    build_status_list_entry,
    parse_status_entry,
    read_status_bit,
)

URL = "https://strategists.example/credentials/status/1"
DID = "did:web:strategists.example"


@settings(max_examples=40, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=MINIMUM_ENTRIES - 1), max_size=50))
def test_round_trip(indices):
    decoded = StatusBitstring.decode(StatusBitstring.from_set_indices(indices).encode())
    assert len(decoded) == MINIMUM_ENTRIES
    assert set(decoded.set_indices()) == indices


def test_index_zero_is_the_left_most_bit():
    bits = StatusBitstring.from_set_indices([0, 9])
    assert bits.to_bytes()[:2] == bytes([0b1000_0000, 0b0100_0000])


def test_encoding_is_gzip_in_unpadded_base64url():
    encoded = StatusBitstring.from_set_indices([5]).encode()
    assert encoded.startswith("u") and "=" not in encoded
    assert "+" not in encoded and "/" not in encoded
    raw = gzip.decompress(multibase_decode(encoded))
    assert len(raw) == MINIMUM_ENTRIES // 8
    # Deterministic: no timestamp in the gzip header.
    assert encoded == StatusBitstring.from_set_indices([5]).encode()


def test_spec_example_empty_list_decodes():
    # encodedList of the example in W3C Bitstring Status List v1.0 (16 KiB of zeros).
    example = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
    bits = StatusBitstring.decode(example)
    assert len(bits) == MINIMUM_ENTRIES
    assert bits.set_indices() == []


def test_set_and_clear():
    bits = StatusBitstring()
    bits.set(42)
    assert bits.get(42) and not bits.get(41) and not bits.get(43)
    bits.set(42, False)
    assert not bits.get(42)


@pytest.mark.parametrize("index", [-1, MINIMUM_ENTRIES, True, "3"])
def test_out_of_range_index(index):
    with pytest.raises(StatusListError):
        StatusBitstring().get(index)


def test_lists_below_the_minimum_are_refused():
    with pytest.raises(StatusListError, match="at least"):
        StatusBitstring(1024)
    small = multibase_encode_base64url(gzip.compress(bytes(128)))
    with pytest.raises(StatusListError, match="fewer than the minimum"):
        StatusBitstring.decode(small)


def test_decompression_is_bounded():
    bomb = multibase_encode_base64url(gzip.compress(bytes(64 * 1024 * 1024)))
    with pytest.raises(StatusListError, match="larger than"):
        StatusBitstring.decode(bomb)


@pytest.mark.parametrize(
    "encoded",
    ["zabc", "u" + "A" * 10, multibase_encode_base64url(b"not gzip at all"), None],
)
def test_garbage_is_refused(encoded):
    with pytest.raises(StatusListError):
        StatusBitstring.decode(encoded)


def test_status_list_credential_is_valid_json_ld():
    credential = build_status_list_credential(
        url=URL,
        issuer=DID,
        bitstring=StatusBitstring.from_set_indices([3]),
        valid_from=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["credentialSubject"]["statusPurpose"] == "revocation"
    nquads = canonicalize(credential)
    assert "<https://www.w3.org/ns/credentials/status#encodedList>" in nquads


def test_entry_and_bit_lookup():
    entry = build_status_list_entry(status_list_url=URL, index=3)
    assert entry == {
        "id": f"{URL}#3",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "3",
        "statusListCredential": URL,
    }
    credential = build_status_list_credential(
        url=URL,
        issuer=DID,
        bitstring=StatusBitstring.from_set_indices([3]),
        valid_from=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert read_status_bit(credential, parse_status_entry(entry)) is True
    other = parse_status_entry(build_status_list_entry(status_list_url=URL, index=4))
    assert read_status_bit(credential, other) is False


def test_entry_must_match_the_list():
    credential = build_status_list_credential(
        url=URL,
        issuer=DID,
        bitstring=StatusBitstring(),
        valid_from=datetime(2026, 1, 1, tzinfo=UTC),
    )
    suspension = parse_status_entry(
        build_status_list_entry(status_list_url=URL, index=1, status_purpose="suspension")
    )
    with pytest.raises(StatusListError, match="suspension"):
        read_status_bit(credential, suspension)
    elsewhere = parse_status_entry(build_status_list_entry(status_list_url=URL + "x", index=1))
    with pytest.raises(StatusListError, match="URL"):
        read_status_bit(credential, elsewhere)
    beyond = parse_status_entry(build_status_list_entry(status_list_url=URL, index=MINIMUM_ENTRIES))
    with pytest.raises(StatusListError, match="outside"):
        read_status_bit(credential, beyond)


@pytest.mark.parametrize(
    "entry",
    [
        {"type": "StatusList2021Entry"},
        {
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": 3,
            "statusListCredential": URL,
        },
        {
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "-3",
            "statusListCredential": URL,
        },
        {"type": "BitstringStatusListEntry", "statusListIndex": "3", "statusListCredential": URL},
    ],
)
def test_malformed_entries(entry):
    with pytest.raises(StatusListError):
        parse_status_entry(entry)
