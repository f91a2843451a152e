"""The publications PMF reads, each recognised by the columns it must have.

The most specific comes first: the tidy A&E history and the tidy RTT file share most of their columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from . import ae


@dataclass(frozen=True)
class PublishedFormat:
    name: str
    label: str
    publication: str
    columns: tuple[str, ...]
    read: Callable[[pd.DataFrame], pd.DataFrame]


FORMATS: tuple[PublishedFormat, ...] = (
    PublishedFormat(
        name="ae_official",
        label="official monthly A&E provider",
        publication=ae.OFFICIAL_PUBLICATION,
        columns=tuple(ae.OFFICIAL_COLUMNS),
        read=ae.read_official,
    ),
    PublishedFormat(
        name="ae_history",
        label="tidy A&E history",
        publication=ae.HISTORY_PUBLICATION,
        columns=tuple(ae.HISTORY_COLUMNS),
        read=ae.read_history,
    ),
)


def recognise(header: list[str]) -> PublishedFormat | None:
    """The first format whose columns are all in ``header``, or None."""
    present = set(header)
    return next((f for f in FORMATS if set(f.columns) <= present), None)
