"""An entry as a coordinator reads it: what changed, from what to what, and the other details."""

from django.utils.translation import gettext as _

from strategists.audit.export import split_data
from strategists.common.models import AuditEntry


def readable(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(readable(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{label(key)}: {readable(item)}" for key, item in value.items())
    return str(value)


def label(name) -> str:
    return str(name).replace("_", " ")


def present(entry: AuditEntry) -> dict:
    before, after, details = split_data(entry)
    before = before if isinstance(before, dict) else ({} if before is None else {"value": before})
    after = after if isinstance(after, dict) else ({} if after is None else {"value": after})
    changes = [
        {
            "field": label(name),
            "had_before": name in before,
            "before": readable(before.get(name)),
            "after": readable(after.get(name)),
        }
        for name in dict.fromkeys([*after, *before])
    ]
    return {
        "entry": entry,
        "changes": changes,
        "details": [
            {"field": label(key), "value": readable(value)} for key, value in details.items()
        ],
    }
