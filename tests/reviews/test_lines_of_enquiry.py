"""The draft lines of enquiry for a PRM pack speak the trust's words (DESIGN §7)."""

from __future__ import annotations

from datetime import date

from pmf.words import TrustWords
from reviews.ipr.content import IprKpiRow
from reviews.lines_of_enquiry import lines_of_enquiry

INCOMPLETE = IprKpiRow(code="FALLS", name="Falls", is_incomplete=True)
ESCALATION = {"title": "Falls above the limit", "level": 2}
WARDS_AND_DIRECTORATES = TrustWords.of(
    {"division": ("Directorate", "Directorates"), "team": ("Ward", "Wards")}
)


def texts(**options):
    return [line.text for line in lines_of_enquiry([INCOMPLETE], escalations=[ESCALATION], **options)]


def test_lines_of_enquiry_use_the_generic_words_without_a_trust():
    escalation, incomplete = texts()
    assert "(not every team reported)" in incomplete
    assert "is open for the division:" in escalation


def test_lines_of_enquiry_use_the_trusts_words_for_its_levels():
    escalation, incomplete = texts(words=WARDS_AND_DIRECTORATES)
    assert "(not every ward reported)" in incomplete
    assert "is open for the directorate:" in escalation


def test_lines_of_enquiry_name_the_division_reviewed_when_given():
    escalation, _ = texts(words=WARDS_AND_DIRECTORATES, division="Urgent and Emergency Care")
    assert "is open for Urgent and Emergency Care:" in escalation


def test_overdue_actions_and_milestones_give_their_due_dates_as_nhs_reports_write_them():
    action = {"title": "Falls audit", "owner": "Ward manager", "due_date": date(2025, 6, 30)}
    milestone = {
        "title": "Open the frailty unit",
        "priority": "Care closer to home",
        "due_date": date(2025, 5, 1),
    }
    texts = [
        line.text for line in lines_of_enquiry([], overdue_actions=[action], overdue_milestones=[milestone])
    ]
    assert texts == [
        "Action \u201cFalls audit\u201d (Ward manager) was due 30 Jun 2025: "
        "why is it late and what is the new date?",
        "Milestone \u201cOpen the frailty unit\u201d of the Board's priority \u201cCare closer to home\u201d "
        "was due 1 May 2025: what holds it up, and when will it be complete?",
    ]
