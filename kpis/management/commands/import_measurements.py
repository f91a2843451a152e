from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpis.services.queueing import recheck_upload
from kpis.services.submission import (
    SubmissionError,
    confirm_upload,
    publish_upload,
    receive_upload,
    validate_upload,
)
from pmf.models import User


class Command(BaseCommand):
    help = (
        "Submit a month's data file (CSV or .xlsx) as the upload page does: check it, write it as drafts, "
        "and with --publish make it the published data. A file with any error writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--publish", action="store_true", help="publish once confirmed")
        parser.add_argument(
            "--user", default="", help="the performance-team user to record (needed to publish)"
        )

    def handle(self, *args: object, file: Path, publish: bool, user: str, **options: object) -> None:
        actor = User.objects.filter(username=user).first() if user else None
        if user and actor is None:
            raise CommandError(f"No user named {user!r}.")
        if publish and actor is None:
            raise CommandError("Publishing records who published: give --user.")
        received = receive_upload(actor=actor, content=file.read_bytes(), name=file.name)
        self.stdout.write(received.message)
        upload = received.upload
        if received.created or upload.status in ("received", "validating"):
            upload = validate_upload(upload_id=upload.pk)
        elif upload.status == "invalid":  # the catalogue may have been put right since
            upload = recheck_upload(actor=actor, upload=upload, here=True)
        for problem in upload.errors + upload.warnings:
            where = f"row {problem['row']}" if problem["row"] else "file"
            column = f", {problem['column']}" if problem["column"] else ""
            value = f" ({problem['value']!r})" if problem["value"] else ""
            self.stdout.write(f"{problem['severity']}: {where}{column}{value}: {problem['reason']}")
        if upload.errors:
            raise CommandError(f"{len(upload.errors)} errors: nothing was written (upload {upload.pk}).")
        if upload.status == "failed":
            raise CommandError(
                f"The file could not be checked (reference {upload.failure_reference}, in the error log): "
                f"nothing was written (upload {upload.pk}). Run the command again to check it again."
            )
        try:
            if upload.status == "valid":
                result = confirm_upload(actor=actor, upload=upload)
                upload.refresh_from_db()
                self.stdout.write(
                    f"Confirmed upload {upload.pk}: {result.new} new, {result.restated} restated, "
                    f"{result.unchanged} unchanged."
                )
            if publish and upload.status == "confirmed":
                published = publish_upload(actor=actor, upload=upload)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Published {published.published} values ({published.restated} restatements); "
                        f"roll-up: {published.rollup.as_dict()}."
                    )
                )
        except SubmissionError as error:
            raise CommandError(str(error)) from error
