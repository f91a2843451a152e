from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0005_add_commentary_reminders"),
    ]

    operations = [
        migrations.AddField(
            model_name="upload",
            name="failure_reference",
            field=models.CharField(
                blank=True,
                help_text="When checking failed unexpectedly: the reference quoted in the error log",
                max_length=40,
            ),
        ),
        migrations.AlterField(
            model_name="upload",
            name="status",
            field=models.CharField(
                choices=[
                    ("received", "Received"),
                    ("validating", "Validating"),
                    ("failed", "Failed (could not be checked)"),
                    ("invalid", "Invalid"),
                    ("valid", "Valid"),
                    ("confirmed", "Confirmed (draft, not yet published)"),
                    ("published", "Published"),
                    ("superseded", "Superseded"),
                ],
                default="received",
                max_length=20,
            ),
        ),
    ]
