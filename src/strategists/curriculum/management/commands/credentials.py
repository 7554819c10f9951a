"""`credentials`: list the credentials issued so far, with holder, achievement and status."""

import json

from django.core.management.base import BaseCommand

from strategists.curriculum import selectors


class Command(BaseCommand):
    help = "List issued credentials: id, holder, achievement and status."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print JSON instead of a table"
        )
        parser.add_argument("--status", choices=["valid", "revoked"], default="")

    def handle(self, *args, as_json: bool = False, status: str = "", **options):
        rows = [
            {
                "id": str(credential.pk),
                "holder_email": credential.person.email,
                "achievement": credential.achievement_name,
                "status": "revoked" if credential.is_revoked else "valid",
            }
            for credential in selectors.credential_list(status=status)
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(
                f"{row['id']}  {row['status']:<8} {row['holder_email']:<36} {row['achievement']}"
            )
        self.stdout.write(f"{len(rows)} credential(s)")
