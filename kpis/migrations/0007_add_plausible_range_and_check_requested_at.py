import django.utils.timezone
from django.db import migrations, models


def checks_requested_at_upload(apps, schema_editor):
    """An existing upload's check was last asked for when it was uploaded (a later re-check left no date)."""
    Upload = apps.get_model("kpis", "Upload")
    Upload.objects.update(check_requested_at=models.F("uploaded_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0006_add_failed_upload_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalkpi",
            name="plausible_max",
            field=models.FloatField(
                blank=True,
                help_text="Highest value an upload may give; empty: the unit's own (100 for a percentage)",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="historicalkpi",
            name="plausible_min",
            field=models.FloatField(
                blank=True,
                help_text="Lowest value an upload may give; empty: the unit's own (0 for a count)",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="kpi",
            name="plausible_max",
            field=models.FloatField(
                blank=True,
                help_text="Highest value an upload may give; empty: the unit's own (100 for a percentage)",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="kpi",
            name="plausible_min",
            field=models.FloatField(
                blank=True,
                help_text="Lowest value an upload may give; empty: the unit's own (0 for a count)",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="upload",
            name="check_requested_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                help_text="When the current check was asked for (at upload, or when it was asked for again)",
            ),
        ),
        migrations.AddConstraint(
            model_name="kpi",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("plausible_min__isnull", True),
                    ("plausible_max__isnull", True),
                    ("plausible_min__lte", models.F("plausible_max")),
                    _connector="OR",
                ),
                name="kpi_plausible_min_not_above_max",
            ),
        ),
        migrations.RunPython(checks_requested_at_upload, migrations.RunPython.noop),
    ]
