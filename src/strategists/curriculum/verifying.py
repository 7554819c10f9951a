"""Checking a credential someone shows us: ours are checked against our own DID document and
status list, read from the database (no HTTP to ourselves); anyone else's is reported as such,
because we never fetch from the web.

Anyone may paste anything, so input larger or more complex than a credential can be is refused
before it is parsed or canonicalized (``vc.limits``), with the reason in the reader's language."""

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from strategists.curriculum import issuing
from strategists.curriculum.models import Credential
from strategists.curriculum.vc import limits
from strategists.curriculum.vc.openbadges import email_matches_identity
from strategists.curriculum.vc.verification import CredentialCheck, Verdict, verify_credential

OTHER_ISSUER = "other issuer"
LABELS = {
    Verdict.VALID: _("Valid"),
    Verdict.REVOKED: _("Revoked"),
    Verdict.EXPIRED: _("Expired"),
    Verdict.NOT_YET_VALID: _("Not yet valid"),
    Verdict.TAMPERED: _("Tampered"),
    Verdict.MALFORMED: _("Not a credential we can check"),
    Verdict.TOO_COMPLEX: _("Too complex to check"),
    OTHER_ISSUER: _("Issued by someone else"),
}
NOT_JSON = "not json"
# Why a credential was refused before checking, worded for the reader (see vc.limits).
REFUSALS = {
    NOT_JSON: _("this is not JSON"),
    limits.TOO_LARGE: _("it is larger than %(limit)s bytes, far larger than a credential"),
    limits.TOO_DEEP: _(
        "it is nested more than %(limit)s levels deep, far more than a credential needs"
    ),
    limits.TOO_MANY_VALUES: _(
        "it holds more than %(limit)s values, far more than a credential holds"
    ),
    limits.TOO_MANY_CONTEXTS: _(
        "it names more than %(limit)s JSON-LD contexts, more than a credential needs"
    ),
    limits.TOO_MANY_QUADS: _(
        "it makes more than %(limit)s statements, far more than a credential makes"
    ),
    limits.TOO_MANY_BLANK_NODES: _(
        "it has more than %(limit)s unnamed parts, far more than a credential has"
    ),
    limits.TOO_MUCH_WORK: _(
        "checking its signature would take far more work than any credential needs"
    ),
}
# The pure core (vc.verification, vc.dataintegrity) words its reasons in English; those that carry
# no detail of the document are worded here again for the reader. Any other reason (one that
# names a key, a URL or a parser's message) is shown as the core wrote it.
CORE_REASONS = {
    "the signature matches the issuer's key and the credential is in force": _(
        "the signature matches the issuer's key and the credential is in force"
    ),
    "the issuer has revoked this credential": _("the issuer has revoked this credential"),
    "signature does not match: the credential was changed after signing": _(
        "signature does not match: the credential was changed after signing"
    ),
    "the credential does not say who issued it": _("the credential does not say who issued it"),
    "this is not a JSON object": _("this is not a JSON object"),
    "this is not a Verifiable Credential (Data Model 2.0)": _(
        "this is not a Verifiable Credential (Data Model 2.0)"
    ),
    "this is not typed as a VerifiableCredential": _("this is not typed as a VerifiableCredential"),
    "the credential is not signed": _("the credential is not signed"),
    "the document has no proof": _("the document has no proof"),
    "the proof is not a JSON object": _("the proof is not a JSON object"),
    "the proof names no verification method": _("the proof names no verification method"),
    "the status list has expired, so revocation cannot be checked": _(
        "the status list has expired, so revocation cannot be checked"
    ),
    "the status list was issued by someone other than the credential's issuer": _(
        "the status list was issued by someone other than the credential's issuer"
    ),
}


def _reason(check: CredentialCheck, document: Any) -> str:
    """The core's reason in the reader's language where it can be (see CORE_REASONS)."""
    if check.reason in CORE_REASONS:
        return str(CORE_REASONS[check.reason])
    dates = {
        Verdict.EXPIRED: ("validUntil", _("the credential expired on %(date)s")),
        Verdict.NOT_YET_VALID: ("validFrom", _("the credential is valid only from %(date)s")),
    }
    if check.status in dates and isinstance(document, dict):
        key, wording = dates[check.status]
        return str(wording) % {"date": document.get(key)}
    return check.reason


@dataclass
class Outcome:
    status: str  # a Verdict value, or OTHER_ISSUER
    reason: str
    issuer: str | None = None
    credential: Credential | None = None
    document: Any = None
    holder_matches: bool | None = None
    refused: bool = False  # not checked at all: not JSON, or more than a credential can be

    @property
    def is_valid(self) -> bool:
        return self.status == Verdict.VALID

    @property
    def label(self) -> str:
        return LABELS.get(self.status, self.status)

    @property
    def css(self) -> str:
        return {
            Verdict.VALID: "ok",
            Verdict.EXPIRED: "warn",
            Verdict.NOT_YET_VALID: "warn",
            OTHER_ISSUER: "warn",
        }.get(self.status, "bad")

    @property
    def achievement(self) -> str:
        subject = (
            self.document.get("credentialSubject") if isinstance(self.document, dict) else None
        )
        achievement = subject.get("achievement") if isinstance(subject, dict) else None
        return achievement.get("name", "") if isinstance(achievement, dict) else ""


def _resolve_did_document(did: str) -> dict | None:
    return issuing.did_document() if did == issuing.issuer_did() else None


def _fetch_status_list(url: str) -> dict | None:
    prefix = f"{issuing.public_url()}/credentials/status/"
    if not url.startswith(prefix) or not url[len(prefix) :].isdigit():
        return None
    return issuing.status_list_document(int(url[len(prefix) :]))


def _our_record(document: Any) -> Credential | None:
    credential_id = document.get("id") if isinstance(document, dict) else None
    prefix = f"{issuing.public_url()}/credentials/"
    if not isinstance(credential_id, str) or not credential_id.startswith(prefix):
        return None
    try:
        pk = uuid.UUID(credential_id[len(prefix) :].strip("/"))
    except ValueError:
        return None
    return Credential.objects.select_related("person").filter(pk=pk).first()


def _holder_matches(document: Any, email: str) -> bool | None:
    if not email:
        return None
    subject = document.get("credentialSubject") if isinstance(document, dict) else None
    identifiers = subject.get("identifier", []) if isinstance(subject, dict) else []
    identifiers = identifiers if isinstance(identifiers, list) else [identifiers]
    return any(isinstance(i, dict) and email_matches_identity(email, i) for i in identifiers)


def _refused(code: str) -> Outcome:
    status = Verdict.MALFORMED if code == NOT_JSON else Verdict.TOO_COMPLEX
    return Outcome(str(status), REFUSALS[code] % {"limit": limits.BOUNDS.get(code)}, refused=True)


def _unstable_reason(unstable: limits.UnstableCharacter) -> str:
    return _(
        "%(where)s holds the character %(character)s, which canonical forms write differently "
        "from one program to another (or cannot write at all), so no signature over it can be "
        "checked reliably"
    ) % {"where": unstable.path or "/", "character": unstable.code_point}


def credential_verify(document: Any, *, email: str = "", now: dt.datetime | None = None) -> Outcome:
    """One verdict with its reason: valid, revoked, expired, not yet valid, tampered, malformed,
    too complex to check, or issued by someone else."""
    try:
        limits.check_document(document)
    except limits.LimitExceeded as error:
        return _refused(error.code)
    unstable = limits.find_unstable_character(document)
    if unstable is not None:
        return Outcome(str(Verdict.MALFORMED), _unstable_reason(unstable), document=document)
    check = verify_credential(
        document,
        resolve_did_document=_resolve_did_document,
        fetch_status_list=_fetch_status_list,
        now=now or timezone.now(),
    )
    if check.status == Verdict.TOO_COMPLEX:
        refused = _refused(check.limit or limits.TOO_MUCH_WORK)
        refused.issuer = check.issuer
        return refused
    ours = issuing.issuer_did()
    if check.issuer and check.issuer != ours and check.status == Verdict.MALFORMED:
        reason = _(
            "it was issued by %(issuer)s, not by %(us)s (%(did)s); we only check our own "
            "credentials and never fetch anything from the web"
        ) % {"issuer": check.issuer, "us": issuing.ISSUER_NAME, "did": ours}
        return Outcome(OTHER_ISSUER, reason, check.issuer, document=document)
    credential = _our_record(document) if check.issuer == ours else None
    return Outcome(
        str(check.status),
        _reason(check, document),
        check.issuer,
        credential,
        document,
        _holder_matches(document, email) if check.status != Verdict.MALFORMED else None,
    )


def credential_verify_text(
    text: str | bytes, *, email: str = "", now: dt.datetime | None = None
) -> Outcome:
    """The same, for text as pasted or uploaded: its size and nesting are measured before it is
    parsed."""
    try:
        limits.check_text(text)
    except limits.LimitExceeded as error:
        return _refused(error.code)
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return _refused(NOT_JSON)
    return credential_verify(document, email=email, now=now)
