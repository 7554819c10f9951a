"""A person's API tokens (never the tokens themselves: only their first characters are kept) and
the tags put on them. On deletion every token and tagging goes."""

from strategists.api.models import ApiToken, Tagging
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
        ],
        "tags": [
            {"tag": tagging.tag.name, "added": isoformat(tagging.created_at)}
            for tagging in Tagging.objects.filter(person=person).select_related("tag")
        ],
    }


def _erase(person, *, keep_credentials: bool) -> None:
    ApiToken.objects.filter(user=person).delete()
    Tagging.objects.filter(person=person).delete()


register("api", exporter=_export, eraser=_erase, order=40)
