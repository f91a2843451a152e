"""Rebuild ``fixtures/ods/nhs_trusts.csv``, the NHS trust reference ``start_trust`` reads."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from trust_setup.ods_build import Sources, build_rows, write_rows

REPO_ROOT = Path(__file__).resolve().parents[3]


class Command(BaseCommand):
    help = (
        "Rebuild fixtures/ods/nhs_trusts.csv from the published ODS trust list, the ICB names, the peer set, "
        "the NHS Staff Survey groups and the A&E files in --source. Deterministic: twice gives the same file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            type=Path,
            default=REPO_ROOT / ".." / "shared" / "data" / "nhs",
            help="folder of published NHS data files (default ../shared/data/nhs)",
        )
        parser.add_argument(
            "--out",
            type=Path,
            default=REPO_ROOT / "fixtures" / "ods" / "nhs_trusts.csv",
            help="file to write",
        )

    def handle(self, *args: object, source: Path, out: Path, **options: object) -> None:
        rows = build_rows(Sources(source.resolve()))
        write_rows(rows, out)
        self.stdout.write(self.style.SUCCESS(f"{len(rows)} NHS trusts written to {out}"))
