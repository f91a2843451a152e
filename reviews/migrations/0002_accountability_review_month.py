import datetime

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_create_ratings"),
    ]

    operations = [
        migrations.AddField(
            model_name="accountabilityreview",
            name="month",
            field=models.DateField(
                default=datetime.date(2000, 4, 1),
                help_text="The rating month put to the review (first of the month): the agreed position holds from it",
            ),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="accountabilityreview",
            constraint=models.CheckConstraint(
                condition=models.Q(("month__day", 1)), name="accountabilityreview_month_is_first"
            ),
        ),
    ]
