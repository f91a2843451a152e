"""NHS England's published files, read as published (pure: pandas, no Django).

``read_published_file(path)`` recognises the publication from the file's columns, never from its name, and
returns a ``NationalFile`` with every organisation's rows; a file it does not recognise, or one cut short,
is refused with a ``PublishedFileError`` that says why.
"""

from __future__ import annotations

import re
from datetime import date
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
    "published_on_in",
    "read_published_bytes",
    "read_published_file",
]


# A publication date in a file's name: 2025-09-11, 2025_09_11 or 2025.09.11 (year, month, day), e.g. a file
# the performance team saved as ``AmbSYS-published-2025-09-11.csv``.
PUBLISHED_ON = re.compile(r"(?<!\d)(20\d\d)[-_.](0[1-9]|1[0-2])[-_.](0[1-9]|[12]\d|3[01])(?!\d)")


def published_on_in(name: str) -> date | None:
    """The publication date a file's name gives, or None: none of the formats PMF reads says it inside the
    file, and a name such as ``Monthly-AE-April-2025.csv`` names the month of the data, not the day it was
    published, so it gives none."""
    found = PUBLISHED_ON.search(name)
    if found is None:
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:  # 2025-02-30
        return None


def read_published_bytes(content: bytes, *, name: str) -> NationalFile:
    """Read a published file's bytes (``name`` is recorded as its source file, and gives the publication
    date where it carries one: ``published_on_in``)."""
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
        published_on=published_on_in(name),
        source_file=name,
        rows=rows,
    )


def read_published_file(path: str | Path) -> NationalFile:
    """Read the published file at ``path``; see the module docstring."""
    path = Path(path)
    return read_published_bytes(path.read_bytes(), name=path.name)
