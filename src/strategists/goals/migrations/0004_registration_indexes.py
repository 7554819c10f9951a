"""Indexes on events_registration for the goals pages, created from this app (the events app is
another team's): plain SQL that runs on SQLite and PostgreSQL alike.

- (event_id, status, checked_in_at): the no-show counts per training read the index alone.
- (person_id, event_id) where checked_in_at is set: "who attended a training of the year" (the
  pipeline, the constituency targets, organizations not reached, the forecast's inputs) reads a
  small partial index instead of every registration.
"""

from django.db import migrations

INDEXES = {
    "goals_registration_event_status_in": "events_registration (event_id, status, checked_in_at)",
    "goals_registration_attended": "events_registration (person_id, event_id) WHERE checked_in_at IS NOT NULL",
}


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0003_forecast_snapshot"),
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}", f"DROP INDEX IF EXISTS {name}")
        for name, definition in INDEXES.items()
    ]
