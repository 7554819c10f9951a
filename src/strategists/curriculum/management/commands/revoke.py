"""`revoke`: withdraw an issued credential by setting its bit in the public status list."""

import uuid

from django.core.management.base import BaseCommand, CommandError

from strategists.curriculum import services
from strategists.curriculum.models import Credential


class Command(BaseCommand):
    help = "Revoke an issued credential: its bit is set in the public status list."

    def add_arguments(self, parser):
        parser.add_argument("credential_id", help="the credential's id (a UUID, or its URL)")
        parser.add_argument(
            "--reason", required=True, help="why it is revoked (shown to the holder)"
        )

    def handle(self, *args, credential_id: str, reason: str, **options):
        try:
            pk = uuid.UUID(credential_id.rstrip("/").rsplit("/", 1)[-1].removesuffix(".json"))
        except ValueError:
            raise CommandError(f"{credential_id!r} is not a credential id") from None
        credential = Credential.objects.filter(pk=pk).first()
        if credential is None:
            raise CommandError(f"no credential {pk}")
        if not reason.strip():
            raise CommandError("give a reason with --reason")
        if credential.is_revoked:
            self.stdout.write(f"{pk} was already revoked on {credential.revoked_at:%Y-%m-%d}.")
            return
        services.credential_revoke(credential=credential, by=None, reason=reason)
        self.stdout.write(
            self.style.SUCCESS(
                f"Revoked {pk} ({credential.achievement_name}, {credential.person.email})."
            )
        )
