from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("events", "0003_hash_tokens")]

    operations = [
        migrations.RemoveField(model_name="registration", name="token"),
        migrations.RemoveField(model_name="calendarfeed", name="token"),
        migrations.AlterField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
    ]
