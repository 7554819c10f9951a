"""A default program year: it starts on the day of the earliest training (or today) and lasts a year."""

from django.conf import settings
from django.db import migrations

from strategists.goals.defaults import default_year_start, year_ending, year_name


def create_default_year(apps, schema_editor):
    ProgramYear = apps.get_model("goals", "ProgramYear")
    if ProgramYear.objects.exists():
        return
    start = default_year_start(apps.get_model("events", "Event"))
    end = year_ending(start)
    ProgramYear.objects.create(name=year_name(start, end), starts_on=start, ends_on=end,
                               target=getattr(settings, "PROGRAM_TARGET", 1000))


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0001_initial"),
        ("events", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_default_year, migrations.RunPython.noop)]
