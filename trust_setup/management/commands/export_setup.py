from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from trust_setup.workbook.service import export_csv_folder, export_xlsx


class Command(BaseCommand):
    help = (
        "Write the trust's setup (organisation, catalogue, plans, review settings, people) to FILE: an Excel "
        "workbook if it ends in .xlsx, otherwise a folder of CSVs, one per sheet. Add --template for the "
        "empty workbook."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="setup.xlsx, or a folder for the CSVs")
        parser.add_argument("--template", action="store_true", help="the sheets and columns with no rows")

    def handle(self, *args: object, file: Path, template: bool, **options: object) -> None:
        if file.suffix.lower() == ".xlsx":
            file.write_bytes(export_xlsx(empty=template))
            self.stdout.write(self.style.SUCCESS(f"Wrote {file}"))
            return
        paths = export_csv_folder(file, empty=template)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(paths)} CSV files to {file}"))
