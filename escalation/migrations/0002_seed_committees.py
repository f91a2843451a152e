"""The five committees of the framework (DESIGN §3 Escalation). Existing rows are left as the trust set them."""

from django.db import migrations

# code, name, purpose, order, meets_weekday (Monday = 0), meets_week (-1 = last)
COMMITTEES = [
    (
        "fpec",
        "Finance, Performance and Estates Committee",
        "Receives cases with no agreed action plan in time, or a critical failure, via the Director of Finance.",
        1, 3, 3,
    ),
    (
        "executive-team",
        "Executive Team",
        "Decides on escalated cases (audit or special measures) and receives progress until they close;"
        " receives the contractual and CQUIN exception report.",
        2, 1, 1,
    ),
    (
        "trust-board",
        "Trust Board",
        "Is told of divisions in special measures and of cases under executive decision.",
        3, 3, -1,
    ),
    (
        "qsog",
        "Quality and Safety Oversight Group",
        "Oversees open cases on quality KPIs.",
        4, 2, 2,
    ),
    (
        "dqag",
        "Data Quality Assurance Group",
        "Receives data-quality issues unresolved at the weekly data-quality meeting.",
        5, 2, 4,
    ),
]


def seed(apps, schema_editor):
    Committee = apps.get_model("escalation", "Committee")
    for code, name, purpose, order, weekday, week in COMMITTEES:
        Committee.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "purpose": purpose,
                "order": order,
                "meets_weekday": weekday,
                "meets_week": week,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("escalation", "0001_create_cases_committees_and_dq_log")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
