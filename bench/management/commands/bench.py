from django.core.management.base import BaseCommand, CommandParser

from bench import Measure
from bench import ingest as ingest_bench
from bench import load as load_bench
from bench import month as month_bench
from bench import national as national_bench
from bench import packs as packs_bench
from bench import pages as pages_bench
from bench import rollup as rollup_bench
from bench import spc as spc_bench
from bench.large_trust import LargeTrustSpec, generate

PARTS = {
    "ingest": ingest_bench.run,
    "load": load_bench.run,
    "month": month_bench.run,
    "national": national_bench.run,
    "packs": packs_bench.run,
    "pages": pages_bench.run,
    "rollup": rollup_bench.run,
    "spc": spc_bench.run,
}


class Command(BaseCommand):
    help = "Run the benchmarks on the generated large trust; each prints a ratio against a same-run baseline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--part", choices=sorted(PARTS), action="append", help="run only these parts")
        parser.add_argument("--seed", type=int, default=LargeTrustSpec.seed)
        parser.add_argument("--quick", action="store_true", help="part load: 10 s a crowd, not 60 s")

    def handle(
        self, *args: object, part: list[str] | None, seed: int, quick: bool, **options: object
    ) -> None:
        self.stdout.write(
            "Generating the large trust: 8 divisions, 60 services, 400 teams, 300 KPIs, 60 months"
        )
        trust = generate(LargeTrustSpec(seed=seed))
        measures: list[Measure] = []
        for name in part or sorted(PARTS):
            measures += load_bench.run(trust, quick=quick) if name == "load" else PARTS[name](trust)
        for m in measures:
            self.stdout.write(
                f"[{m.part}] {m.what}: {m.seconds:.3f} s; baseline ({m.baseline}): "
                f"{m.baseline_seconds:.3f} s; ratio {m.ratio:.3f} — goal: {m.goal}"
            )
