"""How a delivery is signed, and how a receiver checks it; pure Python, so receivers may copy it.

The header is `X-Strategists-Signature: t=<unix seconds>,v1=<hex>`, where the hex is
HMAC-SHA256, keyed with the endpoint's secret, of `<t>.` followed by the exact body bytes (as
Stripe signs). The timestamp is inside the signature, so an old delivery replayed later fails
the tolerance check.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Strategists-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify_signature(
    secret: str, header: str, body: bytes, tolerance: int = 300, now: float | None = None
) -> bool:
    """True when `header` signs `body` with `secret` and its timestamp is within `tolerance`
    seconds of `now`. Several `v1=` values are accepted (one per secret, while rotating)."""
    timestamp = None
    candidates = []
    for part in (header or "").split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1" and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)
