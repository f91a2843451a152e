from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from strategy.services.reminders import send_priority_reminders


class Command(BaseCommand):
    help = (
        "E-mail each priority owner whose monthly update for the month just ended is missing (the daily job, "
        "by hand). Each priority and month is reminded once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="the day to run as, YYYY-MM-DD (default: today)")

    def handle(self, *args: object, today: str | None, **options: object) -> None:
        result = send_priority_reminders(today=date.fromisoformat(today) if today else None)
        self.stdout.write(self.style.SUCCESS(f"Sent {len(result.sent)} priority update reminders."))
        if result.no_address:
            self.stdout.write(f"No owner e-mail address for priorities: {result.no_address}")
