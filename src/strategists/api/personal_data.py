"""A person's API tokens (never the tokens themselves: only their first characters are kept).
On deletion every token goes."""

from strategists.api.models import ApiToken
from strategists.common.personal_data import isoformat, register


def _export(person) -> dict:
    return {
        "api_tokens": [
            {
                "prefix": token.prefix,
                "created": isoformat(token.created_at),
                "revoked": isoformat(token.revoked_at),
            }
            for token in ApiToken.objects.filter(user=person).order_by("created_at", "pk")
        ]
    }


def _erase(person, *, keep_credentials: bool) -> None:
    ApiToken.objects.filter(user=person).delete()


register("api", exporter=_export, eraser=_erase, order=40)
