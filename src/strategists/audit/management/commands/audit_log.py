"""`strategists audit-log [--since DATE] [--until DATE] [--action PREFIX] [--person EMAIL|ID]
[--object-type TYPE --object-id ID] [--csv]`: the audit log for operators, newest first.

With --csv it prints the same CSV as the coordinators' export (/audit/export.csv); without, one
readable line per entry."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from strategists.audit import display, export, selectors
from strategists.audit.forms import AuditFilterForm


class Command(BaseCommand):
    help = (
        "Print the audit log (newest first), filtered; --csv prints the coordinators' CSV export."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", default="", help="First day, YYYY-MM-DD (site time zone).")
        parser.add_argument("--until", default="", help="Last day, YYYY-MM-DD (site time zone).")
        parser.add_argument(
            "--action", default="", help="Actions starting with this, like role. or event.approved."
        )
        parser.add_argument("--person", default="", help="Who did it: email address or id.")
        parser.add_argument("--object-type", default="", help="Like events.event.")
        parser.add_argument("--object-id", default="", help="The object's id.")
        parser.add_argument(
            "--csv", action="store_true", help="Print CSV (the columns of /audit/export.csv)."
        )

    def handle(self, *args, **options):
        form = AuditFilterForm(
            {
                "since": options["since"],
                "until": options["until"],
                "action": options["action"],
                "person": options["person"],
                "object_type": options["object_type"],
                "object_id": options["object_id"],
            }
        )
        if not form.is_valid():
            raise CommandError(form.error_text())
        entries = selectors.audit_entries(**form.filters()).iterator(chunk_size=1000)
        if options["csv"]:
            for text in export.csv_lines(entries):
                self.stdout.write(text, ending="")
            return
        for entry in entries:
            self.stdout.write(line(entry))


def line(entry) -> str:
    """One entry on one line: when, who, action, object, then what changed and the details."""
    shown = display.present(entry)
    changes = [
        f"{c['field']}: {c['before']} -> {c['after']}"
        if c["had_before"]
        else f"{c['field']}: {c['after']}"
        for c in shown["changes"]
    ]
    details = [f"{d['field']}: {d['value']}" for d in shown["details"]]
    subject = (
        f"{entry.object_type}:{entry.object_id} {entry.object_label}" if entry.object_type else ""
    )
    when = timezone.localtime(entry.created_at).isoformat(timespec="seconds")
    parts = [
        when,
        entry.actor_label or "system",
        entry.action,
        subject,
        "; ".join(changes + details),
    ]
    return " ".join(part for part in parts if part)
