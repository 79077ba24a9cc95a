"""The languages people can choose and a curated starter list of skills (idempotent)."""

from django.db import migrations


def seed(apps, schema_editor):
    from participants.catalogue import catalogue_ensure

    catalogue_ensure(
        language_model=apps.get_model("participants", "Language"),
        skill_model=apps.get_model("participants", "Skill"),
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
