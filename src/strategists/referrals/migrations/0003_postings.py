"""Impact-ordered posting lists for the candidate query (see ResourcePosting), filled from the
index rows already stored."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    # Imported when the migration runs, not when the migration graph is loaded.
    from strategists.referrals.ask import CorpusStats
    from strategists.referrals.ask_index import postings_rebuild

    state = apps.get_model("referrals", "SearchState").objects.filter(pk=1).first()
    if state is not None and state.stats:
        postings_rebuild(CorpusStats.from_dict(state.stats))


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0002_full_text'),
    ]

    operations = [
        migrations.CreateModel(
            name='ResourcePosting',
            fields=[
                ('pk', models.CompositePrimaryKey('resource_id', 'term', blank=True, editable=False, primary_key=True, serialize=False)),
                ('term', models.TextField()),
                ('impact', models.FloatField()),
                ('resource', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='referrals.resource')),
            ],
            options={
                'indexes': [models.Index(fields=['term', '-impact', 'resource'], name='referrals_posting_impact')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
