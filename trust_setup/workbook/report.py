"""The preview in words, for the command line: counts by sheet, each change, and every problem."""

from __future__ import annotations

from typing import Any

# Changes listed per sheet; the counts always cover them all.
LISTED = 50


def preview_lines(preview: dict[str, Any], *, applied: bool) -> list[str]:
    """``Plan.as_json()`` as lines of text."""
    if preview["problems"]:
        lines = [f"{len(preview['problems'])} problem(s); nothing was written:"]
        for p in preview["problems"]:
            where = ", ".join(
                part
                for part in (
                    f"sheet {p['sheet']}",
                    f"row {p['row']}" if p["row"] is not None else "",
                    f"column {p['column']}" if p["column"] else "",
                )
                if part
            )
            lines.append(f"  {where}: {p['reason']}")
        return lines
    lines = [f"{'sheet':<22}{'added':>7}{'changed':>9}{'retired':>9}{'unchanged':>11}{'kept':>6}"]
    for sheet in preview["sheets"]:
        lines.append(
            f"{sheet['name']:<22}{sheet['added']:>7}{sheet['changed']:>9}{sheet['retired']:>9}"
            f"{sheet['unchanged']:>11}{sheet['kept']:>6}"
        )
    for sheet in preview["sheets"]:
        for change in sheet["changes"][:LISTED]:
            lines.append(f"  {sheet['name']}: {change_text(change)}")
        if len(sheet["changes"]) > LISTED:
            lines.append(f"  {sheet['name']}: … and {len(sheet['changes']) - LISTED} more")
    lines.append(
        "Units and KPIs missing from the file are retired (active_to set), never deleted; rows missing from "
        "the other sheets are kept as they are."
    )
    totals = preview["totals"]
    if not any(totals.values()):
        lines.append("Nothing to change: the setup already matches the workbook.")
    elif applied:
        lines.append(
            f"Applied: {totals['added']} added, {totals['changed']} changed, {totals['retired']} retired."
        )
    else:
        lines.append("Nothing was written. Run again with --apply to apply these changes.")
    return lines


def change_text(change: dict[str, Any]) -> str:
    """``changed RWD-SUR (row 3): name Surgery → Surgical``."""
    where = f" (row {change['row']})" if change["row"] else " (not in the file)"
    if change["kind"] == "added":
        return f"added {change['key']}{where}"
    cells = "; ".join(
        f"{c['column']} {c['before'] or '(blank)'} → {c['after'] or '(blank)'}" for c in change["cells"]
    )
    return f"{change['kind']} {change['key']}{where}: {cells}"
