from django.core.management.base import BaseCommand

from escalation.tasks import daily_escalation_check


class Command(BaseCommand):
    help = (
        "The daily check, by hand: overdue action plans go to FPEC, unresolved data-quality issues to the"
        " DQAG, and the latest published month is re-evaluated."
    )

    def handle(self, *args: object, **options: object) -> None:
        result = daily_escalation_check()
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['plans_overdue']} cases sent to FPEC for an overdue action plan;"
                f" {result['dq_escalated']} data-quality issues escalated to the DQAG."
            )
        )
