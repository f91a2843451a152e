"""The iCalendar feed writer (RFC 5545). Pure: no database."""

from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from reviews.ical import CalendarEvent, calendar, escape, fold

STAMP = datetime(2025, 7, 1, 9, 30)


def test_escape_backslash_semicolon_comma_and_new_lines():
    assert escape("a\\b;c,d\r\ne\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"


def test_a_feed_of_two_all_day_events():
    events = [
        CalendarEvent(
            uid="meeting-1@pmf",
            day=date(2025, 7, 8),
            summary="PRM: Surgery",
            description="Pack due 1 July; bring the plan, please",
            url="https://pmf.example/meetings/1/",
        ),
        CalendarEvent(uid="meeting-2@pmf", day=date(2025, 12, 31), summary="PRM: Medicine", cancelled=True),
    ]

    body = calendar(events, name="PMF meetings for md.surgery", stamp=STAMP)

    assert body.split("\r\n") == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//PMF//Performance review meetings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:PMF meetings for md.surgery",
        "BEGIN:VEVENT",
        "UID:meeting-1@pmf",
        "DTSTAMP:20250701T093000Z",
        "DTSTART;VALUE=DATE:20250708",
        "DTEND;VALUE=DATE:20250709",
        "SUMMARY:PRM: Surgery",
        "DESCRIPTION:Pack due 1 July\\; bring the plan\\, please",
        "URL:https://pmf.example/meetings/1/",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:meeting-2@pmf",
        "DTSTAMP:20250701T093000Z",
        "DTSTART;VALUE=DATE:20251231",
        "DTEND;VALUE=DATE:20260101",  # an all-day event ends the next day, across the year end
        "SUMMARY:PRM: Medicine",
        "STATUS:CANCELLED",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]


def test_an_empty_feed_is_still_a_calendar():
    body = calendar([], name="Nothing", stamp=STAMP)
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "VEVENT" not in body


def test_a_long_line_folds_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "Performance review – " * 10
    folded = fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert folded.replace("\r\n ", "") == line


def test_a_short_line_is_not_folded():
    assert fold("SUMMARY:PRM") == "SUMMARY:PRM"


@given(st.text(min_size=0, max_size=400))
def test_folding_never_loses_text_or_overruns(text):
    line = "DESCRIPTION:" + escape(text)
    folded = fold(line)
    assert folded.replace("\r\n ", "") == line
    assert all(len(p.encode("utf-8")) <= 75 for p in folded.split("\r\n"))
