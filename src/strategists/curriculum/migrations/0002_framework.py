from django.db import migrations


def load(apps, schema_editor):
    from strategists.curriculum.framework_data import load_framework

    load_framework(
        apps.get_model("curriculum", "Competency"), apps.get_model("curriculum", "CertificateRule"),
        apps.get_model("accounts", "SkillArea"),
    )


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0001_initial"), ("accounts", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
