"""``python manage.py import_national --ods CODE --files DIR [--publish --user perf]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from national.importing import NationalImportError, import_national_files
from pmf.models import User

SUFFIXES = {".csv", ".xlsx"}


class Command(BaseCommand):
    help = (
        "Import NHS England's published files (A&E, RTT, cancer, DM01, AmbSYS) for this trust through the "
        "upload check; every problem is listed and nothing is written if there is one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ods", required=True, help="The trust's ODS code, e.g. RWD")
        parser.add_argument(
            "--files", required=True, help="A folder of published files (CSV or .xlsx), or one file"
        )
        parser.add_argument("--publish", action="store_true", help="Confirm and publish what passes")
        parser.add_argument("--user", default="", help="Who imports (needed to publish): a username")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["files"])
        paths = (
            sorted(p for p in source.iterdir() if p.suffix.lower() in SUFFIXES)
            if source.is_dir()
            else [source]
        )
        if not paths or not all(p.is_file() for p in paths):
            raise CommandError(f"No CSV or .xlsx files at {source}.")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"There is no user {options['user']!r}.")
        try:
            outcomes = import_national_files(
                actor=actor,
                ods=options["ods"],
                files=[(p.name, p.read_bytes()) for p in paths],
                publish=options["publish"],
            )
        except NationalImportError as error:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"- {m}" for m in error.messages)
            ) from error
        for outcome in outcomes:
            self.stdout.write(f"{outcome.source_file} ({outcome.publication}): {outcome.message}")
            if outcome.peers is not None:
                self.stdout.write(f"  peers: {outcome.peers.summary()}")
            for note in outcome.notes:
                self.stdout.write(f"  note: {note}")
