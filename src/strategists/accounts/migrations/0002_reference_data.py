from django.db import migrations


def load(apps, schema_editor):
    from strategists.accounts.reference import load_reference_data

    load_reference_data(
        apps.get_model("accounts", "Region"), apps.get_model("accounts", "Subdivision"),
        apps.get_model("accounts", "City"), apps.get_model("accounts", "SkillArea"),
        apps.get_model("accounts", "Language"),
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
