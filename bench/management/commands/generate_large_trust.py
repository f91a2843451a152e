from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from bench.large_trust import LargeTrustSpec, generate
from bench.loading import load_large_trust_structure


class Command(BaseCommand):
    help = (
        "Generate the benchmark 'large trust' (8 divisions, 60 services, 400 teams, 300 KPIs, 60 months), "
        "deterministic from --seed: writes its data files and loads its tree and catalogue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=LargeTrustSpec.seed)
        parser.add_argument("--months", type=int, default=LargeTrustSpec.months)
        parser.add_argument("--out", type=Path, default=Path("bench-results/large-trust"))
        parser.add_argument("--no-db", action="store_true", help="write the files only")

    def handle(
        self, *args: object, seed: int, months: int, out: Path, no_db: bool, **options: object
    ) -> None:
        trust = generate(LargeTrustSpec(seed=seed, months=months))
        out.mkdir(parents=True, exist_ok=True)
        trust.units.to_csv(out / "org_units.csv", index=False)
        trust.kpis.to_csv(out / "kpis.csv", index=False)
        trust.measurements.to_csv(out / "measurements.csv", index=False, float_format="%.6g")
        self.stdout.write(
            f"Wrote {len(trust.units)} units, {len(trust.kpis)} KPIs and {len(trust.measurements):,} "
            f"measurements to {out}/"
        )
        if not no_db:
            with transaction.atomic():
                load_large_trust_structure(trust)
            self.stdout.write(
                self.style.SUCCESS("Loaded the tree, the catalogue and targets (flagged synthetic).")
            )
