"""The machine-facing ends of sharing a credential: its badge image, for link previews, and the
endpoint the Learner Credential Wallet collects it from."""

import json

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from strategists.common import ratelimits
from strategists.curriculum import issuing, sharing
from strategists.curriculum.models import Credential
from strategists.curriculum.vc.badge import svg_from_data_uri
from strategists.curriculum.views import _credential

MAX_PRESENTATION_BYTES = 64 * 1024


def credential_badge(credential: Credential) -> str:
    """The image signed into the credential; one issued before images existed gets today's."""
    achievement = credential.document.get("credentialSubject", {}).get("achievement", {})
    image = achievement.get("image") if isinstance(achievement, dict) else None
    signed = svg_from_data_uri(image.get("id", "")) if isinstance(image, dict) else None
    if signed is not None:
        return signed
    if credential.competency is not None:
        return issuing.area_badge_svg(credential.competency)
    return issuing.certificate_badge_svg()


@require_safe
def badge(request, pk):
    response = HttpResponse(credential_badge(_credential(pk)), content_type="image/svg+xml")
    # Our own markup, but served as a document: nothing in it may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _challenge(request) -> str:
    """The wallet sends the challenge in its presentation's proof (DID Auth) or as a bearer token."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ").strip()
    try:
        presentation = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return ""
    proofs = presentation.get("proof") if isinstance(presentation, dict) else None
    for proof in proofs if isinstance(proofs, list) else [proofs]:
        if isinstance(proof, dict) and isinstance(proof.get("challenge"), str):
            return proof["challenge"]
    return ""


@csrf_exempt  # a wallet on a phone, with a bearer challenge instead of a session
@require_POST
def wallet_exchange(request, pk):
    """VC-API style exchange: a valid challenge for this credential gets the signed credential."""
    # The body is read (and its size checked) before anything parses it as a form.
    if len(request.body) > MAX_PRESENTATION_BYTES:
        return JsonResponse({"error": "the presentation is too large"}, status=400)
    ratelimits.check(request, "wallet", email="")
    credential = _credential(pk)
    challenge = _challenge(request)
    if not challenge:
        return JsonResponse(
            {"error": "send the challenge from the link, in the proof or as a bearer token"},
            status=400,
        )
    if not sharing.wallet_challenge_valid(credential, challenge):
        return JsonResponse(
            {"error": "this challenge is not valid for this credential, or has expired"},
            status=403,
        )
    response = JsonResponse(credential.document, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response
