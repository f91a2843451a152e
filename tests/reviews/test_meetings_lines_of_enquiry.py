"""A pack's generated lines of enquiry are ranked and capped (issue 18, item 7): key KPIs and escalations
first, the most severe first; the pack asks ten and lists the rest apart. Pure: no database."""

from __future__ import annotations

from datetime import date

from reviews.ipr.content import IprKpiRow
from reviews.lines_of_enquiry import LINES_ASKED, asked_and_more, lines_of_enquiry

KEY_MISSED = IprKpiRow(code="AE", name="A&E 4 hours", is_key=True, outcome="not_met")
KEY_CONCERN = IprKpiRow(code="RTT", name="RTT 18 weeks", is_key=True, variation_icon="concern_high")
CONCERN = IprKpiRow(code="SICK", name="Sickness", variation_icon="concern_high")
INCOMPLETE = IprKpiRow(code="FALLS", name="Falls", is_incomplete=True)
ACTION = {"title": "Falls audit", "owner": "Ward manager", "due_date": date(2025, 6, 30)}


def _case(title: str, level: str) -> dict[str, str]:
    return {"title": title, "level": level}


def test_escalations_and_key_kpis_come_first_the_most_severe_first():
    lines = lines_of_enquiry(
        [CONCERN, INCOMPLETE, KEY_MISSED, KEY_CONCERN],
        overdue_actions=[ACTION],
        escalations=[_case("Plan missed", "Performance team"), _case("Cancer 62 days", "Executive Team")],
    )
    assert [(line.source, line.text.split(" ", 2)[:2]) for line in lines][:4] == [
        ("escalation", ["Escalation", "\u201cCancer"]),  # before the Executive Team
        ("concern", ["RTT", "18"]),
        ("key_missed", ["Key", "KPI"]),
        ("escalation", ["Escalation", "\u201cPlan"]),  # at the performance team
    ]
    assert [line.source for line in lines][4:] == ["concern", "overdue_action", "incomplete"]


def test_a_pack_asks_ten_and_lists_the_others_apart():
    cases = [_case(f"Case {i}", "Performance team") for i in range(19)]
    lines = lines_of_enquiry([CONCERN, KEY_MISSED], escalations=cases, overdue_actions=[ACTION])
    asked, more = asked_and_more(lines)
    assert len(asked) == LINES_ASKED == 10 and len(more) == 22 - 10
    assert asked[0].source == "key_missed"
    assert "key_missed" in {line.source for line in asked}  # a key KPI is not crowded out by what follows it
    assert [line.source for line in more][-2:] == ["concern", "overdue_action"]
    assert asked + more == lines


def test_a_short_list_is_asked_whole():
    lines = lines_of_enquiry([CONCERN])
    assert asked_and_more(lines) == (lines, [])
