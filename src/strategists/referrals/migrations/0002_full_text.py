"""The full-text stage of search: FTS5 tables on SQLite, weighted tsvector columns with GIN
indexes on PostgreSQL. Both hold the core's stems written by referrals/ask_index.py (the resources' part
was dropped by 0005: nothing read it)."""

from django.db import migrations


class VendorSQL(migrations.RunSQL):
    """RunSQL that only runs on one database vendor."""

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


SQLITE = [
    "CREATE VIRTUAL TABLE referrals_resource_fts USING fts5("
    "name, tags, summary, description, skills, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE referrals_question_fts USING fts5(terms, tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_REVERSE = ["DROP TABLE referrals_resource_fts", "DROP TABLE referrals_question_fts"]

POSTGRES = [
    "ALTER TABLE referrals_resourceindex ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, name_terms || ' ' || tag_terms), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, summary_terms), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, description_terms), 'C') || "
    "setweight(to_tsvector('simple'::regconfig, skill_terms), 'D')) STORED",
    "CREATE INDEX referrals_resourceindex_search ON referrals_resourceindex USING GIN (search_vector)",
    "ALTER TABLE referrals_question ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, search_terms)) STORED",
    "CREATE INDEX referrals_question_search ON referrals_question USING GIN (search_vector)",
]
POSTGRES_REVERSE = [
    "ALTER TABLE referrals_question DROP COLUMN search_vector",
    "ALTER TABLE referrals_resourceindex DROP COLUMN search_vector",
]


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [
        VendorSQL("sqlite", SQLITE, SQLITE_REVERSE),
        VendorSQL("postgresql", POSTGRES, POSTGRES_REVERSE),
        migrations.RunSQL(
            "INSERT INTO referrals_searchstate (id, version, stats) VALUES (1, 0, '{}')",
            "DELETE FROM referrals_searchstate WHERE id = 1",
        ),
    ]
