"""Related cases together, for the case list: by unit and cause, or by KPI and cause.

Pure: no Django. A case is anything with ``division`` (a unit with ``name``, or None for a trust-level case),
``kpi`` (with ``name``, or None) and ``get_trigger_display()`` (its cause, in words).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

GroupBy = Literal["division", "kpi"]
GROUPINGS: tuple[GroupBy, ...] = ("division", "kpi")


@dataclass(frozen=True)
class Cause:
    """Cases of one group with the same cause (the trigger that opened them)."""

    title: str
    cases: list[Any]


@dataclass(frozen=True)
class CaseGroup:
    title: str
    causes: list[Cause]

    @property
    def count(self) -> int:
        return sum(len(c.cases) for c in self.causes)


def group_cases(cases: Iterable[Any], *, by: GroupBy, trust: str, no_kpi: str = "No KPI") -> list[CaseGroup]:
    """The cases in groups, each split by cause.

    1. ``by="division"``: one group per division (``trust`` names the trust-level cases' group);
       ``by="kpi"``: one group per KPI, across divisions (``no_kpi`` names the cases raised about none).
    2. Within a group, one cause per trigger, its cases in the order given.
    3. Groups with the most cases come first, then by title; causes likewise, so the largest pile of
       related cases is at the top.
    """
    if by not in GROUPINGS:
        raise ValueError(f"group by one of {', '.join(GROUPINGS)}, not {by!r}")
    groups: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for case in cases:
        if by == "division":
            title = case.division.name if case.division is not None else trust
        else:
            title = case.kpi.name if case.kpi is not None else no_kpi
        groups[title][case.get_trigger_display()].append(case)

    def ordered(piles: dict[str, list[Any]]) -> list[tuple[str, list[Any]]]:
        return sorted(piles.items(), key=lambda item: (-len(item[1]), item[0]))

    result = [
        CaseGroup(title, [Cause(cause, members) for cause, members in ordered(causes)])
        for title, causes in groups.items()
    ]
    return sorted(result, key=lambda g: (-g.count, g.title))
