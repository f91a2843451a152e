"""The rules that depend on more than a role (the URL × persona matrix covers the rest)."""

from __future__ import annotations

from divisions.models import OrgUnit, Role
from pmf.permissions import (
    ANONYMOUS,
    Access,
    can_close_case,
    can_read_division_cases,
    can_read_division_reviews,
    can_reset_calendar_addresses,
)

PERFORMANCE = Access(is_authenticated=True, roles=frozenset({Role.PERFORMANCE_TEAM}))
EXECUTIVE = Access(is_authenticated=True, roles=frozenset({Role.EXECUTIVE}))
BOARD = Access(is_authenticated=True, roles=frozenset({Role.BOARD_MEMBER}))
SURGERY = OrgUnit(pk=2, code="SUR", parent_id=1)
MEDICINE = OrgUnit(pk=3, code="MED", parent_id=1)
SURGERY_LEAD = Access(is_authenticated=True, roles=frozenset({Role.CLINICAL_LEAD}), divisions=frozenset({2}))


def test_performance_team_closes_a_case_only_once_it_has_de_escalated():
    assert not can_close_case(PERFORMANCE, de_escalated=False)
    assert can_close_case(PERFORMANCE, de_escalated=True)


def test_executives_close_a_case_on_their_word_and_nobody_else_closes_one():
    assert can_close_case(EXECUTIVE, de_escalated=False)
    assert not can_close_case(BOARD, de_escalated=True)
    assert not can_close_case(SURGERY_LEAD, de_escalated=True)


def test_a_triumvirate_reads_its_own_divisions_cases_but_not_another_or_trust_level_ones():
    assert can_read_division_cases(SURGERY_LEAD, SURGERY)
    assert not can_read_division_cases(SURGERY_LEAD, MEDICINE)
    assert not can_read_division_cases(SURGERY_LEAD, None)
    assert can_read_division_cases(BOARD, None)


def test_meetings_and_actions_are_read_by_the_division_executives_and_performance_but_not_the_board():
    assert can_read_division_reviews(SURGERY_LEAD, SURGERY)
    assert not can_read_division_reviews(SURGERY_LEAD, MEDICINE)
    assert can_read_division_reviews(EXECUTIVE, MEDICINE) and can_read_division_reviews(PERFORMANCE, MEDICINE)
    assert not can_read_division_reviews(BOARD, SURGERY)


def test_only_the_performance_team_and_administrators_reset_other_peoples_calendar_addresses():
    administrator = Access(is_authenticated=True, is_superuser=True)
    assert can_reset_calendar_addresses(PERFORMANCE) and can_reset_calendar_addresses(administrator)
    for someone in (EXECUTIVE, BOARD, SURGERY_LEAD, ANONYMOUS):
        assert not can_reset_calendar_addresses(someone)
