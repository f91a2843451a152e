"""How often a division at each rating position is reviewed: the trust's own table (DESIGN §4.5, §7).

Pure: no Django. The table lives on the trust's profile (``TrustProfile.review_frequencies``) as the JSON
``{"1": "6-monthly", "2": "quarterly", "3": "monthly", "4": "monthly"}``; the rating run reads it and passes
it to ``reviews.ratings.frequency_for``. Special measures and a severe position 4 are reviewed weekly
whatever the table says, and a month not rated monthly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal, get_args

# From least to most often. "bi-monthly" (every second month) is a trust's own choice: the YAS Performance
# Management Group meets bi-monthly. The table of §4.5 never gives it by default.
Frequency = Literal["6-monthly", "quarterly", "bi-monthly", "monthly", "weekly"]
FREQUENCIES: Final[tuple[Frequency, ...]] = get_args(Frequency)
POSITIONS: Final = (1, 2, 3, 4)
DEFAULT_BY_POSITION: Final[Mapping[int, Frequency]] = {
    1: "6-monthly",
    2: "quarterly",
    3: "monthly",
    4: "monthly",
}


def default_review_frequencies() -> dict[str, str]:
    """The table of DESIGN §4.5 as the profile stores it (position as text → frequency)."""
    return {str(position): frequency for position, frequency in DEFAULT_BY_POSITION.items()}


def review_frequency_problems(table: object) -> list[str]:
    """Why ``table`` is not a review-frequency table, one sentence each (none: it is one); see
    :func:`problems_by_position`."""
    return [reason for _, reason in problems_by_position(table)]


def problems_by_position(table: object) -> list[tuple[int | None, str]]:
    """Each problem of ``table`` with the position it is about (None for the table as a whole).

    1. It names each position 1 to 4 once, and nothing else.
    2. Each frequency is one PMF plans: 6-monthly, quarterly, bi-monthly, monthly or weekly.
    3. A worse position is reviewed at least as often as a better one, so that falling never earns a longer
       interval between reviews.
    """
    if not isinstance(table, Mapping):
        return [(None, "the review frequencies are a table of positions 1 to 4, each with its frequency")]
    problems: list[tuple[int | None, str]] = []
    chosen = {str(key): value for key, value in table.items()}
    for position in POSITIONS:
        value = chosen.get(str(position))
        if value is None:
            problems.append((position, f"position {position} has no review frequency"))
        elif value not in FREQUENCIES:
            problems.append(
                (
                    position,
                    f"position {position}: {value!r} is not a review frequency; use one of "
                    f"{', '.join(FREQUENCIES)}",
                )
            )
    if extra := sorted(set(chosen) - {str(p) for p in POSITIONS}):
        problems.append((None, f"{', '.join(extra)} is not a position: positions run from 1 to 4"))
    if problems:
        return problems
    for better, worse in zip(POSITIONS, POSITIONS[1:], strict=False):
        if FREQUENCIES.index(chosen[str(worse)]) < FREQUENCIES.index(chosen[str(better)]):
            problems.append(
                (
                    worse,
                    f"position {worse} would be reviewed {chosen[str(worse)]}, less often than position"
                    f" {better} ({chosen[str(better)]}): a worse position is reviewed at least as often as a"
                    " better one",
                )
            )
    return problems


def by_position(table: Mapping[str, str] | None) -> dict[int, Frequency]:
    """The stored table as ``frequency_for`` takes it (position → frequency). An empty or missing table is
    the table of §4.5; one that is not valid raises ``ValueError`` with its problems (the profile's
    validation, the page and the setup workbook keep such a table out)."""
    if not table:
        return dict(DEFAULT_BY_POSITION)
    if problems := review_frequency_problems(table):
        raise ValueError("; ".join(problems))
    return {int(key): _frequency(value) for key, value in table.items()}


def _frequency(value: str) -> Frequency:
    return next(frequency for frequency in FREQUENCIES if frequency == value)
