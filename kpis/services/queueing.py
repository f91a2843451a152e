"""Sending an upload's check to the workers: a file received, or a check asked for again.

The check itself is ``submission.validate_upload``, which the Celery task in ``kpis.tasks``
runs. This is the one service that imports the tasks, so the tasks module can import the
services it runs at the top without either importing the other inside a function.
"""

from __future__ import annotations

import logging

from django.db import transaction

from pmf.services.audit import Actor
from pmf.services.jobs import send_task

from ..models import Upload
from ..tasks import validate_upload_task
from .submission import (
    Received,
    failure_reference,
    receive_upload,
    record_check_failure,
    request_recheck,
    validate_upload,
)

logger = logging.getLogger(__name__)


def submit_upload(*, actor: Actor, content: bytes, name: str) -> Received:
    """Receive a file and queue its validation once the upload is committed."""
    with transaction.atomic():
        received = receive_upload(actor=actor, content=content, name=name)
        if received.created:
            upload_id = received.upload.pk
            transaction.on_commit(lambda: queue_check(upload_id=upload_id))
    return received


def recheck_upload(*, actor: Actor, upload: Upload, here: bool = False) -> Upload:
    """Check an upload again (``submission.can_recheck``): it goes back to "received" and its check
    is queued once that commits, or with ``here`` (the command line) run in this process."""
    with transaction.atomic():
        upload = request_recheck(actor=actor, upload=upload)
        upload_id = upload.pk
        if not here:
            transaction.on_commit(lambda: queue_check(upload_id=upload_id))
    return validate_upload(upload_id=upload_id) if here else upload


def queue_check(*, upload_id: int) -> None:
    """Send the upload's check to the workers; if they cannot be reached, mark it failed.

    It does not wait or retry (a page must not hang on the broker): the upload shows the
    failure and its reference, and "Check it again" or the same file sent again re-queues it.
    """
    if not send_task(validate_upload_task, upload_id):
        reference = failure_reference(upload_id)
        logger.error("Could not queue the check of upload %s (reference %s)", upload_id, reference)
        record_check_failure(upload_id=upload_id, reference=reference, stage="queue")
