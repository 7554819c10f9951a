"""`strategists api-token --email EMAIL`: print a new OSDI-API-Token for that person.

Tokens are stored hashed (SHA-256), so an existing one can't be shown again: every run creates
a new token and prints it, revoking the person's older tokens unless --keep-old is given."""

from django.core.management.base import BaseCommand, CommandError

from strategists.accounts.models import User
from strategists.api.services import api_token_create


class Command(BaseCommand):
    help = "Print a new API token (OSDI-API-Token header) for a person; older ones are revoked unless --keep-old."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The person's email address (any case).")
        parser.add_argument(
            "--keep-old", action="store_true", help="Keep the person's earlier tokens working."
        )

    def handle(self, *args, email, keep_old, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No person with the email address {email}.")
        if not user.is_active:
            raise CommandError(f"{email} is deactivated: their tokens wouldn't work.")
        _, raw = api_token_create(user=user, keep_old=keep_old)
        self.stdout.write(raw)
