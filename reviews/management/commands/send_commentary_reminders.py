from django.core.management.base import BaseCommand, CommandParser

from pmf.periods import parse_month
from reviews.services.commentary_reminders import send_commentary_reminders


class Command(BaseCommand):
    help = (
        "E-mail each division's triumvirate about key KPIs off plan with no commentary (the daily job, by "
        "hand). Each KPI and month is reminded once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="the month, YYYY-MM (default: the latest published month)")

    def handle(self, *args: object, month: str | None, **options: object) -> None:
        result = send_commentary_reminders(month=parse_month(month) if month else None)
        self.stdout.write(self.style.SUCCESS(f"Sent {len(result.sent)} reminders for {result.month}."))
        if result.no_address:
            self.stdout.write(f"No triumvirate e-mail address for: {', '.join(result.no_address)}")
