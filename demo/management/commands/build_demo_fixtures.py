"""Regenerate the demo trusts' data files in ``fixtures/`` from the published NHS statistics."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from demo.data import build_all

REPO_ROOT = Path(__file__).resolve().parents[3]


class Command(BaseCommand):
    help = (
        "Regenerate fixtures/rwd and fixtures/yas from the published NHS statistics in --source. "
        "Deterministic: running it twice gives identical files."
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
            default=REPO_ROOT / "fixtures",
            help="where to write rwd/ and yas/ (default fixtures/)",
        )

    def handle(self, *args: object, source: Path, out: Path, **options: object) -> None:
        for line in build_all(source.resolve(), out.resolve()):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Demo data files written to {out}"))
