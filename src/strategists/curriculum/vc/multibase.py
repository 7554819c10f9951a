"""Multibase (base58btc, base64url) and Multikey encodings for Ed25519 keys.

Data Integrity proofs carry signatures as multibase base58btc (``z...``), DID
documents publish keys as Multikey (``z6Mk...``), and Bitstring Status Lists use
multibase base64url without padding (``u...``). base58btc is implemented here
rather than pulled in as a dependency because it is a few lines of arithmetic.
"""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {char: value for value, char in enumerate(BASE58_ALPHABET)}

# Multicodec varint prefixes (https://github.com/multiformats/multicodec).
ED25519_PUBLIC_KEY_PREFIX = b"\xed\x01"
ED25519_PRIVATE_KEY_PREFIX = b"\x80\x26"

ED25519_KEY_LENGTH = 32


class MultibaseError(ValueError):
    """A multibase or Multikey string could not be decoded."""


def base58btc_encode(data: bytes) -> str:
    """Encode bytes as Bitcoin-alphabet base58 (no multibase prefix)."""
    # Each leading zero byte is written as a leading "1": the big-integer
    # conversion below would otherwise lose them.
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(BASE58_ALPHABET[remainder])
    return "1" * leading_zeros + "".join(reversed(digits))


def base58btc_decode(text: str) -> bytes:
    """Decode Bitcoin-alphabet base58 (no multibase prefix)."""
    number = 0
    for char in text:
        try:
            number = number * 58 + _BASE58_INDEX[char]
        except KeyError:
            raise MultibaseError(f"{char!r} is not a base58btc character") from None
    leading_zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * leading_zeros + body


def multibase_encode_base58btc(data: bytes) -> str:
    """Multibase base58btc: ``z`` + base58btc."""
    return "z" + base58btc_encode(data)


def multibase_encode_base64url(data: bytes) -> str:
    """Multibase base64url without padding: ``u`` + base64url."""
    return "u" + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def multibase_decode(text: str) -> bytes:
    """Decode a multibase string in base58btc (``z``) or base64url-no-pad (``u``).

    Other multibase alphabets are refused: nothing this package reads uses them.
    """
    if not isinstance(text, str) or not text:
        raise MultibaseError("a multibase value must be a non-empty string")
    prefix, body = text[0], text[1:]
    if prefix == "z":
        return base58btc_decode(body)
    if prefix == "u":
        if "=" in body:
            raise MultibaseError("multibase base64url must not be padded")
        try:
            return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except ValueError as error:
            raise MultibaseError(f"invalid base64url: {error}") from None
    raise MultibaseError(f"unsupported multibase prefix {prefix!r} (expected 'z' or 'u')")


def _raw_public_bytes(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _raw_private_seed(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def encode_public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """Multikey ``publicKeyMultibase``: ``z`` + base58btc(0xed01 + 32-byte key)."""
    return multibase_encode_base58btc(ED25519_PUBLIC_KEY_PREFIX + _raw_public_bytes(public_key))


def decode_public_key_multibase(text: str) -> Ed25519PublicKey:
    """Parse a Multikey ``publicKeyMultibase`` holding an Ed25519 public key."""
    if not isinstance(text, str) or not text.startswith("z"):
        raise MultibaseError("publicKeyMultibase must be base58btc (start with 'z')")
    data = multibase_decode(text)
    if not data.startswith(ED25519_PUBLIC_KEY_PREFIX):
        raise MultibaseError("not an Ed25519 public key (multicodec prefix is not 0xed01)")
    raw = data[len(ED25519_PUBLIC_KEY_PREFIX) :]
    if len(raw) != ED25519_KEY_LENGTH:
        raise MultibaseError(f"an Ed25519 public key has 32 bytes, not {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)


def encode_private_key_multibase(private_key: Ed25519PrivateKey) -> str:
    """Multikey ``secretKeyMultibase``: ``z`` + base58btc(0x8026 + 32-byte seed)."""
    return multibase_encode_base58btc(ED25519_PRIVATE_KEY_PREFIX + _raw_private_seed(private_key))


def decode_private_key_multibase(text: str) -> Ed25519PrivateKey:
    """Parse a Multikey ``secretKeyMultibase`` holding an Ed25519 private key.

    The Multikey spec stores the 32-byte seed. Some older tools (the Open Badges
    test vector among them) stored seed + public key (64 bytes); that form is
    accepted only when its public half matches the seed, so a corrupted key is
    never silently used.
    """
    if not isinstance(text, str) or not text.startswith("z"):
        raise MultibaseError("secretKeyMultibase must be base58btc (start with 'z')")
    data = multibase_decode(text)
    if not data.startswith(ED25519_PRIVATE_KEY_PREFIX):
        raise MultibaseError("not an Ed25519 private key (multicodec prefix is not 0x8026)")
    raw = data[len(ED25519_PRIVATE_KEY_PREFIX) :]
    if len(raw) == 2 * ED25519_KEY_LENGTH:
        seed, public = raw[:ED25519_KEY_LENGTH], raw[ED25519_KEY_LENGTH:]
        key = Ed25519PrivateKey.from_private_bytes(seed)
        if _raw_public_bytes(key.public_key()) != public:
            raise MultibaseError("the 64-byte private key's public half does not match its seed")
        return key
    if len(raw) != ED25519_KEY_LENGTH:
        raise MultibaseError(f"an Ed25519 private key seed has 32 bytes, not {len(raw)}")
    return Ed25519PrivateKey.from_private_bytes(raw)
