"""Existing plain tokens are hashed: links already mailed and feeds already subscribed keep
working, and the database no longer holds anything that opens them."""

import hashlib

from django.db import migrations


def hash_tokens(apps, schema_editor):
    Registration = apps.get_model("events", "Registration")
    RegistrationLink = apps.get_model("events", "RegistrationLink")
    CalendarFeed = apps.get_model("events", "CalendarFeed")
    links = [
        RegistrationLink(registration_id=pk, token_hash=hashlib.sha256(token.encode()).hexdigest(), created_at=created)
        for pk, token, created in Registration.objects.values_list("pk", "token", "created_at").iterator()
    ]
    RegistrationLink.objects.bulk_create(links, batch_size=500)
    for feed in CalendarFeed.objects.all().iterator():
        feed.token_hash = hashlib.sha256(feed.token.encode()).hexdigest()
        feed.save(update_fields=["token_hash"])


class Migration(migrations.Migration):
    dependencies = [("events", "0002_token_hashes")]

    # Going back cannot recover the plain tokens: links and feeds made before get new ones.
    operations = [migrations.RunPython(hash_tokens, migrations.RunPython.noop)]
