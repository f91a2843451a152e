"""Keeping an upload's checked rows beside its raw file (see ``kpis/ingest/checked.py``).

The rows are kept from the check until the upload can no longer be confirmed: once it
is published or superseded they are deleted (the raw file itself is always kept).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction

from ..ingest.checked import rows_from_bytes, rows_to_bytes, sha256
from ..models import Upload

FOLDER = "uploads/checked"


def keep_checked_rows(*, upload: Upload, rows: pd.DataFrame, fingerprint: str) -> dict[str, str]:
    """Store the rows that passed; returns what the upload's summary records to find and trust them."""
    data = rows_to_bytes(rows)
    storage = upload.file.storage
    name = storage.save(f"{FOLDER}/{upload.sha256}-{fingerprint[:16]}.npz", ContentFile(data))
    return {"name": name, "sha256": sha256(data), "against": fingerprint}


def kept_checked_rows(*, upload: Upload, fingerprint: str) -> pd.DataFrame | None:
    """The stored rows if they were checked against ``fingerprint`` and are intact, else None."""
    kept = (upload.summary or {}).get("checked")
    if not isinstance(kept, dict) or kept.get("against") != fingerprint:
        return None
    storage = upload.file.storage
    if not storage.exists(kept["name"]):
        return None
    with storage.open(kept["name"], "rb") as handle:
        data = handle.read()
    if sha256(data) != kept.get("sha256"):
        return None
    return rows_from_bytes(data)


def discard_checked_rows(uploads: Iterable[Upload]) -> None:
    """Forget the kept rows of ``uploads`` (published or superseded): the reference goes with the
    surrounding transaction (the caller saves ``summary``), the file once it commits."""
    names: list[tuple[Storage, str]] = []
    for upload in uploads:
        kept = (upload.summary or {}).pop("checked", None)
        if isinstance(kept, dict) and kept.get("name"):
            names.append((upload.file.storage, str(kept["name"])))
    if names:
        transaction.on_commit(lambda: _delete(names))


def _delete(names: list[tuple[Storage, str]]) -> None:
    for storage, name in names:
        storage.delete(name)
