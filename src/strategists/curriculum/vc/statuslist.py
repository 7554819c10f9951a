"""W3C Bitstring Status List v1.0: revocation bits published as a credential.

Bit ``i`` is the i-th bit counting from the most significant bit of the first
byte (spec §3.3, "left-most bit"). The list is GZIP-compressed and written as
multibase base64url without padding (``u...``). It holds at least 131,072
entries (16 KiB), so that one revocation cannot be linked to a small group of
holders.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from .dataintegrity import format_datetime
from .loader import CREDENTIALS_V2_CONTEXT
from .multibase import MultibaseError, multibase_decode, multibase_encode_base64url

MINIMUM_ENTRIES = 131_072  # 16 KiB of bits; the spec's herd-privacy floor.
# Decompression is capped: the list comes from outside, and a small gzip stream
# can inflate to gigabytes. 16 MiB is 128 times the minimum list.
MAXIMUM_BYTES = 16 * 1024 * 1024

REVOCATION = "revocation"
SUSPENSION = "suspension"


class StatusListError(ValueError):
    """A status list or status entry is malformed or does not fit together."""


class StatusBitstring:
    """A mutable bitstring of credential statuses (1 = revoked/suspended)."""

    def __init__(self, size: int = MINIMUM_ENTRIES) -> None:
        if size < MINIMUM_ENTRIES or size % 8:
            raise StatusListError(
                f"a status list needs a multiple of 8 entries, at least {MINIMUM_ENTRIES}"
            )
        self._bytes = bytearray(size // 8)

    @classmethod
    def from_set_indices(
        cls, indices: Iterable[int], size: int = MINIMUM_ENTRIES
    ) -> StatusBitstring:
        bitstring = cls(size)
        for index in indices:
            bitstring.set(index, True)
        return bitstring

    @classmethod
    def from_bytes(cls, data: bytes) -> StatusBitstring:
        if len(data) * 8 < MINIMUM_ENTRIES:
            raise StatusListError(
                f"the status list has {len(data) * 8} entries, fewer than the minimum {MINIMUM_ENTRIES}"
            )
        bitstring = cls(len(data) * 8)
        bitstring._bytes[:] = data
        return bitstring

    def __len__(self) -> int:
        return len(self._bytes) * 8

    def _locate(self, index: int) -> tuple[int, int]:
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(self):
            raise StatusListError(
                f"status index {index!r} is outside the list (0..{len(self) - 1})"
            )
        return index // 8, 0x80 >> (index % 8)

    def get(self, index: int) -> bool:
        byte, mask = self._locate(index)
        return bool(self._bytes[byte] & mask)

    def set(self, index: int, value: bool = True) -> None:
        byte, mask = self._locate(index)
        if value:
            self._bytes[byte] |= mask
        else:
            self._bytes[byte] &= ~mask & 0xFF

    def set_indices(self) -> list[int]:
        # Skip zero bytes: real lists are almost all zeros.
        return [
            byte_index * 8 + bit
            for byte_index, byte in enumerate(self._bytes)
            if byte
            for bit in range(8)
            if byte & (0x80 >> bit)
        ]

    def to_bytes(self) -> bytes:
        return bytes(self._bytes)

    def encode(self) -> str:
        """``encodedList``: multibase base64url (no padding) of the GZIP'd bits."""
        # mtime=0 makes the output a pure function of the bits.
        return multibase_encode_base64url(gzip.compress(self.to_bytes(), mtime=0))

    @classmethod
    def decode(cls, encoded_list: str) -> StatusBitstring:
        if not isinstance(encoded_list, str) or not encoded_list.startswith("u"):
            raise StatusListError("encodedList must be multibase base64url (start with 'u')")
        try:
            compressed = multibase_decode(encoded_list)
        except MultibaseError as error:
            raise StatusListError(f"encodedList: {error}") from None
        # wbits 16+MAX_WBITS: expect a gzip header, as the spec requires.
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            data = inflater.decompress(compressed, MAXIMUM_BYTES)
        except zlib.error as error:
            raise StatusListError(f"encodedList is not GZIP data: {error}") from None
        if inflater.unconsumed_tail:
            raise StatusListError(f"the status list is larger than {MAXIMUM_BYTES} bytes")
        if not inflater.eof:
            raise StatusListError("encodedList is truncated GZIP data")
        return cls.from_bytes(data)


def build_status_list_credential(
    *,
    url: str,
    issuer: str,
    bitstring: StatusBitstring,
    valid_from: datetime,
    valid_until: datetime | None = None,
    status_purpose: str = REVOCATION,
) -> dict[str, Any]:
    """An unsigned ``BitstringStatusListCredential`` published at ``url``.

    Sign it with :func:`dataintegrity.sign` using the issuer's current key.
    """
    credential: dict[str, Any] = {
        "@context": [CREDENTIALS_V2_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": format_datetime(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": status_purpose,
            "encodedList": bitstring.encode(),
        },
    }
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until)
    return credential


def build_status_list_entry(
    *, status_list_url: str, index: int, status_purpose: str = REVOCATION
) -> dict[str, Any]:
    """The ``credentialStatus`` of the credential that owns bit ``index``."""
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise StatusListError("a status list index is a non-negative integer")
    return {
        "id": f"{status_list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": status_purpose,
        # The spec types the index as a string (an xsd:integer lexical form).
        "statusListIndex": str(index),
        "statusListCredential": status_list_url,
    }


@dataclass(frozen=True)
class StatusEntry:
    status_list_url: str
    index: int
    status_purpose: str


def parse_status_entry(entry: Mapping[str, Any]) -> StatusEntry:
    """Validate a ``BitstringStatusListEntry`` from a credential."""
    if not isinstance(entry, Mapping) or entry.get("type") != "BitstringStatusListEntry":
        raise StatusListError("credentialStatus is not a BitstringStatusListEntry")
    url = entry.get("statusListCredential")
    purpose = entry.get("statusPurpose")
    raw_index = entry.get("statusListIndex")
    if not isinstance(url, str) or not url:
        raise StatusListError("the status entry names no status list credential")
    if not isinstance(purpose, str) or not purpose:
        raise StatusListError("the status entry has no statusPurpose")
    if not isinstance(raw_index, str) or not raw_index.isdigit() or not raw_index.isascii():
        raise StatusListError("statusListIndex must be a string of digits")
    return StatusEntry(url, int(raw_index), purpose)


def read_status_bit(status_list_credential: Mapping[str, Any], entry: StatusEntry) -> bool:
    """The entry's bit in an (already verified) status list credential.

    Raises :class:`StatusListError` when the list does not match the entry
    (another URL, another purpose, index out of range) or cannot be decoded.
    """
    types = status_list_credential.get("type")
    if "BitstringStatusListCredential" not in (types if isinstance(types, list) else [types]):
        raise StatusListError("the status list is not a BitstringStatusListCredential")
    if status_list_credential.get("id") != entry.status_list_url:
        raise StatusListError("the status list credential's id is not the URL it was fetched for")
    subject = status_list_credential.get("credentialSubject")
    if not isinstance(subject, Mapping) or subject.get("type") != "BitstringStatusList":
        raise StatusListError("the status list credential's subject is not a BitstringStatusList")
    purposes = subject.get("statusPurpose")
    if entry.status_purpose not in (purposes if isinstance(purposes, list) else [purposes]):
        raise StatusListError(
            f"the status list is for {purposes!r}, but the credential asks about {entry.status_purpose!r}"
        )
    bitstring = StatusBitstring.decode(cast(str, subject.get("encodedList")))
    return bitstring.get(entry.index)
