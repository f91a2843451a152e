from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pmf.models import User
from trust_setup.workbook.files import UnreadableFile
from trust_setup.workbook.report import preview_lines
from trust_setup.workbook.service import apply_setup, preview, read_path, sha256_of


class Command(BaseCommand):
    help = (
        "Check a setup workbook (.xlsx) or folder of CSVs in full and print what it would add, change and "
        "retire, by sheet; with --apply, apply it all in one audited transaction. Nothing is written if "
        "there is any problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="setup.xlsx, or a folder of CSVs")
        parser.add_argument(
            "--apply", action="store_true", help="write the changes (otherwise: preview only)"
        )
        parser.add_argument(
            "--user", help="the username the changes are recorded under (default: the system)"
        )

    def handle(self, *args: object, file: Path, apply: bool, user: str | None, **options: object) -> None:
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user called {user}.")
        try:
            sheets, content = read_path(file)
        except (UnreadableFile, OSError) as error:
            raise CommandError(str(error)) from None
        if apply:
            plan = apply_setup(sheets, actor=actor, sha256=sha256_of(content), name=file.name)
        else:
            plan = preview(sheets)
        lines = preview_lines(plan.as_json(), applied=apply)
        if not plan.ok:
            raise CommandError("\n".join(lines))
        for line in lines:
            self.stdout.write(line)
