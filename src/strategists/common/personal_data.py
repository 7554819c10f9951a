"""Everything the platform holds about one person, for their export and their account deletion.

Each app describes its own part in `<app>/personal_data.py` by calling `register(...)` at import
time; this module finds those modules the first time it is asked (like the admin's autodiscover),
so `accounts` never imports `events`, `curriculum` or `referrals` to export or erase their data.

An exporter takes the person and returns plain JSON values. An eraser takes the person and
`keep_credentials` and erases or anonymises that app's data; erasers run inside the deletion's
transaction, in `order` (the accounts part, which replaces the address the others match on, last).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import autodiscover_modules

Exporter = Callable[[Any], Any]
Eraser = Callable[..., None]


@dataclass(frozen=True)
class Section:
    name: str
    exporter: Exporter | None
    eraser: Eraser | None
    order: int


_sections: dict[str, Section] = {}
_discovered = False


def register(
    section: str,
    *,
    exporter: Exporter | None = None,
    eraser: Eraser | None = None,
    order: int = 100,
) -> None:
    """Describe one part of a person's data. Registering a name again replaces it."""
    _sections[section] = Section(section, exporter, eraser, order)


def sections() -> list[Section]:
    global _discovered
    if not _discovered:
        autodiscover_modules("personal_data")
        _discovered = True
    return sorted(_sections.values(), key=lambda section: (section.order, section.name))


def export(person) -> dict:
    """{section: data} for every registered section."""
    return {section.name: section.exporter(person) for section in sections() if section.exporter}


def erase(person, *, keep_credentials: bool) -> list[str]:
    """Run every eraser; the names of the sections erased, in order."""
    done = []
    for section in sections():
        if section.eraser is not None:
            section.eraser(person, keep_credentials=keep_credentials)
            done.append(section.name)
    return done


def isoformat(value) -> str | None:
    return value.isoformat() if value is not None else None


# The platform's own records about the person: mail sent to them, changes they made -----------


def deleted_label(person) -> str:
    return f"deleted person #{person.pk}"


def _export_common(person) -> dict:
    from strategists.common.models import AuditEntry, OutgoingMail

    mail = OutgoingMail.objects.filter(to__iexact=person.email).order_by("created_at", "pk")
    entries = AuditEntry.objects.filter(actor=person).order_by("created_at", "pk")
    return {
        "mail_sent_to_you": [
            {
                "subject": m.subject,
                "kind": m.kind,
                "status": m.status,
                "queued": isoformat(m.created_at),
                "sent": isoformat(m.sent_at),
            }
            for m in mail
        ],
        "changes_you_made": [
            {
                "when": isoformat(e.created_at),
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "object": e.object_label,
            }
            for e in entries
        ],
    }


def _erase_common(person, *, keep_credentials: bool) -> None:
    """Mail to them (bodies hold their name and links) goes, queued mail included. The audit log
    keeps its entries, so the history of changes still reads, but no longer names them."""
    from django.db.models import Q, Value
    from django.db.models.functions import Replace

    from strategists.common.models import AuditEntry, OutgoingMail

    OutgoingMail.objects.filter(to__iexact=person.email).delete()
    label = deleted_label(person)
    AuditEntry.objects.filter(actor=person).update(actor_label=label)
    about = Q(object_type="accounts.user", object_id=str(person.pk))
    AuditEntry.objects.filter(about).update(object_label=label)
    # Labels of their registrations, role grants, evidence… start with or contain their name.
    # A name of one short word would match other people's labels, so only a full name counts.
    name = (person.name or "").strip()
    if (len(name) >= 5 and " " in name) or len(name) >= 8:
        AuditEntry.objects.filter(object_label__contains=name).update(
            object_label=Replace("object_label", Value(name), Value(label))
        )


register("platform", exporter=_export_common, eraser=_erase_common, order=900)
