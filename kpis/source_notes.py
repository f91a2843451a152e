"""The notes a national import records on an upload (``Upload.source_notes``), read back for data notes.

Pure: no Django. The import (``national.placing``) writes its notes with the phrases below, and the data
notes of the IPR and the KPI page pick out, with the same phrases, the ones saying that the official monthly
A&E file was used where the tidy A&E history gave the same months (DESIGN §8: where two sources disagree,
the official file wins).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

# The two notes the import writes when the official file wins: one for the months it gives, and one for
# each figure where the history differed.
OFFICIAL_FILE_WINS: Final = "where two sources disagree the official file wins"
OFFICIAL_FIGURE_USED: Final = "the official figure is used"
# A note about one KPI starts with its national code and a month: "AE_4HR_ALL 2025-02: …".
_ONE_KPI = re.compile(r"^(?P<code>[A-Z0-9_]+) \d{4}-\d{2}:")


def official_file_won(notes: Iterable[str]) -> list[str]:
    """The notes saying the official A&E file was used over the tidy history, in the order recorded."""
    return [n for n in notes if OFFICIAL_FILE_WINS in n or OFFICIAL_FIGURE_USED in n]


def notes_about(notes: Iterable[str], national_code: str) -> list[str]:
    """The notes that concern a KPI with ``national_code``: those naming it, and those naming no KPI."""
    kept = []
    for note in notes:
        one = _ONE_KPI.match(note)
        if one is None or one["code"] == national_code:
            kept.append(note)
    return kept
