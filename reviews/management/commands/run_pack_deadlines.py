from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from reviews.services.packs import run_pack_deadlines


class Command(BaseCommand):
    help = (
        "The daily PRM pack job by hand: build due packs, circulate at −2 days, flag late ones. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="run as if today were this date, YYYY-MM-DD")

    def handle(self, *args: object, today: str | None, **options: object) -> None:
        result = run_pack_deadlines(today=date.fromisoformat(today) if today else None)
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {len(result.built)} packs, circulated {len(result.circulated)},"
                f" flagged {len(result.flagged_late)} late."
            )
        )
