"""Where texts go: a file per text under var/sms/ (the default, and the tests'), or a provider's
HTTP API (a Twilio-compatible form POST), chosen by STRATEGISTS_SMS_BACKEND."""

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsError(Exception):
    pass


class FileBackend:
    """Writes each text to a file, as Django's file mail backend does for mail."""

    def send(self, *, to: str, body: str, text_id: int) -> str:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%d-%H%M%S}-{text_id}.txt"
        (folder / name).write_text(f"To: {to}\nFrom: {settings.SMS_FROM}\n\n{body}\n")
        return name


class HttpBackend:
    """Posts To, From and Body as a form to STRATEGISTS_SMS_HTTP_URL with basic auth
    (STRATEGISTS_SMS_HTTP_USER and _PASSWORD): the shape Twilio's Messages resource takes."""

    def send(self, *, to: str, body: str, text_id: int) -> str:
        if not settings.SMS_HTTP_URL:
            raise SmsError("STRATEGISTS_SMS_HTTP_URL is not set")
        if urllib.parse.urlsplit(settings.SMS_HTTP_URL).scheme not in ("http", "https"):
            raise SmsError("STRATEGISTS_SMS_HTTP_URL must be an http(s) URL")
        data = urllib.parse.urlencode({"To": to, "From": settings.SMS_FROM, "Body": body})
        # The scheme is checked above: only http(s), never file: or a custom one.
        request = urllib.request.Request(  # noqa: S310
            settings.SMS_HTTP_URL, data=data.encode(), method="POST"
        )
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        if settings.SMS_HTTP_USER:
            secret = f"{settings.SMS_HTTP_USER}:{settings.SMS_HTTP_PASSWORD}".encode()
            request.add_header("Authorization", "Basic " + base64.b64encode(secret).decode())
        try:
            with urllib.request.urlopen(  # noqa: S310
                request, timeout=settings.SMS_HTTP_TIMEOUT
            ) as response:
                answer = response.read(65536)
        except urllib.error.HTTPError as exc:
            raise SmsError(f"provider answered {exc.code}") from exc
        try:
            return str(json.loads(answer).get("sid", ""))[:80]
        except (ValueError, AttributeError):
            return ""


def sms_backend():
    return import_string(settings.SMS_BACKEND)()
