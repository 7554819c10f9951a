"""did:web identifiers and DID documents with Multikey verification methods.

The platform's DID is derived from its public origin (``https://example.org``
-> ``did:web:example.org``) and its DID document is served at
``/.well-known/did.json``. Every signing key the platform has ever used stays
in the document under its own ``#key-N`` fragment and in ``assertionMethod``,
so credentials signed before a key rotation keep verifying. A key that must
stop verifying (it leaked) is published with a ``revoked`` date instead, and
resolution refuses it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from urllib.parse import quote, unquote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .dataintegrity import UnknownKeyError, format_datetime
from .loader import DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT
from .multibase import MultibaseError, decode_public_key_multibase, encode_public_key_multibase

DID_DOCUMENT_CONTEXT = [DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT]


def did_web_from_url(url: str) -> str:
    """``https://host:port/path`` -> ``did:web:host%3Aport:path`` (did:web spec §3.2)."""
    parts = urlsplit(url)
    if not parts.hostname:
        raise ValueError(f"{url!r} has no host")
    host = parts.hostname.lower()
    if ":" in host:
        raise ValueError("did:web does not support IP v6 literal hosts")
    # The port's ":" would otherwise read as a path separator.
    domain = quote(f"{host}:{parts.port}" if parts.port else host, safe="")
    path = parts.path.strip("/")
    if path.endswith(".well-known/did.json") or path == ".well-known":
        raise ValueError("pass the site URL, not the DID document URL")
    segments = [quote(unquote(segment), safe="") for segment in path.split("/") if segment]
    return ":".join(["did", "web", domain, *segments])


def did_web_document_url(did: str, *, scheme: str = "https") -> str:
    """Where a did:web DID's document lives: ``/.well-known/did.json`` or ``/path/did.json``.

    did:web mandates https; ``scheme="http"`` exists for local development only.
    """
    if not did.startswith("did:web:"):
        raise ValueError(f"{did!r} is not a did:web DID")
    domain, *segments = did[len("did:web:") :].split(":")
    if not domain:
        raise ValueError(f"{did!r} has no domain")
    origin = f"{scheme}://{unquote(domain)}"
    if segments:
        return origin + "/" + "/".join(segments) + "/did.json"
    return origin + "/.well-known/did.json"


def key_id(did: str, number: int) -> str:
    """The verification method id of the platform's N-th signing key: ``did#key-N``."""
    return f"{did}#key-{number}"


@dataclass(frozen=True)
class PublishedKey:
    """One signing key as published in the DID document."""

    number: int
    public_key: Ed25519PublicKey
    # Set only for keys that must no longer verify anything (compromise), not for
    # keys that were merely rotated out.
    revoked: datetime | None = None


def build_did_document(did: str, keys: Iterable[PublishedKey]) -> dict[str, Any]:
    """The DID document listing every key; unrevoked ones may assert credentials."""
    keys = sorted(keys, key=lambda published: published.number)
    numbers = [published.number for published in keys]
    if len(set(numbers)) != len(numbers):
        raise ValueError("each key needs its own number")
    methods = []
    for published in keys:
        method = {
            "id": key_id(did, published.number),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": encode_public_key_multibase(published.public_key),
        }
        if published.revoked is not None:
            method["revoked"] = format_datetime(published.revoked)
        methods.append(method)
    return {
        "@context": list(DID_DOCUMENT_CONTEXT),
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [
            key_id(did, published.number) for published in keys if published.revoked is None
        ],
    }


def _absolute(reference: str, did: str) -> str:
    # DID documents may reference their own methods by bare fragment ("#key-1").
    return did + reference if reference.startswith("#") else reference


def resolve_verification_method(
    did_document: Mapping[str, Any],
    verification_method_id: str,
    *,
    purpose: str = "assertionMethod",
) -> Ed25519PublicKey:
    """Return the public key for ``verification_method_id`` if the document allows it.

    Raises :class:`UnknownKeyError` when the method is not in the document,
    belongs to another controller, is not listed under ``purpose``, is revoked,
    or is not an Ed25519 Multikey.
    """
    did = did_document.get("id")
    if not isinstance(did, str):
        raise UnknownKeyError("the DID document has no id")
    if verification_method_id.split("#", 1)[0] != did:
        raise UnknownKeyError(f"the key does not belong to {did}")
    relationship = did_document.get(purpose) or []
    if not isinstance(relationship, list):
        relationship = [relationship]
    candidates: list[Mapping[str, Any]] = []
    authorised = False
    for entry in relationship:
        if isinstance(entry, str) and _absolute(entry, did) == verification_method_id:
            authorised = True
        elif (
            isinstance(entry, Mapping)
            and _absolute(str(entry.get("id", "")), did) == verification_method_id
        ):
            authorised = True
            candidates.append(entry)
    if not authorised:
        raise UnknownKeyError(f"the DID document does not list the key under {purpose}")
    methods = did_document.get("verificationMethod") or []
    candidates += [
        method
        for method in (methods if isinstance(methods, list) else [methods])
        if isinstance(method, Mapping)
        and _absolute(str(method.get("id", "")), did) == verification_method_id
    ]
    if not candidates:
        raise UnknownKeyError("the DID document does not describe the key")
    method = candidates[0]
    if method.get("controller") != did:
        raise UnknownKeyError("the key is controlled by someone other than the DID subject")
    if method.get("type") != "Multikey":
        raise UnknownKeyError(f"unsupported verification method type {method.get('type')!r}")
    if method.get("revoked"):
        raise UnknownKeyError(f"the key was revoked on {method['revoked']}")
    try:
        return decode_public_key_multibase(cast(str, method.get("publicKeyMultibase")))
    except MultibaseError as error:
        raise UnknownKeyError(f"the key is not a usable Ed25519 Multikey: {error}") from None


def key_resolver(
    did_document: Mapping[str, Any], *, purpose: str = "assertionMethod"
) -> Callable[[str], Ed25519PublicKey]:
    """``resolve_key`` callable for :func:`dataintegrity.verify` backed by one DID document."""

    def resolve_key(verification_method_id: str) -> Ed25519PublicKey:
        return resolve_verification_method(did_document, verification_method_id, purpose=purpose)

    return resolve_key
