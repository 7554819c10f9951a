"""Recompute City.ascii_name with the project's one folding (common.text.fold), which also maps
typographic apostrophes: "‘Ewa Beach" is now stored as "'ewa beach", as a search folds it."""

from django.db import migrations


def refold(apps, schema_editor):
    from strategists.common.text import fold  # a pure function: safe to use in a migration

    City = apps.get_model("accounts", "City")
    changed = []
    for city in City.objects.only("id", "name", "ascii_name").iterator():
        folded = fold(city.name)
        if folded != city.ascii_name:
            city.ascii_name = folded
            changed.append(city)
    City.objects.bulk_update(changed, ["ascii_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_expertprofile_approved_areas_user_is_curator_and_more")]
    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
