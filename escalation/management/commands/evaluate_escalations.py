from django.core.management.base import BaseCommand, CommandError, CommandParser

from escalation.services.evaluation import evaluate_escalations
from kpis.selectors.published import latest_published_month
from pmf.formatting import format_month
from pmf.periods import parse_month


class Command(BaseCommand):
    help = (
        "Open, update and de-escalate escalation cases for a month (--month YYYY-MM; default the latest"
        " published month). Idempotent: running it twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="the month to evaluate, YYYY-MM")

    def handle(self, *args: object, month: str | None, **options: object) -> None:
        try:
            wanted = parse_month(month) if month else latest_published_month()
        except ValueError as error:
            raise CommandError(str(error)) from error
        if wanted is None:
            raise CommandError("There is no published data to evaluate.")
        run = evaluate_escalations(month=wanted)
        self.stdout.write(
            self.style.SUCCESS(
                f"{format_month(wanted)}: {run.series} KPI series evaluated; {run.opened} cases opened,"
                f" {run.updated} updated, {run.de_escalated} de-escalated, {run.unchanged} unchanged."
            )
        )
