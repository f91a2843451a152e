"""NHS England's published files, read as published (pure: pandas, no Django).

``read_published_file(path)`` recognises the publication from the file's columns, never from its name, and
returns a ``NationalFile`` with every organisation's rows; a file it does not recognise, or one cut short,
is refused with a ``PublishedFileError`` that says why.
"""

from __future__ import annotations

from pathlib import Path

from .formats import FORMATS, PublishedFormat, recognise
from .rows import COLUMNS, SPLIT_COLUMNS, NationalFile, combined
from .table import PublishedFileError, read_table

__all__ = [
    "COLUMNS",
    "FORMATS",
    "SPLIT_COLUMNS",
    "NationalFile",
    "PublishedFileError",
    "PublishedFormat",
    "read_published_bytes",
    "read_published_file",
]


def read_published_bytes(content: bytes, *, name: str) -> NationalFile:
    """Read a published file's bytes (``name`` is recorded as its source file)."""
    table = read_table(content, is_header=lambda header: recognise(header) is not None)
    header = [c for c in table.cells.columns if c != "line"]
    published = recognise(header)
    assert published is not None  # read_table found this header by recognising it
    rows = combined([published.read(table.cells)])
    if rows.empty:
        raise PublishedFileError([f"The {published.label} file has no values for any organisation."])
    return NationalFile(
        format=published.name,
        publication=published.publication,
        published_on=None,
        source_file=name,
        rows=rows,
    )


def read_published_file(path: str | Path) -> NationalFile:
    """Read the published file at ``path``; see the module docstring."""
    path = Path(path)
    return read_published_bytes(path.read_bytes(), name=path.name)
