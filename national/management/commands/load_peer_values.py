"""``python manage.py load_peer_values --files DIR``: every organisation's published values, as peer data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from national.peers import is_publication, load_peer_values
from national.readers import NationalFile, PublishedFileError, read_published_file

SUFFIXES = {".csv", ".xlsx"}


class Command(BaseCommand):
    help = (
        "Keep every organisation's values from a folder of NHS England's published files as peer reference "
        "data. Files that are no publication PMF reads are listed and left; a publication that cannot be "
        "read refuses the whole load, and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--files", required=True, help="A folder of published files (CSV or .xlsx), or one"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["files"])
        if source.is_dir():
            paths = sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif source.is_file():
            paths = [source]
        else:
            raise CommandError(f"There is no file or folder {source}.")
        publications = [p for p in paths if is_publication(p)]
        for path in sorted(set(paths) - set(publications)):
            self.stdout.write(f"{path.name}: left, not a publication PMF reads")
        if not publications:
            raise CommandError(f"No published file PMF reads at {source}.")
        files: list[NationalFile] = []
        problems: list[str] = []
        for path in publications:
            try:
                files.append(read_published_file(path))
            except PublishedFileError as error:
                problems.extend(f"{path.name}: {problem}" for problem in error.problems)
        if problems:
            raise CommandError("Nothing was loaded:\n" + "\n".join(f"- {p}" for p in problems))
        with transaction.atomic():
            loads = [load_peer_values(national_file) for national_file in files]
        for load in loads:
            self.stdout.write(load.summary())
        total = sum(load.written for load in loads)
        self.stdout.write(self.style.SUCCESS(f"{total} peer values written from {len(loads)} files."))
