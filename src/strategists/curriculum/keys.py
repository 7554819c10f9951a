"""The platform's signing keys: private halves in files (or the environment), public halves in
the database, where the DID document reads them.

Key files live in ``settings.SIGNING_KEYS_DIR`` (default ``var/keys/``), one per key, named
``key-N.multibase`` and holding the multibase Ed25519 private key. The highest number is the
current key. ``STRATEGISTS_SIGNING_KEY`` (a multibase private key) overrides the files, for
deployments that keep secrets in the environment.
"""

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from strategists.curriculum.models import SigningKey
from strategists.curriculum.vc.multibase import (
    MultibaseError,
    decode_private_key_multibase,
    encode_private_key_multibase,
    encode_public_key_multibase,
)

logger = logging.getLogger(__name__)
ENVIRONMENT_VARIABLE = "STRATEGISTS_SIGNING_KEY"
KEY_FILE = re.compile(r"^key-(\d+)\.multibase$")


class SigningKeyError(RuntimeError):
    """The configured key cannot be used."""


@dataclass(frozen=True)
class CurrentKey:
    number: int
    private_key: Ed25519PrivateKey

    @property
    def private_multibase(self) -> str:
        return encode_private_key_multibase(self.private_key)


def keys_dir() -> Path:
    configured = getattr(settings, "SIGNING_KEYS_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "keys"


def _key_files() -> dict[int, Path]:
    directory = keys_dir()
    if not directory.is_dir():
        return {}
    files = {}
    for path in directory.iterdir():
        if match := KEY_FILE.match(path.name):
            files[int(match.group(1))] = path
    return files


def _read(path: Path) -> Ed25519PrivateKey:
    try:
        return decode_private_key_multibase(path.read_text().strip())
    except (OSError, MultibaseError) as error:
        raise SigningKeyError(f"cannot read the signing key {path}: {error}") from error


def _public(private_key: Ed25519PrivateKey) -> str:
    return encode_public_key_multibase(private_key.public_key())


def _write(number: int, private_key: Ed25519PrivateKey) -> Path:
    directory = keys_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"key-{number}.multibase"
    # Create with owner-only permissions from the start: the key is never world-readable.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(encode_private_key_multibase(private_key) + "\n")
    return path


def _publish(number: int, private_key: Ed25519PrivateKey) -> SigningKey:
    public = _public(private_key)
    known = SigningKey.objects.filter(public_key_multibase=public).first()
    if known is not None:
        return known
    if SigningKey.objects.filter(number=number).exists():
        raise SigningKeyError(
            f"key-{number} on disk does not match the key-{number} already published; "
            "credentials it signs would not verify"
        )
    return SigningKey.objects.create(number=number, public_key_multibase=public)


def _next_number() -> int:
    numbers = set(SigningKey.objects.values_list("number", flat=True)) | set(_key_files())
    return max(numbers, default=0) + 1


@transaction.atomic
def current_key(*, create: bool = True) -> CurrentKey:
    """The key to sign with now, published in the database so the DID document lists it.

    Without any key a new one is created (and a warning logged) unless ``create`` is False:
    the public halves of earlier keys stay published, so nothing already issued breaks.
    """
    if encoded := os.environ.get(ENVIRONMENT_VARIABLE, "").strip():
        try:
            private_key = decode_private_key_multibase(encoded)
        except MultibaseError as error:
            raise SigningKeyError(
                f"{ENVIRONMENT_VARIABLE} is not a multibase private key: {error}"
            ) from error
        published = SigningKey.objects.filter(public_key_multibase=_public(private_key)).first()
        if published is None:
            published = _publish(_next_number(), private_key)
        return CurrentKey(published.number, private_key)
    files = _key_files()
    if not files:
        if not create:
            raise SigningKeyError(
                f"no signing key in {keys_dir()}; run `strategists credentials-key --create`"
            )
        logger.warning("no signing key found: creating one in %s", keys_dir())
        return key_create()
    number = max(files)
    private_key = _read(files[number])
    published = _publish(number, private_key)
    if published.revoked_at is not None:
        raise SigningKeyError(f"key-{published.number} was revoked; rotate to a new key")
    return CurrentKey(published.number, private_key)


@transaction.atomic
def key_create() -> CurrentKey:
    """A new key, numbered after every key seen so far, that becomes the current one."""
    number = _next_number()
    private_key = Ed25519PrivateKey.generate()
    _write(number, private_key)
    now = timezone.now()
    SigningKey.objects.filter(retired_at__isnull=True).update(retired_at=now)
    _publish(number, private_key)
    return CurrentKey(number, private_key)


@transaction.atomic
def key_revoke(*, number: int) -> SigningKey:
    """Mark a leaked key: verifiers refuse everything it signed. Rotate first."""
    key = SigningKey.objects.select_for_update().get(number=number)
    key.revoked_at = key.revoked_at or timezone.now()
    key.retired_at = key.retired_at or key.revoked_at
    key.save()
    return key
