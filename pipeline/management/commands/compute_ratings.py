from django.core.management.base import BaseCommand, CommandError, CommandParser

from pipeline.management.commands._report import report
from pipeline.services.runs import run_now
from pmf.formatting import format_month
from pmf.periods import parse_month
from reviews.selectors.ratings import published_months


class Command(BaseCommand):
    help = (
        "Rate every division from a month (--month YYYY-MM) onwards, continuing from the stored earlier"
        " months; without --month, every published month in order. Then what follows a rating run in the"
        " publish pipeline: schedules, escalations and the IPR content. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="the first month to rate, YYYY-MM")

    def handle(self, *args: object, month: str | None, **options: object) -> None:
        try:
            first = parse_month(month) if month else None
        except ValueError as error:
            raise CommandError(str(error)) from error
        if first and first not in published_months():
            raise CommandError(f"There is no published data for {format_month(first)}.")
        report(self, run_now(reason="compute_ratings command", start="ratings", first_month=first))
