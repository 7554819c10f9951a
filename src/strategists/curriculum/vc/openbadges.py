"""Unsigned Open Badges 3.0 ``OpenBadgeCredential``s in the VC Data Model 2.0 form.

One credential records that a learner achieved one area of the framework: the
``Achievement`` is identified by that area's public URL and aligned to the
framework. Recipients are identified either by a DID/URL (``id``) or, more
usually, by a salted SHA-256 hash of their email address (an OB 3.0
``IdentityObject``), so the credential does not reveal the address but anyone
who knows it can check it.

Sign the result with :func:`dataintegrity.sign`.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .dataintegrity import expand_strictly, format_datetime
from .loader import CREDENTIALS_V2_CONTEXT, OPEN_BADGES_V3_CONTEXT, OfflineDocumentLoader

OPEN_BADGE_CONTEXT = [CREDENTIALS_V2_CONTEXT, OPEN_BADGES_V3_CONTEXT]

# Terms a context does not define are dropped by JSON-LD, which strict expansion
# turns into an error. A context with an "issuer-dependent" @vocab (the VC 2.0
# drafts, the W3C "undefined-terms" context) would instead sign them under this
# meaningless namespace; built credentials must not contain any either.
ISSUER_DEPENDENT_NAMESPACE = "https://www.w3.org/ns/credentials/issuer-dependent#"


class OpenBadgeError(ValueError):
    """The credential cannot be built from the given values."""


@dataclass(frozen=True)
class Alignment:
    """An OB 3.0 ``Alignment``: the achievement corresponds to a framework item."""

    target_name: str
    target_url: str
    target_framework: str | None = None
    target_code: str | None = None
    target_description: str | None = None

    def as_json(self) -> dict[str, Any]:
        alignment: dict[str, Any] = {
            "type": ["Alignment"],
            "targetName": self.target_name,
            "targetUrl": self.target_url,
        }
        optional = {
            "targetFramework": self.target_framework,
            "targetCode": self.target_code,
            "targetDescription": self.target_description,
        }
        alignment.update({key: value for key, value in optional.items() if value})
        return alignment


def normalize_email(email: str) -> str:
    """Trim and lower-case: verifiers hash what the learner types, in any case."""
    return email.strip().lower()


def identity_hash(email: str, salt: str = "") -> str:
    """OB 3.0 IdentityHash: ``sha256$`` + hex SHA-256 of UTF-8(email + salt)."""
    digest = hashlib.sha256((normalize_email(email) + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def email_identity(email: str, *, salt: str | None = None) -> dict[str, Any]:
    """An OB 3.0 ``IdentityObject`` for a hashed email address.

    Without a salt an email hash can be reversed by hashing candidate addresses,
    so one is generated unless given (tests pass one to get stable output).
    """
    if "@" not in email:
        raise OpenBadgeError(f"{email!r} is not an email address")
    salt = secrets.token_hex(16) if salt is None else salt
    return {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": identity_hash(email, salt),
        "salt": salt,
    }


def email_matches_identity(email: str, identity: Mapping[str, Any]) -> bool:
    """Whether ``email`` is the address behind a hashed email ``IdentityObject``."""
    if identity.get("identityType") != "emailAddress":
        return False
    expected = identity.get("identityHash", "")
    if not identity.get("hashed"):
        return normalize_email(str(expected)) == normalize_email(email)
    return secrets.compare_digest(
        identity_hash(email, str(identity.get("salt") or "")).lower(), str(expected).lower()
    )


def build_open_badge_credential(
    *,
    credential_id: str,
    issuer_did: str,
    issuer_name: str,
    issuer_url: str,
    valid_from: datetime,
    achievement_id: str,
    achievement_name: str,
    achievement_description: str,
    criteria_narrative: str,
    alignments: Sequence[Alignment] = (),
    recipient_email: str | None = None,
    recipient_salt: str | None = None,
    subject_id: str | None = None,
    name: str | None = None,
    description: str | None = None,
    valid_until: datetime | None = None,
    credential_status: Mapping[str, Any] | None = None,
    image_url: str | None = None,
    achievement_type: str | None = None,
    issuer_image_url: str | None = None,
    issuer_email: str | None = None,
    loader: OfflineDocumentLoader | None = None,
) -> dict[str, Any]:
    """Build an unsigned OpenBadgeCredential.

    ``credential_id`` is the credential's public URL (or ``urn:uuid:...``);
    ``achievement_id`` is the framework area's public URL. Give
    ``recipient_email`` (hashed into ``credentialSubject.identifier``) and/or
    ``subject_id``. ``credential_status`` comes from
    :func:`statuslist.build_status_list_entry`.

    The result is checked by JSON-LD expansion: every term must be defined by
    the OB 3.0 / VC 2.0 contexts, otherwise :class:`OpenBadgeError` is raised.

    ``image_url`` (often a ``data:`` URI from :mod:`badge`), ``achievement_type`` (an OB 3.0
    enumeration value such as ``Competency`` or ``Certificate``), ``issuer_image_url`` and
    ``issuer_email`` are what wallets show; each is left out when not given, so a credential
    built without them is the same document as before they existed.
    """
    if recipient_email is None and subject_id is None:
        raise OpenBadgeError("a credential needs a recipient_email or a subject_id")
    if valid_until is not None and valid_until <= valid_from:
        raise OpenBadgeError("valid_until must be after valid_from")

    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        **({"achievementType": achievement_type} if achievement_type else {}),
        "name": achievement_name,
        "description": achievement_description,
        "criteria": {"narrative": criteria_narrative},
    }
    if image_url:
        achievement["image"] = {"id": image_url, "type": "Image"}
    if alignments:
        achievement["alignment"] = [alignment.as_json() for alignment in alignments]

    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if subject_id is not None:
        subject["id"] = subject_id
    if recipient_email is not None:
        subject["identifier"] = [email_identity(recipient_email, salt=recipient_salt)]
    subject["achievement"] = achievement

    credential: dict[str, Any] = {
        "@context": list(OPEN_BADGE_CONTEXT),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name or achievement_name,
    }
    if description:
        credential["description"] = description
    credential["issuer"] = {
        "id": issuer_did,
        "type": ["Profile"],
        "name": issuer_name,
        "url": issuer_url,
    }
    if issuer_image_url:
        credential["issuer"]["image"] = {"id": issuer_image_url, "type": "Image"}
    if issuer_email:
        credential["issuer"]["email"] = issuer_email
    credential["validFrom"] = format_datetime(valid_from)
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until)
    credential["credentialSubject"] = subject
    if credential_status is not None:
        credential["credentialStatus"] = dict(credential_status)

    check_terms_defined(credential, loader=loader)
    return credential


def _issuer_dependent_iris(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= _issuer_dependent_iris(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key.startswith(ISSUER_DEPENDENT_NAMESPACE):
                found.add(key)
            if key == "@type":
                found |= {
                    iri
                    for iri in (value if isinstance(value, list) else [value])
                    if isinstance(iri, str) and iri.startswith(ISSUER_DEPENDENT_NAMESPACE)
                }
            elif key != "@value":
                found |= _issuer_dependent_iris(value)
    return found


def check_terms_defined(
    credential: Mapping[str, Any], *, loader: OfflineDocumentLoader | None = None
) -> None:
    """Raise :class:`OpenBadgeError` if any term is dropped or falls to the VC @vocab."""
    try:
        expanded = expand_strictly(credential, loader=loader)
    except ValueError as error:
        raise OpenBadgeError(str(error)) from error
    undefined = _issuer_dependent_iris(expanded)
    if undefined:
        names = ", ".join(sorted(iri.removeprefix(ISSUER_DEPENDENT_NAMESPACE) for iri in undefined))
        raise OpenBadgeError(f"terms not defined by the Open Badges 3.0 context: {names}")
