"""The draft lines of enquiry for a PRM pack speak the trust's words (DESIGN §7)."""

from __future__ import annotations

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
    incomplete, escalation = texts()
    assert "(not every team reported)" in incomplete
    assert "is open for the division:" in escalation


def test_lines_of_enquiry_use_the_trusts_words_for_its_levels():
    incomplete, escalation = texts(words=WARDS_AND_DIRECTORATES)
    assert "(not every ward reported)" in incomplete
    assert "is open for the directorate:" in escalation


def test_lines_of_enquiry_name_the_division_reviewed_when_given():
    _, escalation = texts(words=WARDS_AND_DIRECTORATES, division="Urgent and Emergency Care")
    assert "is open for Urgent and Emergency Care:" in escalation
