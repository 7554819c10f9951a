import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="RegistrationLink",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("registration", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="links", to="events.registration")),
            ],
        ),
        migrations.AddField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="calendarfeed",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="made"),
        ),
    ]
