from django.core.management.base import BaseCommand, CommandParser

from kpis.models import Kpi
from kpis.services.spc import refresh_spc


class Command(BaseCommand):
    help = "Recompute the stored SPC charts (all KPIs, or those named with --kpi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kpi", action="append", help="a KPI code; repeat for several")

    def handle(self, *args: object, kpi: list[str] | None, **options: object) -> None:
        ids = list(Kpi.objects.filter(code__in=kpi).values_list("pk", flat=True)) if kpi else None
        result = refresh_spc(kpi_ids=ids)
        self.stdout.write(self.style.SUCCESS(f"Charted {result.series} series ({result.points} points)."))
