"""Rows for PostgreSQL's ``COPY … FROM STDIN WITH (FORMAT binary)``, built in bulk with NumPy.

Nothing is formatted as text: each row is a field count, then each field's length and
its big-endian bytes (length -1 and no bytes for a NULL). Rows whose NULLs fall in the
same columns have the same layout, so each such group is one NumPy structured array,
written out in one step; the groups are then cut back into the rows' original order, so
the table receives the rows exactly as given.

Pure: NumPy only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
TRAILER = (-1).to_bytes(2, "big", signed=True)
POSTGRES_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_EPOCH_DAY = np.datetime64("2000-01-01", "D")
# The PostgreSQL types this module writes, as big-endian NumPy types.
FORMATS = {
    "int8": ">i8",
    "int4": ">i4",
    "int2": ">i2",
    "float8": ">f8",
    "bool": "?",
    "date": ">i4",
    "timestamptz": ">i8",
}


@dataclass(frozen=True)
class Field:
    """One column: an array with a value per row, or one value for every row.

    ``missing`` marks the rows where the column is NULL; a single value of None is NULL
    on every row. A ``date`` is a ``datetime64``, a ``timestamptz`` an aware
    ``datetime``; ``text`` is a single value, or an array of byte strings all of one length.
    """

    pg_type: str
    values: object
    missing: np.ndarray | None = None


def _days(values: np.ndarray) -> np.ndarray:
    return (values.astype("datetime64[D]") - _EPOCH_DAY).astype(np.int64)


def _microseconds(moment: datetime) -> int:
    return (moment - POSTGRES_EPOCH) // timedelta(microseconds=1)


def _prepared(field: Field) -> tuple[str, object]:
    """The NumPy type of the field's bytes and its values converted to it (array or scalar)."""
    if field.pg_type == "text" and isinstance(field.values, np.ndarray) and field.values.dtype.kind == "S":
        return field.values.dtype.str, field.values  # a value per row, every one of the same length in bytes
    if field.pg_type == "text":
        if not isinstance(field.values, str):
            raise TypeError("text columns are a single value, or an array of byte strings of one length")
        encoded = field.values.encode()
        return f"S{len(encoded)}", encoded
    kind = FORMATS[field.pg_type]
    values = field.values
    if field.pg_type == "timestamptz" and isinstance(values, datetime):
        return kind, _microseconds(values)
    if field.pg_type == "date" and isinstance(values, np.ndarray):
        return kind, _days(values)
    return kind, values


def _block(prepared: list[tuple[str, object]], null: set[int], chosen: np.ndarray) -> np.ndarray:
    """The rows ``chosen`` as one structured array, with the fields in ``null`` left NULL."""
    layout: list[tuple[str, str]] = [("count", ">i2")]
    for i, (kind, _) in enumerate(prepared):
        layout.append((f"length{i}", ">i4"))
        if i not in null:
            layout.append((f"value{i}", kind))
    block = np.empty(len(chosen), dtype=np.dtype(layout))
    block["count"] = len(prepared)
    for i, (kind, values) in enumerate(prepared):
        if i in null:
            block[f"length{i}"] = -1
        else:
            block[f"length{i}"] = np.dtype(kind).itemsize
            block[f"value{i}"] = values[chosen] if isinstance(values, np.ndarray) else values
    return block


def encode_rows(fields: Sequence[Field], *, rows: int) -> bytes:
    """The whole ``COPY`` stream (header, ``rows`` rows of ``fields``, trailer) as bytes."""
    if not rows:
        return HEADER + TRAILER
    prepared = [_prepared(f) for f in fields]
    # Which fields are NULL on each row, one bit per field that can be.
    nullable = [i for i, f in enumerate(fields) if f.missing is not None]
    pattern = np.zeros(rows, dtype=np.int64)
    for bit, i in enumerate(nullable):
        pattern |= np.asarray(fields[i].missing, dtype=np.int64) << bit
    always_null = {i for i, f in enumerate(fields) if f.missing is None and f.values is None}
    blocks: dict[int, memoryview] = {}
    widths: dict[int, int] = {}
    for code in np.unique(pattern).tolist():
        null = always_null | {i for bit, i in enumerate(nullable) if (code >> bit) & 1}
        block = _block(prepared, null, np.flatnonzero(pattern == code))
        blocks[code], widths[code] = memoryview(block.tobytes()), block.dtype.itemsize

    # Back to the rows' own order: each run of rows with one layout is the next slice of its block.
    starts = np.flatnonzero(np.r_[True, pattern[1:] != pattern[:-1]])
    ends = np.r_[starts[1:], rows]
    taken = dict.fromkeys(blocks, 0)
    parts: list[bytes | memoryview] = [HEADER]
    for start, end, code in zip(starts.tolist(), ends.tolist(), pattern[starts].tolist(), strict=True):
        count, width = end - start, widths[code]
        parts.append(blocks[code][taken[code] * width : (taken[code] + count) * width])
        taken[code] += count
    parts.append(TRAILER)
    return b"".join(parts)
