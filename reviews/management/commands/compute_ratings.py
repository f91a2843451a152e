from django.core.management.base import BaseCommand, CommandError, CommandParser

from pmf.periods import parse_month
from reviews.selectors import published_months
from reviews.services.ratings import compute_ratings, months_to_rate


class Command(BaseCommand):
    help = (
        "Rate every division for a month (--month YYYY-MM), continuing from the stored earlier months;"
        " without --month, every published month in order. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="the month to rate, YYYY-MM")

    def handle(self, *args: object, month: str | None, **options: object) -> None:
        try:
            months = [parse_month(month)] if month else months_to_rate()
        except ValueError as error:
            raise CommandError(str(error)) from error
        if month and months[0] not in published_months():
            raise CommandError(f"There is no published data for {months[0]:%B %Y}.")
        result = compute_ratings(months=months)
        self.stdout.write(
            self.style.SUCCESS(
                f"Rated {result.divisions} divisions over {result.months} months: {result.created} new,"
                f" {result.updated} changed, {result.unchanged} unchanged."
            )
        )
