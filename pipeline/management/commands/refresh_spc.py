from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpis.models import Kpi
from pipeline.management.commands._report import report
from pipeline.services.runs import run_now


class Command(BaseCommand):
    help = (
        "Recompute the stored SPC charts (all KPIs, or those named with --kpi), then what reads them: "
        "ratings, schedules, escalations and the IPR content (the publish pipeline from its first step)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kpi", action="append", help="a KPI code; repeat for several")

    def handle(self, *args: object, kpi: list[str] | None, **options: object) -> None:
        ids = None
        if kpi:
            found = dict(Kpi.objects.filter(code__in=kpi).values_list("code", "pk"))
            if missing := sorted(set(kpi) - set(found)):
                raise CommandError(f"No KPI with the code {', '.join(missing)}.")
            ids = sorted(found.values())
        report(self, run_now(reason="refresh_spc command", kpi_ids=ids))
