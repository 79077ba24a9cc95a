from django.db import migrations, models


class Migration(migrations.Migration):
    """A juror who left a round after submitting reviews stays, inactive (juror_remove)."""

    dependencies = [
        ("judging", "0002_workflow"),
    ]

    operations = [
        migrations.AddField(
            model_name="juror",
            name="active",
            field=models.BooleanField(default=True, verbose_name="active"),
        ),
    ]
