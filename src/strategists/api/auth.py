"""The OSDI-API-Token header, the way Action Network clients send it."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from strategists.api.services import api_token_user

HEADER = "OSDI-API-Token"
MAX_TOKEN_LENGTH = 200


class OSDITokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        raw = request.META.get("HTTP_OSDI_API_TOKEN")
        if raw is None:
            return None
        raw = raw.strip()
        user = api_token_user(raw) if 0 < len(raw) <= MAX_TOKEN_LENGTH else None
        if user is None:
            raise AuthenticationFailed(
                f"This {HEADER} is not valid: it was revoked, or never issued."
            )
        return user, None

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) with this challenge when the token is missing.
        return f'{HEADER} realm="1000 Strategists API"'


class OSDITokenScheme(OpenApiAuthenticationExtension):
    target_class = OSDITokenAuthentication
    name = "OSDIToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": HEADER,
            "description": "Print one with `strategists api-token --email EMAIL`.",
        }
