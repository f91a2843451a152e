"""How PMF writes a number, a month and a date: one set of rules for every page, PDF, explanation, escalation
note, upload message and export.

Pure and part of the kernel: it imports no Django and no app, so the words in a rating explanation, the cell
of a table and the text of a PDF cannot drift apart.

Values arrive in the catalogue's units (``kpis.models.Kpi.Unit``). Currency KPIs are held in **£ thousands**,
so 1250 is £1.25m and is written ``£1,250k``.

============================  =================  =========================================================
value, unit                   written            rule
============================  =================  =========================================================
63.44, ``percent``            ``63.4%``          one decimal
1250, ``currency``            ``£1,250k``        £ thousands, whole from £10k up
4.5, ``currency``             ``£4.5k``          one decimal below £10k, unless whole
-507, ``currency``            ``−£507k``         the minus sign before the £, as NHS finance reports do
12345, ``count``              ``12,345``         whole, with thousands separators
59.84, ``count``              ``59.8``           a mean or a limit of a count keeps one decimal
425, ``seconds``              ``7:05``           m:ss below an hour
4000, ``seconds``             ``1:06:40``        h:mm:ss from an hour up
42.5, ``minutes``             ``42.5 min``       one decimal
7.254, ``rate_per_1000``      ``7.25 per 1,000`` two decimals
0.786667, ``ratio``           ``0.79``           two decimals (1.00 is on plan)
0.786667, no unit             ``0.79``           at most two decimals, trailing zeros dropped
None, NaN or ±∞, any unit     ``–``              an en dash: there is no value to write
============================  =================  =========================================================

Every negative number is written with the minus sign (U+2212), which screen readers say as "minus" and
which a spreadsheet does not take for the start of a formula. A value that rounds to zero has no sign.
Ties round away from zero (2.5 → 3), as a spreadsheet rounds them.
Differences (``format_delta``) carry an explicit sign, and a difference of percentages is in percentage
points (``+2.5 pp``). Months are written ``Mar 2026`` and days ``31 Mar 2026``, whatever the server's locale;
a meeting's day ``Tue 14 Apr 2026``, and a moment ``31 Mar 2026, 14:05`` (24-hour clock, local time).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Final

MISSING: Final = "–"
MINUS: Final = "−"

MONTH_ABBREVIATIONS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
WEEKDAY_ABBREVIATIONS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# The catalogue's unit codes, plus the short forms people type.
UNIT_ALIASES: Final = {
    "%": "percent",
    "per cent": "percent",
    "£k": "currency",
    "£": "currency",
    "s": "seconds",
    "secs": "seconds",
    "min": "minutes",
    "mins": "minutes",
    "per 1,000": "rate_per_1000",
}

# The most decimals each unit is ever written with; ``format_value`` may write fewer (see the table above).
ALLOWED_DECIMALS: Final = {
    "percent": 1,
    "currency": 1,
    "count": 1,
    "seconds": 0,
    "minutes": 1,
    "rate_per_1000": 2,
    "ratio": 2,
}
DEFAULT_DECIMALS: Final = 2
# Never more decimals than this, even when a caller asks for them.
MAX_DECIMALS: Final = 6

# Below this many £ thousands (in size) a currency value keeps one decimal.
CURRENCY_WHOLE_FROM: Final = 10

Number = float | int | Decimal

# Precise enough for the largest float written out in full with the most decimals.
_ROUNDING: Final = Context(prec=400, rounding=ROUND_HALF_UP)


def normalise_unit(unit: str | None) -> str:
    """The catalogue's unit code for `unit` ("%" → "percent"); an unknown unit comes back lower-cased."""
    key = (unit or "").strip().lower()
    return UNIT_ALIASES.get(key, key)


def allowed_decimals(unit: str | None) -> int:
    """The most decimals a value of `unit` is written with."""
    return ALLOWED_DECIMALS.get(normalise_unit(unit), DEFAULT_DECIMALS)


def _finite(value: Number | None) -> float | None:
    """The value as a float, or None when there is nothing to write (None, NaN, ±∞)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _signed(value: float, digits: str, *, plus: bool = False) -> str:
    """`digits` (written from the size of `value`) with the sign of `value`; none if it shows as zero."""
    if not any(c in "123456789" for c in digits):
        return digits
    if value < 0:
        return MINUS + digits
    return "+" + digits if plus else digits


def _round_half_up(size: float, places: int) -> Decimal:
    """`size` (not negative) rounded half away from zero, as a spreadsheet rounds: 0.5 → 1, 2.5 → 3.

    Python's own rounding sends a tie to the even neighbour (2.5 → 2), so a table printed here and the same
    figures summed in Excel would disagree by one in the last place.
    """
    return Decimal(size).quantize(Decimal(1).scaleb(-places), context=_ROUNDING)


def format_number(value: Number | None, decimals: int = DEFAULT_DECIMALS, *, strip: bool = False) -> str:
    """A plain number with thousands separators and `decimals` decimals: ``1,234.50``; ``–`` for no value.

    `strip` drops trailing zeros after the point (``1,234.5``). Never scientific notation, never "nan".
    """
    number = _finite(value)
    if number is None:
        return MISSING
    places = max(0, min(decimals, MAX_DECIMALS))
    digits = f"{_round_half_up(abs(number), places):,.{places}f}"
    if strip and "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    return _signed(number, digits)


def format_plain(value: Number | None, decimals: int = MAX_DECIMALS) -> str:
    """A number for a program to read back (a CSV cell): ``-1234.5``; empty for no value.

    No thousands separators, the ASCII minus, at most `decimals` decimals with trailing zeros dropped, and
    never scientific notation, so ``1e-05`` is written ``0.00001`` and ``1e16`` in full.
    """
    number = _finite(value)
    if number is None:
        return ""
    places = max(0, min(decimals, MAX_DECIMALS))
    digits = f"{_round_half_up(abs(number), places):.{places}f}"
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    return "-" + digits if number < 0 and digits != "0" else digits


def _whole_or_one_decimal(size: float, whole_from: float = math.inf) -> int:
    """0 when `size` is whole to one decimal or at least `whole_from`; else 1."""
    rounded = _round_half_up(size, 1)
    return 0 if rounded == rounded.to_integral_value() or rounded >= whole_from else 1


def format_seconds(value: Number | None) -> str:
    """A duration in seconds as m:ss, or h:mm:ss from an hour up, to the nearest second: ``1:06:40``."""
    number = _finite(value)
    if number is None:
        return MISSING
    total = int(_round_half_up(abs(number), 0))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    digits = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
    return MINUS + digits if number < 0 and total else digits


def format_value(value: Number | None, unit: str | None = "", *, decimals: int | None = None) -> str:
    """Write a value the way a reader expects for its unit (see the table in the module's docstring).

    `decimals` fixes the number of decimals (seconds are always whole); without it each unit has its rule.
    """
    number = _finite(value)
    if number is None:
        return MISSING
    unit = normalise_unit(unit)
    if unit == "seconds":
        return format_seconds(number)
    size = abs(number)
    if unit == "currency":
        places = decimals if decimals is not None else _whole_or_one_decimal(size, CURRENCY_WHOLE_FROM)
        digits = format_number(size, places)
        return _signed(number, f"£{digits}k")
    if unit == "percent":
        return format_number(number, 1 if decimals is None else decimals) + "%"
    if unit == "count":
        return format_number(number, _whole_or_one_decimal(size) if decimals is None else decimals)
    if unit == "minutes":
        return format_number(number, 1 if decimals is None else decimals) + " min"
    if unit == "rate_per_1000":
        return format_number(number, 2 if decimals is None else decimals) + " per 1,000"
    if unit == "ratio":
        return format_number(number, 2 if decimals is None else decimals)
    if decimals is not None:
        return format_number(number, decimals)
    return format_number(number, DEFAULT_DECIMALS, strip=True)


def format_estimate(value: Number | None, unit: str | None = "") -> str:
    """A forecast or other estimate, as ``format_value`` writes it but a count whole: 85,506, not 85,505.9."""
    if normalise_unit(unit) == "count":
        return format_value(value, unit, decimals=0)
    return format_value(value, unit)


def format_delta(value: Number | None, unit: str | None = "", *, signed: bool = True) -> str:
    """A difference between two values of `unit`, with its sign: ``+£12k``, ``−0:45``, ``+2.5 pp``.

    A difference of percentages is in percentage points (pp), not per cent. `signed=False` writes the size
    alone ("3.5 pp from the plan").
    """
    number = _finite(value)
    if number is None:
        return MISSING
    unit = normalise_unit(unit)
    size = abs(number)
    text = format_number(size, 1) + " pp" if unit == "percent" else format_value(size, unit)
    if not signed:
        return text
    return _signed(number, text, plus=True)


def format_month(month: date | None) -> str:
    """A month as NHS reports write it: ``Mar 2026``; ``–`` for no month."""
    if month is None:
        return MISSING
    return f"{MONTH_ABBREVIATIONS[month.month - 1]} {month.year}"


def format_date(day: date | None) -> str:
    """A day as NHS reports write it: ``31 Mar 2026`` (no leading zero); ``–`` for no date."""
    if day is None:
        return MISSING
    return f"{day.day} {format_month(day)}"


def format_weekday_date(day: date | None) -> str:
    """A day with its weekday, as a meeting is announced: ``Tue 14 Apr 2026``; ``–`` for no date."""
    if day is None:
        return MISSING
    return f"{WEEKDAY_ABBREVIATIONS[day.weekday()]} {format_date(day)}"


def format_datetime(moment: datetime | None) -> str:
    """A moment, already in local time: ``31 Mar 2026, 14:05`` (24-hour clock); ``–`` for none."""
    if moment is None:
        return MISSING
    return f"{format_date(moment)}, {moment:%H:%M}"
