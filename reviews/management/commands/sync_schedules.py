from django.core.management.base import BaseCommand

from reviews.services.meetings import sync_schedules


class Command(BaseCommand):
    help = "Plan each division's PRMs for this financial year from its latest review frequency. Idempotent."

    def handle(self, *args: object, **options: object) -> None:
        for change in sync_schedules():
            self.stdout.write(f"{change.division.name} ({change.frequency}): {change.explanation}")
        self.stdout.write(self.style.SUCCESS("Schedules are up to date."))
