"""Taking a credential elsewhere: LinkedIn's add-to-profile link, the Learner Credential Wallet's
deep link (and its QR code), and the one-use-a-day challenge that lets the wallet collect it.

LinkedIn documents these parameters for its "Add to profile" certification link: ``startTask``
(``CERTIFICATION_NAME``), ``name``, ``organizationId`` or ``organizationName``, ``issueYear``,
``issueMonth``, ``certUrl`` and ``certId``. The DCC wallet opens ``dccrequest://request?...``
with ``issuer``, ``auth_type=bearer``, ``challenge`` and ``vc_request_url``, then POSTs a DID
Auth presentation carrying the challenge to that URL and stores the credential it gets back.
"""

import datetime as dt
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.core import signing

from strategists.curriculum import issuing
from strategists.curriculum.models import Credential

LINKEDIN_ADD_URL = "https://www.linkedin.com/profile/add"
WALLET_SCHEME = "dccrequest://request"
WALLET_SALT = "curriculum.wallet"
# The link is shown to the holder on their own page; a day is long enough to reach a phone.
WALLET_CHALLENGE_MAX_AGE = 24 * 3600


def linkedin_url(credential: Credential) -> str:
    """The add-to-profile link with the credential's name, issuer, issue month, URL and id."""
    issued = credential.issued_at.astimezone(dt.UTC)
    params = {"startTask": "CERTIFICATION_NAME", "name": credential.achievement_name}
    if settings.LINKEDIN_ORGANIZATION_ID:
        params["organizationId"] = settings.LINKEDIN_ORGANIZATION_ID
    else:
        params["organizationName"] = issuing.ISSUER_NAME
    params |= {
        "issueYear": str(issued.year),
        "issueMonth": str(issued.month),
        "certUrl": issuing.credential_url(credential.pk),
        "certId": str(credential.pk),
    }
    return f"{LINKEDIN_ADD_URL}?{urlencode(params)}"


def wallet_request_url(credential: Credential) -> str:
    return f"{issuing.credential_url(credential.pk)}wallet/"


def wallet_challenge(credential: Credential) -> str:
    """A signed, dated token naming this credential: whoever holds it may collect it for a day."""
    return signing.TimestampSigner(salt=WALLET_SALT).sign(str(credential.pk))


def wallet_challenge_valid(credential: Credential, challenge: str) -> bool:
    try:
        value = signing.TimestampSigner(salt=WALLET_SALT).unsign(
            challenge, max_age=WALLET_CHALLENGE_MAX_AGE
        )
    except signing.BadSignature:
        return False
    return value == str(credential.pk)


def wallet_deep_link(credential: Credential) -> str:
    params = {
        "issuer": issuing.issuer_did(),
        "auth_type": "bearer",
        "challenge": wallet_challenge(credential),
        "vc_request_url": wallet_request_url(credential),
    }
    return f"{WALLET_SCHEME}?{urlencode(params)}"


def qr_svg(text: str) -> str:
    """An inline SVG QR code, drawn here (segno): nothing leaves the server to make it."""
    return segno.make(text, error="m").svg_inline(scale=4, dark="#000", light="#fff")
