"""Checked rows kept between the preview and the confirmation, so a file is read only once.

Whether a row passes its checks depends only on the file's bytes and on the catalogue,
organisation and suites (``Lookups``); a month never becomes "in the future" later. So
the rows that passed, stored with a fingerprint of the lookups they were checked
against, are as good as a fresh check for as long as the fingerprint still matches.

The rows are stored as plain numeric arrays (NumPy's ``.npz``, read without pickle),
with a SHA-256 of the stored bytes so a damaged or replaced file is never trusted.
"""

from __future__ import annotations

import hashlib
import io

import numpy as np
import pandas as pd

from .validate import CLEAN_COLUMNS, Lookups

INTEGER_COLUMNS = ("row", "kpi_id", "org_unit_id")
FLOAT_COLUMNS = ("numerator", "denominator", "value")


def lookups_fingerprint(lookups: Lookups) -> str:
    """A SHA-256 over everything the row checks read from the database."""
    digest = hashlib.sha256()
    for frame in (lookups.kpis, lookups.units, lookups.suites):
        ordered = frame.sort_values(list(frame.columns)).reset_index(drop=True).astype(str)
        digest.update("|".join(ordered.columns).encode())
        digest.update(pd.util.hash_pandas_object(ordered, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def rows_to_bytes(rows: pd.DataFrame) -> bytes:
    """The checked rows (``CLEAN_COLUMNS``) as an uncompressed ``.npz`` of plain arrays."""
    arrays = {c: rows[c].to_numpy(dtype="int64") for c in INTEGER_COLUMNS}
    arrays |= {c: rows[c].to_numpy(dtype="float64", na_value=np.nan) for c in FLOAT_COLUMNS}
    arrays["month"] = pd.to_datetime(rows["month"]).to_numpy(dtype="datetime64[ns]")
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **arrays)
    return buffer.getvalue()


def rows_from_bytes(data: bytes) -> pd.DataFrame:
    """The rows ``rows_to_bytes`` stored; refuses anything that would need pickle to read."""
    with np.load(io.BytesIO(data), allow_pickle=False) as stored:
        frame = pd.DataFrame({c: stored[c] for c in CLEAN_COLUMNS})
    return frame


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
