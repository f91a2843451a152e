from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("escalation", "0002_seed_committees")]

    operations = [
        migrations.AddField(
            model_name="escalationcase",
            name="reference",
            field=models.SlugField(
                default="",
                help_text="Unit, KPI and opening month, e.g. RWD-MED-AE-4H-2025-07",
                max_length=120,
                unique=True,
            ),
            preserve_default=False,
        ),
    ]
