"""The publications PMF reads, each recognised by the columns it must have.

The most specific comes first: the cancer provider extract has every column of the provider summary and
more, and DM01 by test every column of the provider sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from . import ae, ambulance, waiting


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
    PublishedFormat(
        name="rtt",
        label="RTT incomplete pathways",
        publication=waiting.RTT_PUBLICATION,
        columns=tuple(waiting.RTT_COLUMNS),
        read=waiting.read_rtt,
    ),
    PublishedFormat(
        name="cwt_extract",
        label="cancer waiting times provider extract",
        publication=waiting.CWT_PUBLICATION,
        columns=tuple(waiting.CWT_EXTRACT_COLUMNS),
        read=waiting.read_cwt_extract,
    ),
    PublishedFormat(
        name="cwt_summary",
        label="cancer waiting times provider summary",
        publication=waiting.CWT_PUBLICATION,
        columns=tuple(waiting.CWT_SUMMARY_COLUMNS),
        read=waiting.read_cwt_summary,
    ),
    PublishedFormat(
        name="cwt_by_cancer_type",
        label="cancer waiting times by cancer type",
        publication=waiting.CWT_PUBLICATION,
        columns=tuple(waiting.CWT_TYPE_COLUMNS),
        read=waiting.read_cwt_by_type,
    ),
    PublishedFormat(
        name="dm01_by_test",
        label="DM01 provider by test",
        publication=waiting.DM01_PUBLICATION,
        columns=tuple(waiting.DM01_TEST_COLUMNS),
        read=waiting.read_dm01_by_test,
    ),
    PublishedFormat(
        name="dm01",
        label="DM01 provider",
        publication=waiting.DM01_PUBLICATION,
        columns=tuple(waiting.DM01_COLUMNS),
        read=waiting.read_dm01,
    ),
    PublishedFormat(
        name="ambsys",
        label="AmbSYS",
        publication=ambulance.PUBLICATION,
        columns=tuple(ambulance.COLUMNS),
        read=ambulance.read_ambsys,
    ),
)


def recognise(header: list[str]) -> PublishedFormat | None:
    """The first format whose columns are all in ``header``, or None."""
    present = set(header)
    return next((f for f in FORMATS if set(f.columns) <= present), None)
