"""The ask index keeps only what the candidate query reads: the resources' full-text table
(FTS5 on SQLite) and ``tsvector`` column with its GIN index (PostgreSQL), and the per-field stem
columns that fed them, go; nothing read them once postings existed (0003). The answered
questions' full-text structures stay: ``ask_index.question_candidates`` reads them.

Also: ``ResourceIndex.region`` becomes ``served`` (where the resource serves, not a census
region), and ``Routing.notify_at`` records when the expert hears of a question, so the experts'
daily cap is counted from the routing rows."""

from django.db import migrations, models


class VendorSQL(migrations.RunSQL):
    """RunSQL that only runs on one database vendor (as in 0002)."""

    def __init__(self, vendor, sql, reverse_sql):
        self.vendor = vendor
        super().__init__(sql, reverse_sql)

    def deconstruct(self):
        return self.__class__.__name__, [self.vendor, self.sql, self.reverse_sql], {}

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


# Backwards, the structures come back empty: `strategists rebuild_search_index` on the older code
# fills them again.
SQLITE = ["DROP TABLE IF EXISTS referrals_resource_fts"]
SQLITE_REVERSE = [
    "CREATE VIRTUAL TABLE referrals_resource_fts USING fts5("
    "name, tags, summary, description, skills, tokenize = 'unicode61 remove_diacritics 2')",
]
POSTGRES = [
    "DROP INDEX IF EXISTS referrals_resourceindex_search",
    "ALTER TABLE referrals_resourceindex DROP COLUMN IF EXISTS search_vector",
]
POSTGRES_REVERSE = [
    "ALTER TABLE referrals_resourceindex ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, name_terms || ' ' || tag_terms), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, summary_terms), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, description_terms), 'C') || "
    "setweight(to_tsvector('simple'::regconfig, skill_terms), 'D')) STORED",
    "CREATE INDEX referrals_resourceindex_search ON referrals_resourceindex USING GIN (search_vector)",
]


def notify_at_from_created(apps, schema_editor):
    """Routings made before this migration: the expert heard of them when they were made (a
    deferred mail's morning is not known any more; the cap is a courtesy, not a contract)."""
    Routing = apps.get_model("referrals", "Routing")
    Routing.objects.filter(notify_at__isnull=True).update(notify_at=models.F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("referrals", "0004_resource_changes"),
    ]

    operations = [
        # The generated column reads the stem columns: it goes first (and comes back last).
        VendorSQL("sqlite", SQLITE, SQLITE_REVERSE),
        VendorSQL("postgresql", POSTGRES, POSTGRES_REVERSE),
        migrations.RemoveField(model_name="resourceindex", name="name_terms"),
        migrations.RemoveField(model_name="resourceindex", name="tag_terms"),
        migrations.RemoveField(model_name="resourceindex", name="summary_terms"),
        migrations.RemoveField(model_name="resourceindex", name="description_terms"),
        migrations.RemoveField(model_name="resourceindex", name="skill_terms"),
        migrations.RenameField(model_name="resourceindex", old_name="region", new_name="served"),
        migrations.AlterField(
            model_name="question",
            name="text",
            field=models.TextField(max_length=500, verbose_name="your question"),
        ),
        migrations.AddField(
            model_name="routing",
            name="notify_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="routing",
            index=models.Index(fields=["expert", "notify_at"], name="referrals_routing_expert_day"),
        ),
        migrations.RunPython(notify_at_from_created, migrations.RunPython.noop),
    ]
