"""`credentials_key`: create or rotate the key credentials are signed with, or list keys."""

from django.core.management.base import BaseCommand, CommandError

from strategists.curriculum import issuing, keys
from strategists.curriculum.models import SigningKey


class Command(BaseCommand):
    help = (
        "Manage the credential signing key: --create the first one, --rotate to a new one (old keys "
        "stay in the DID document, so what they signed keeps verifying), or list the published keys."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--create", action="store_true", help="create a key if there is none")
        action.add_argument("--rotate", action="store_true", help="create a new current key")
        action.add_argument(
            "--revoke",
            type=int,
            metavar="N",
            help="mark key N as compromised: everything it signed stops verifying",
        )

    def handle(self, *args, create=False, rotate=False, revoke=None, **options):
        try:
            if create:
                try:
                    existing = keys.current_key(create=False)
                except keys.SigningKeyError:
                    existing = None
                if existing is not None:
                    self.stdout.write(
                        f"A signing key already exists (key-{existing.number}); use --rotate for a new one."
                    )
                else:
                    key = keys.key_create()
                    self.stdout.write(
                        self.style.SUCCESS(f"Created key-{key.number} in {keys.keys_dir()}.")
                    )
            elif rotate:
                key = keys.key_create()
                self.stdout.write(
                    self.style.SUCCESS(
                        f"key-{key.number} now signs new credentials; older keys stay published."
                    )
                )
            elif revoke is not None:
                keys.key_revoke(number=revoke)
                self.stdout.write(
                    self.style.WARNING(
                        f"key-{revoke} is revoked: credentials it signed no longer verify."
                    )
                )
        except (keys.SigningKeyError, SigningKey.DoesNotExist) as error:
            raise CommandError(str(error)) from None
        if (create or rotate) and issuing.Credential.objects.exists():
            issuing.status_list_publish()  # re-signed with the new current key
        self.stdout.write(f"DID: {issuing.issuer_did()}")
        for key in SigningKey.objects.all():
            state = "revoked" if key.revoked_at else "retired" if key.retired_at else "current"
            self.stdout.write(f"  key-{key.number}  {state:<8} {key.public_key_multibase}")
