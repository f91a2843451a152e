from django.core.management.base import BaseCommand, CommandParser

from demo.services import DEMO_USERS, demo_password, load_demo_trust


class Command(BaseCommand):
    help = "Load the demonstration trust (idempotent: running it again changes nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trust", choices=sorted(DEMO_USERS), default="rwd", help="rwd (default) or yas")

    def handle(self, *args: object, trust: str, **options: object) -> None:
        result = load_demo_trust(trust=trust)
        published = result.published
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.trust.name}: {result.units} units, {result.kpis} KPIs; measurements "
                f"{published.added} added, {published.restated} restated, {published.unchanged} unchanged; "
                f"roll-up {published.rollup.added} added, {published.rollup.unchanged} unchanged."
            )
        )
        self.stdout.write(f"{result.trust.name}: {result.national.summary()}.")
        users = ", ".join(u.username for u in DEMO_USERS[trust])
        self.stdout.write(f"Demo users: {users} (development-only password: {demo_password()})")
