"""Unsigned Open Badges 3.0 ``EndorsementCredential``s: someone vouches for a credential.

OB 3.0 endorses any identified thing (an issuer, an achievement, a credential) with a
credential whose subject is an ``EndorsementSubject``: the endorsed thing's ``id`` and an
``endorsementComment``. The endorser would normally be the issuer, signing with their own key;
our endorsers (hosts and certified strategists) hold no keys, so the program's DID signs on
their behalf and the credential names them in its ``name`` and ``description`` (the OB context
defines no other place for a second party). Sign the result with :func:`dataintegrity.sign`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .dataintegrity import format_datetime
from .loader import OfflineDocumentLoader
from .openbadges import OPEN_BADGE_CONTEXT, OpenBadgeError, check_terms_defined

MAX_COMMENT = 2000


def build_endorsement_credential(
    *,
    credential_id: str,
    endorsed_id: str,
    issuer_did: str,
    issuer_name: str,
    issuer_url: str,
    endorser_name: str,
    endorser_role: str,
    comment: str,
    valid_from: datetime,
    credential_status: Mapping[str, Any] | None = None,
    loader: OfflineDocumentLoader | None = None,
) -> dict[str, Any]:
    """Build an unsigned EndorsementCredential of ``endorsed_id`` (the endorsed credential's URL)
    by ``endorser_name`` (``endorser_role`` says why they may: "host of Local 1001")."""
    comment = comment.strip()
    if not comment:
        raise OpenBadgeError("an endorsement needs a comment")
    if len(comment) > MAX_COMMENT:
        raise OpenBadgeError(f"an endorsement comment is at most {MAX_COMMENT} characters")
    if not endorser_name.strip():
        raise OpenBadgeError("an endorsement names its endorser")
    credential: dict[str, Any] = {
        "@context": list(OPEN_BADGE_CONTEXT),
        "id": credential_id,
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": f"Endorsement by {endorser_name.strip()}",
        "description": (
            f"{endorser_name.strip()} ({endorser_role.strip()}) endorses this credential; "
            f"{issuer_name} signs on their behalf."
        ),
        "issuer": {"id": issuer_did, "type": ["Profile"], "name": issuer_name, "url": issuer_url},
        "validFrom": format_datetime(valid_from),
        "credentialSubject": {
            "id": endorsed_id,
            "type": ["EndorsementSubject"],
            "endorsementComment": comment,
        },
    }
    if credential_status is not None:
        credential["credentialStatus"] = dict(credential_status)
    check_terms_defined(credential, loader=loader)
    return credential
