"""Whole-credential verification: proof, issuer key, validity period, revocation.

:func:`verify_credential` gives one verdict a person can act on, with the
reason in plain words. Checks run from "can this be read at all" to "is it
currently in force", and the first failure decides:

0. too complex    - larger or more complex than any credential can be (see
                   :mod:`.limits`): refused before any expensive work, or when
                   canonicalization runs out of its work budget;
1. malformed      - not a signed VC 2.0 credential this verifier can process;
2. tampered       - the signature does not match the issuer's published key;
3. revoked        - the issuer has set the credential's status list bit;
4. expired        - ``validUntil`` has passed;
5. not yet valid  - ``validFrom`` is in the future;
6. valid.

Looking up DID documents and status lists is the caller's job (HTTP, cache or
database). A lookup that returns None or raises ``LookupError`` counts as "not
found"; any other exception propagates, because a verifier that cannot reach
its sources has learnt nothing about the credential.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from . import dataintegrity, limits
from .did import key_resolver
from .limits import LimitExceeded
from .loader import CREDENTIALS_V2_CONTEXT, OfflineDocumentLoader
from .statuslist import REVOCATION, StatusListError, parse_status_entry, read_status_bit


class Verdict(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_YET_VALID = "not yet valid"
    TAMPERED = "tampered"
    MALFORMED = "malformed"
    TOO_COMPLEX = "too complex"


@dataclass(frozen=True)
class CredentialCheck:
    status: Verdict
    reason: str
    issuer: str | None = None
    verification_method: str | None = None
    # For TOO_COMPLEX, the bound that was exceeded (a limits.* code), so callers can word it.
    limit: str | None = None

    @property
    def is_valid(self) -> bool:
        return self.status is Verdict.VALID


class _Rejected(Exception):
    def __init__(self, status: Verdict, reason: str, limit: str | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.limit = limit


_PROOF_FAILURES = {
    dataintegrity.SIGNATURE_MISMATCH: Verdict.TAMPERED,
    dataintegrity.UNKNOWN_KEY: Verdict.TAMPERED,
    dataintegrity.WRONG_PROOF_PURPOSE: Verdict.TAMPERED,
    dataintegrity.TOO_COMPLEX: Verdict.TOO_COMPLEX,
}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _issuer_id(credential: Mapping[str, Any]) -> str:
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    if not isinstance(issuer, str) or not issuer:
        raise _Rejected(Verdict.MALFORMED, "the credential does not say who issued it")
    return issuer


def _optional_datetime(credential: Mapping[str, Any], key: str) -> datetime | None:
    if key not in credential:
        return None
    try:
        return dataintegrity.parse_datetime(credential[key])
    except ValueError:
        raise _Rejected(Verdict.MALFORMED, f"{key} is not a valid date and time") from None


def _check_limits(credential: Any) -> None:
    """Refuse, before any expensive work, what no credential can be or what cannot be signed
    reliably (the walks are linear and need no recursion)."""
    try:
        limits.check_document(credential)
    except LimitExceeded as error:
        raise _Rejected(Verdict.TOO_COMPLEX, f"too complex to check: {error}", error.code) from None
    unstable = limits.find_unstable_character(credential)
    if unstable is not None:
        raise _Rejected(
            Verdict.MALFORMED,
            f"{unstable}, which canonicalization writes differently from one implementation "
            "to another, so no signature over it can be checked reliably",
            limits.UNSTABLE_CHARACTER,
        )


def _check_shape(credential: Any) -> None:
    if not isinstance(credential, Mapping):
        raise _Rejected(Verdict.MALFORMED, "this is not a JSON object")
    contexts = _as_list(credential.get("@context"))
    if not contexts or contexts[0] != CREDENTIALS_V2_CONTEXT:
        raise _Rejected(Verdict.MALFORMED, "this is not a Verifiable Credential (Data Model 2.0)")
    if "VerifiableCredential" not in _as_list(credential.get("type")):
        raise _Rejected(Verdict.MALFORMED, "this is not typed as a VerifiableCredential")
    if "proof" not in credential:
        raise _Rejected(Verdict.MALFORMED, "the credential is not signed")


def _check_signature(
    credential: Mapping[str, Any],
    issuer: str,
    resolve_did_document: Callable[[str], Mapping[str, Any] | None],
    loader: OfflineDocumentLoader | None,
    what: str,
) -> str:
    proof = credential.get("proof")
    method = proof.get("verificationMethod") if isinstance(proof, Mapping) else None
    # Without this check anyone could sign a credential naming our DID as
    # issuer with a key published under their own DID.
    if isinstance(method, str) and method.split("#", 1)[0] != issuer:
        raise _Rejected(
            Verdict.TAMPERED,
            f"{what} was signed with a key that does not belong to its issuer {issuer}",
        )
    try:
        did_document = resolve_did_document(issuer)
    except LookupError:
        did_document = None
    if did_document is None:
        raise _Rejected(
            Verdict.MALFORMED,
            f"the issuer {issuer} could not be looked up, so the signature on {what} cannot be checked",
        )
    result = dataintegrity.verify(credential, resolve_key=key_resolver(did_document), loader=loader)
    if not result.valid:
        reason = result.reason if what == "the credential" else f"{what}: {result.reason}"
        status = _PROOF_FAILURES.get(result.code, Verdict.MALFORMED)
        raise _Rejected(status, reason, result.limit)
    return result.verification_method or ""


def _check_status(
    credential: Mapping[str, Any],
    issuer: str,
    resolve_did_document: Callable[[str], Mapping[str, Any] | None],
    fetch_status_list: Callable[[str], Mapping[str, Any] | None],
    now: datetime,
    loader: OfflineDocumentLoader | None,
) -> None:
    if "credentialStatus" not in credential:
        return
    for raw_entry in _as_list(credential["credentialStatus"]):
        try:
            entry = parse_status_entry(raw_entry)
        except StatusListError as error:
            raise _Rejected(Verdict.MALFORMED, f"credentialStatus: {error}") from None
        try:
            status_list = fetch_status_list(entry.status_list_url)
        except LookupError:
            status_list = None
        if status_list is None:
            raise _Rejected(
                Verdict.MALFORMED,
                f"its status list {entry.status_list_url} could not be found, so revocation cannot be checked",
            )
        what = "the status list"
        try:
            _check_shape(status_list)
            if _issuer_id(status_list) != issuer:
                raise _Rejected(
                    Verdict.TAMPERED,
                    "the status list was issued by someone other than the credential's issuer",
                )
            _check_signature(status_list, issuer, resolve_did_document, loader, what)
            list_until = _optional_datetime(status_list, "validUntil")
        except _Rejected as rejected:
            reason = (
                rejected.reason
                if rejected.reason.startswith(what)
                else f"{what}: {rejected.reason}"
            )
            raise _Rejected(rejected.status, reason, rejected.limit) from None
        if list_until is not None and list_until < now:
            raise _Rejected(
                Verdict.MALFORMED, "the status list has expired, so revocation cannot be checked"
            )
        try:
            bit = read_status_bit(status_list, entry)
        except StatusListError as error:
            raise _Rejected(Verdict.MALFORMED, f"the status list: {error}") from None
        if bit:
            if entry.status_purpose == REVOCATION:
                raise _Rejected(Verdict.REVOKED, "the issuer has revoked this credential")
            raise _Rejected(
                Verdict.REVOKED, f"the issuer has marked this credential: {entry.status_purpose}"
            )


def verify_credential(
    credential: Mapping[str, Any],
    *,
    resolve_did_document: Callable[[str], Mapping[str, Any] | None],
    fetch_status_list: Callable[[str], Mapping[str, Any] | None],
    now: datetime,
    loader: OfflineDocumentLoader | None = None,
) -> CredentialCheck:
    """Verify a signed credential and return its :class:`Verdict` with a reason.

    ``resolve_did_document(did)`` returns the DID document for the issuer's DID;
    ``fetch_status_list(url)`` returns the (signed) status list credential at
    ``url``; ``now`` is a timezone-aware datetime.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    issuer: str | None = None
    method: str | None = None
    try:
        _check_limits(credential)
        _check_shape(credential)
        issuer = _issuer_id(credential)
        valid_from = _optional_datetime(credential, "validFrom")
        valid_until = _optional_datetime(credential, "validUntil")
        method = _check_signature(
            credential, issuer, resolve_did_document, loader, "the credential"
        )
        _check_status(credential, issuer, resolve_did_document, fetch_status_list, now, loader)
        if valid_until is not None and valid_until < now:
            raise _Rejected(
                Verdict.EXPIRED, f"the credential expired on {credential['validUntil']}"
            )
        if valid_from is not None and valid_from > now:
            raise _Rejected(
                Verdict.NOT_YET_VALID,
                f"the credential is valid only from {credential['validFrom']}",
            )
    except _Rejected as rejected:
        return CredentialCheck(rejected.status, rejected.reason, issuer, method, rejected.limit)
    return CredentialCheck(
        Verdict.VALID,
        "the signature matches the issuer's key and the credential is in force",
        issuer,
        method,
    )
