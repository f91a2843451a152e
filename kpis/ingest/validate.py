"""Row-level checks of a submission and the warnings that do not block it.

Pure and vectorised: each check is one pandas expression over every row, so a
million-row back-fill costs the same few steps as a ten-row file.

``validate_rows`` steps:
1. Codes: the KPI and the unit must exist.
2. Month: ``YYYY-MM`` or ``YYYY-MM-01``, not in the future or the month still running;
   the KPI must be in that financial year's suite and the unit active that month.
3. Numbers: plain numbers only (no NaN, infinity, spreadsheet errors, £ or % signs,
   nothing absurdly large); no negative counts.
4. What each KPI needs: a ratio or weighted mean needs numerator and denominator
   (denominator above zero; for a percentage whose catalogue sets no plausible maximum,
   the numerator no bigger than the denominator); a sum needs a numerator or a value; a
   non-aggregable KPI needs a value.
   A value given alongside numerator and denominator must agree with them.
5. Each KPI, unit and month once in the file.
6. The value each row gives, as written or worked out from numerator and denominator,
   must be a finite number within what the KPI can plausibly be (``plausible_range``:
   the KPI's plausible minimum and maximum in the catalogue where set, else its unit's:
   a percentage 0 to 100, counts, times and rates not below zero; nothing beyond
   ``LARGEST``), and a count (a summed KPI in the unit "count") a whole number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from pmf.formatting import allowed_decimals, format_date, format_number, format_value

from .problems import WARNING, combine, no_problems, problems_where
from .reader import per_distinct

# plausible_min and plausible_max: the catalogue's range for the KPI, NaN where it keeps the unit's own.
KPI_COLUMNS = ["kpi_code", "kpi_id", "unit", "aggregation", "scale", "plausible_min", "plausible_max"]
UNIT_COLUMNS = ["org_code", "org_unit_id", "active_from", "active_to"]
SUITE_COLUMNS = ["fy_start", "kpi_id"]
CLEAN_COLUMNS = ["row", "kpi_id", "org_unit_id", "month", "numerator", "denominator", "value"]
FRACTION = ("ratio", "mean_weighted")
# Units whose values cannot be below zero (a budget variance or a ratio can).
NON_NEGATIVE_UNITS = ("percent", "count", "minutes", "seconds", "rate_per_1000")
LARGEST = 1e12
NAN_WORDS = {"nan", "-nan", "na", "n/a", "#n/a", "null", "none", "-"}
INFINITY_WORDS = {"inf", "-inf", "+inf", "infinity", "-infinity", "#div/0!"}
THOUSANDS = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"
ABOVE_100_HINT = "If this KPI can exceed 100%, set its plausible maximum in the catalogue."


@dataclass(frozen=True)
class Lookups:
    """What the rows are checked against, read from the database by the service."""

    kpis: pd.DataFrame  # KPI_COLUMNS
    units: pd.DataFrame  # UNIT_COLUMNS (active_to may be missing)
    suites: pd.DataFrame  # SUITE_COLUMNS: the KPIs in each financial year's suite
    today: date


@dataclass(frozen=True)
class Validated:
    rows: pd.DataFrame  # CLEAN_COLUMNS for rows without errors
    problems: pd.DataFrame


def _month_start_today(today: date) -> pd.Timestamp:
    return pd.Timestamp(today.year, today.month, 1)


def parse_numbers(rows: pd.DataFrame, column: str) -> tuple[pd.Series, pd.DataFrame]:
    """The column as floats (blank → NaN) and a problem for each cell that is not a plain number.

    Cells that read as a plain number of a sensible size, and empty cells, are settled in
    one vectorised step, once per distinct text; only the rest (typically none) go through
    the named checks.
    """
    raw = rows[column]
    quick = per_distinct(raw, lambda text: pd.to_numeric(text, errors="coerce").astype("float64"))
    plain = pd.Series(np.isfinite(quick.to_numpy()), index=rows.index) & (quick.abs() <= LARGEST)
    rest = ~plain
    rest[rest] = raw[rest] != ""
    numbers = quick.where(plain)
    if not rest.any():
        return numbers, no_problems()
    numbers[rest], problems = _parse_awkward_numbers(rows[rest], column)
    return numbers, problems


def _parse_awkward_numbers(rows: pd.DataFrame, column: str) -> tuple[pd.Series, pd.DataFrame]:
    """Cells that are not plainly a number: blanks, thousands separators and each kind of mistake."""
    text = rows[column].str.strip()
    lowered = text.str.lower()
    thousands = text.str.match(THOUSANDS)
    numbers = pd.to_numeric(text.where(~thousands, text.str.replace(",", "")), errors="coerce")
    blank = text == ""
    nan_word = lowered.isin(NAN_WORDS)
    infinity = lowered.isin(INFINITY_WORDS)
    spreadsheet_error = text.str.match(r"^#[A-Z/0!?]+[!?]?$") & ~infinity & ~nan_word
    currency = text.str.contains("£|\\$|€", regex=True)
    percent = text.str.endswith("%")
    named = nan_word | infinity | spreadsheet_error | currency | percent
    not_numeric = ~blank & ~named & numbers.isna()
    too_large = ~blank & ~named & ~not_numeric & (numbers.abs() > LARGEST)
    checks = [
        (nan_word, "not_a_number", "This is not a number: leave the cell empty if there is no figure."),
        (
            infinity,
            "infinite",
            "This is infinite (a zero denominator in the source): submit the numerator and denominator.",
        ),
        (spreadsheet_error, "spreadsheet_error", "This is a spreadsheet error, not a number."),
        (
            currency,
            "currency_symbol",
            "Write the number alone, without a currency sign (1234.5, not £1,234.50).",
        ),
        (percent, "percent_sign", "Write the number alone, without a % sign (85.2, not 85.2%)."),
        (not_numeric, "not_numeric", "This is not a number."),
        (
            too_large,
            "too_large",
            f"This number is implausibly large (more than {format_number(LARGEST, 0)}).",
        ),
    ]
    problems = combine(
        [problems_where(rows, mask, column=column, code=code, reason=reason) for mask, code, reason in checks]
    )
    bad = named | not_numeric | too_large
    return numbers.where(~bad & ~blank), problems


def parse_months(rows: pd.DataFrame, today: date) -> tuple[pd.Series, pd.DataFrame]:
    """First-of-month Timestamps (NaT where wrong) and a problem for each bad or future month.

    Each distinct text is parsed once (a file of any length has few distinct months).
    """
    codes, distinct = pd.factorize(rows["month"], use_na_sentinel=False)
    text = pd.Series(distinct, dtype=rows["month"].dtype).str.strip()
    parts = text.str.extract(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
    year = pd.to_numeric(parts[0], errors="coerce")
    month = pd.to_numeric(parts[1], errors="coerce")
    day = pd.to_numeric(parts[2], errors="coerce").fillna(1)
    shaped = year.notna() & month.between(1, 12) & (day == 1) & (year >= 2000)
    stamps = pd.to_datetime(
        {"year": year.where(shaped, 2000), "month": month.where(shaped, 1), "day": 1}, errors="coerce"
    ).where(shaped)
    this_month = _month_start_today(today)
    future = shaped & (stamps >= this_month)
    reason = np.where(
        year.notna() & month.notna() & (day != 1),
        "Months are the first of the month: write 2025-08 or 2025-08-01.",
        "This is not a month: write it as YYYY-MM, e.g. 2025-08.",
    )
    # Back from one entry per distinct text to one per row.
    stamps = pd.Series(stamps.to_numpy()[codes], index=rows.index)
    shaped = pd.Series(shaped.to_numpy()[codes], index=rows.index)
    future = pd.Series(future.to_numpy()[codes], index=rows.index)
    bad_months = no_problems()
    if not shaped.all():
        bad_months = problems_where(
            rows, ~shaped, column="month", code="bad_month", reason=pd.Series(reason[codes], index=rows.index)
        )
    problems = combine(
        [
            bad_months,
            problems_where(
                rows,
                future,
                column="month",
                code="future_month",
                reason=f"This month has not ended yet (today is {format_date(today)}).",
            ),
        ]
    )
    return stamps.where(~future), problems


def validate_rows(rows: pd.DataFrame, lookups: Lookups) -> Validated:
    """Check every row; see the module docstring for the steps."""
    if rows.empty:
        return Validated(rows=pd.DataFrame(columns=CLEAN_COLUMNS), problems=no_problems())
    rows = rows.reset_index(drop=True)
    found: list[pd.DataFrame] = []

    kpi = rows[["kpi_code"]].merge(
        lookups.kpis.assign(kpi_code=lookups.kpis["kpi_code"].str.lower()),
        how="left",
        left_on=per_distinct(rows["kpi_code"], lambda codes: codes.str.strip().str.lower()),
        right_on="kpi_code",
        suffixes=("_given", ""),
    )
    unit = rows[["org_code"]].merge(
        lookups.units.assign(org_code=lookups.units["org_code"].str.upper()),
        how="left",
        left_on=per_distinct(rows["org_code"], lambda codes: codes.str.strip().str.upper()),
        right_on="org_code",
        suffixes=("_given", ""),
    )
    unknown_kpi = kpi["kpi_id"].isna()
    unknown_unit = unit["org_unit_id"].isna()
    found.append(
        problems_where(
            rows,
            unknown_kpi,
            column="kpi_code",
            code="unknown_kpi",
            reason="No KPI has this code: copy the code from the template.",
        )
    )
    found.append(
        problems_where(
            rows,
            unknown_unit,
            column="org_code",
            code="unknown_org",
            reason="No unit of the organisation has this code: copy the code from the template.",
        )
    )

    months, month_problems = parse_months(rows, lookups.today)
    found.append(month_problems)
    fy_start = (months.dt.year - (months.dt.month < 4).astype(int)).astype("Int64")
    in_suite = pd.MultiIndex.from_arrays([fy_start.astype("float"), kpi["kpi_id"].astype("float")]).isin(
        pd.MultiIndex.from_frame(lookups.suites[SUITE_COLUMNS].astype("float"))
    )
    years_with_suite = set(lookups.suites["fy_start"].astype(int))
    checkable = months.notna() & ~unknown_kpi
    no_suite = checkable & ~fy_start.isin(years_with_suite).fillna(False).astype(bool)
    not_in_suite = checkable & ~no_suite & ~pd.Series(in_suite, index=rows.index)
    if no_suite.any() or not_in_suite.any():
        fy_label = per_distinct(
            fy_start,
            lambda starts: starts.astype("string") + "/" + ((starts + 1) % 100).astype("string").str.zfill(2),
        ).fillna("")
        found.append(
            problems_where(
                rows,
                no_suite,
                column="month",
                code="no_suite",
                reason="There is no KPI suite for " + fy_label + " yet: the catalogue must be agreed first.",
            )
        )
        found.append(
            problems_where(
                rows,
                not_in_suite,
                column="kpi_code",
                code="kpi_not_in_suite",
                reason="This KPI is not in the " + fy_label + " KPI suite.",
            )
        )
    active_to = pd.to_datetime(unit["active_to"])
    inactive = (
        months.notna()
        & ~unknown_unit
        & ((pd.to_datetime(unit["active_from"]) > months) | (active_to.notna() & (active_to < months)))
    )
    found.append(
        problems_where(
            rows,
            inactive,
            column="org_code",
            code="unit_not_active",
            reason="This unit did not exist in that month (see its active dates in the organisation).",
        )
    )

    numbers = {}
    for column in ("numerator", "denominator", "value"):
        numbers[column], column_problems = parse_numbers(rows, column)
        found.append(column_problems)
    numerator, denominator, value = numbers["numerator"], numbers["denominator"], numbers["value"]
    found += _kpi_rules(rows, kpi, numerator, denominator, value)

    fraction = kpi["aggregation"].isin(FRACTION)
    is_sum = kpi["aggregation"] == "sum"
    with np.errstate(divide="ignore", invalid="ignore"):
        computed = numerator / denominator * kpi["scale"]
    value_given = value.notna()
    value = value.where(~fraction | value.notna(), computed)
    value = value.where(~is_sum | value.notna(), numerator)
    settled = combine(found)
    unchecked = ~unknown_kpi & ~rows["row"].isin(settled.loc[settled["severity"] == "error", "row"])
    found += _value_rules(rows, kpi, value, given=value_given, check=unchecked)

    key = pd.DataFrame(
        {"k": kpi["kpi_id"], "u": unit["org_unit_id"], "m": months.fillna(pd.Timestamp(0))}, index=rows.index
    )
    comparable = ~unknown_kpi & ~unknown_unit & months.notna()
    duplicated = key.duplicated(keep="first") & comparable
    if duplicated.any():
        first_row = rows["row"].groupby([key["k"], key["u"], key["m"]]).transform("first")
        found.append(
            problems_where(
                rows,
                duplicated,
                column="",
                code="duplicate_row",
                reason="The same KPI, unit and month is already on row "
                + first_row.astype("Int64").astype(str)
                + ".",
                value=rows["kpi_code"] + " / " + rows["org_code"] + " / " + rows["month"],
            )
        )

    problems = combine(found)
    errors = problems[problems["severity"] == "error"]
    good = ~rows["row"].isin(errors["row"])
    clean = pd.DataFrame(
        {
            "row": rows["row"],
            "kpi_id": kpi["kpi_id"],
            "org_unit_id": unit["org_unit_id"],
            "month": months,
            "numerator": numerator,
            "denominator": denominator,
            "value": value,
        }
    )[good]
    clean = clean.astype({"kpi_id": "int64", "org_unit_id": "int64", "row": "int64"})
    return Validated(rows=clean.reset_index(drop=True), problems=problems)


def _kpi_rules(
    rows: pd.DataFrame, kpi: pd.DataFrame, numerator: pd.Series, denominator: pd.Series, value: pd.Series
) -> list[pd.DataFrame]:
    """What each KPI's aggregation and unit require of its numbers (step 4)."""
    known = kpi["kpi_id"].notna()
    fraction = known & kpi["aggregation"].isin(FRACTION)
    is_sum = known & (kpi["aggregation"] == "sum")
    is_none = known & (kpi["aggregation"] == "none")
    # A percentage the catalogue lets exceed 100 (bed occupancy) may have more in the numerator.
    percent = known & (kpi["unit"] == "percent") & _column(kpi, "plausible_max").isna()
    parsed = {"numerator": numerator, "denominator": denominator, "value": value}
    given = {c: _given(rows[c], parsed[c]) for c in parsed}
    with np.errstate(divide="ignore", invalid="ignore"):
        computed = numerator / denominator * kpi["scale"]
    tolerance = np.maximum(0.01, 1e-4 * computed.abs())
    disagrees = fraction & value.notna() & computed.notna() & ((value - computed).abs() > tolerance)
    as_text = pd.Series("", index=rows.index)
    if disagrees.any():
        units = kpi["unit"].astype(str)
        as_text[disagrees] = [_differing(computed[i], value[i], units[i]) for i in disagrees[disagrees].index]
    checks = [
        (
            fraction & ~given["numerator"],
            "numerator",
            "missing_numerator",
            "This KPI is a ratio: give the numerator (and the denominator).",
        ),
        (
            fraction & ~given["denominator"],
            "denominator",
            "missing_denominator",
            "This KPI is a ratio: give the denominator (and the numerator).",
        ),
        (
            is_sum & ~given["numerator"] & ~given["value"],
            "value",
            "missing_value",
            "This KPI is a count: give the number as the numerator or the value.",
        ),
        (
            is_none & ~given["value"],
            "value",
            "missing_value",
            "This KPI cannot be worked out from a numerator and denominator: give its value.",
        ),
        (
            known & kpi["unit"].isin(NON_NEGATIVE_UNITS) & (numerator < 0),
            "numerator",
            "negative",
            "A count cannot be negative.",
        ),
        (denominator < 0, "denominator", "negative", "A count cannot be negative."),
        (
            known & kpi["unit"].isin(NON_NEGATIVE_UNITS) & (value < 0),
            "value",
            "negative",
            "This KPI cannot be negative.",
        ),
        (
            denominator == 0,
            "denominator",
            "zero_denominator",
            "The denominator is zero: there is nothing to divide by.",
        ),
        (
            percent & (numerator > denominator) & (denominator > 0),
            "numerator",
            "numerator_above_denominator",
            "For a percentage the numerator cannot be bigger than the denominator. " + ABOVE_100_HINT,
        ),
        (
            disagrees,
            "value",
            "value_disagrees",
            ("The value does not match numerator ÷ denominator, which gives " + as_text + ".")
            if disagrees.any()
            else "",
        ),
        (
            is_sum & value.notna() & numerator.notna() & ((value - numerator).abs() > 1e-9),
            "value",
            "value_disagrees",
            "For a count the value must equal the numerator.",
        ),
    ]
    return [
        problems_where(rows, mask.fillna(False).astype(bool), column=column, code=code, reason=reason)
        for mask, column, code, reason in checks
    ]


def _differing(computed: float, given: float, unit: str) -> str:
    """``computed`` in the KPI's unit, with the hundredths that a disagreement is measured in (the file's
    63.45 against 63.43% worked out, which one decimal would write 63.4%), and more if they do not show it."""
    first = max(2, allowed_decimals(unit))
    for decimals in range(first, first + 3):
        written = format_value(computed, unit, decimals=decimals)
        if written != format_value(given, unit, decimals=decimals):
            return written
    return written


def plausible_range(
    unit: pd.Series, *, low: pd.Series | None = None, high: pd.Series | None = None
) -> tuple[pd.Series, pd.Series]:
    """The lowest and highest value each KPI can plausibly take.

    1. The unit's own range: a percentage is 0 to 100; counts, times and rates cannot be
       negative; anything else is open.
    2. Where the catalogue gives the KPI a plausible minimum or maximum (``low``,
       ``high``; NaN where it does not), that bound is used instead.
    3. Nothing is beyond ``LARGEST`` either way, whatever the catalogue says.
    """
    unit_low = pd.Series(-LARGEST, index=unit.index).mask(unit.isin(NON_NEGATIVE_UNITS), 0.0)
    unit_high = pd.Series(LARGEST, index=unit.index).mask(unit == "percent", 100.0)
    if low is not None:
        unit_low = low.astype("float64").where(low.notna(), unit_low)
    if high is not None:
        unit_high = high.astype("float64").where(high.notna(), unit_high)
    return unit_low.clip(-LARGEST, LARGEST), unit_high.clip(-LARGEST, LARGEST)


def _column(kpi: pd.DataFrame, name: str) -> pd.Series:
    """A column of the KPIs as floats, all NaN when the lookups were built without it."""
    if name not in kpi:
        return pd.Series(np.nan, index=kpi.index)
    return pd.to_numeric(kpi[name], errors="coerce").astype("float64")


def _value_rules(
    rows: pd.DataFrame, kpi: pd.DataFrame, value: pd.Series, *, given: pd.Series, check: pd.Series
) -> list[pd.DataFrame]:
    """What the value each row gives, as written or worked out, must be (step 6).

    Only the rows in ``check`` (known KPI, no error so far) are looked at, so each line
    keeps one clear error. A value worked out from the numerator and denominator says
    so and quotes both cells, since the cause is there; a count given only as a
    numerator is reported on the numerator.
    """
    number = value.astype("float64")
    finite = pd.Series(np.isfinite(number.to_numpy()), index=rows.index)
    low, high = plausible_range(
        kpi["unit"], low=_column(kpi, "plausible_min"), high=_column(kpi, "plausible_max")
    )
    outside = finite & ((number < low) | (number > high))
    set_max = _column(kpi, "plausible_max")
    count = (kpi["unit"] == "count") & (kpi["aggregation"] == "sum")
    fractional = finite & ~outside & count & (number != np.floor(number))
    flagged = (check & (~finite | outside | fractional)).fillna(False).astype(bool)
    if not flagged.any():
        return []
    worked_out = ~given & kpi["aggregation"].isin(FRACTION)
    on_numerator = ~given & (kpi["aggregation"] == "sum")
    # What the file says: the cell, or "numerator ÷ denominator" for a worked-out value.
    cell = rows["value"].where(~on_numerator, rows["numerator"])
    cell = cell.where(~worked_out, rows["numerator"] + " ÷ " + rows["denominator"])
    written = pd.Series("", index=rows.index)
    bounds = pd.Series("", index=rows.index)
    hint = pd.Series("", index=rows.index)
    hits = flagged[flagged].index
    units = kpi["unit"].astype(str)
    written[hits] = [_quoted(number[i], units[i]) for i in hits]
    bounds[hits] = [f"{format_value(low[i], units[i])} to {format_value(high[i], units[i])}" for i in hits]
    hint[hits] = [_range_hint(number[i], units[i], set_max=bool(pd.notna(set_max[i]))) for i in hits]
    lead = pd.Series("Numerator ÷ denominator gives ", index=rows.index).where(worked_out, "This value is ")
    checks = [
        (
            ~finite,
            "not_finite",
            lead + "no finite number (the denominator is too small to divide by): check both.",
        ),
        (
            outside,
            "implausible_value",
            lead + written + ", outside what this KPI can be (" + bounds + "): check it." + hint,
        ),
        (fractional, "not_whole", "This KPI is a count, so it must be a whole number."),
    ]
    found = []
    for mask, code, reason in checks:
        for column, here in (("value", ~on_numerator), ("numerator", on_numerator)):
            hit = (flagged & mask & here).fillna(False).astype(bool)
            if hit.any():
                found.append(problems_where(rows, hit, column=column, code=code, reason=reason, value=cell))
    return found


def _range_hint(number: float, unit: str, *, set_max: bool) -> str:
    """How to let a value through when the KPI really can take it: its range in the catalogue.

    Nothing past ``LARGEST``, which no catalogue setting admits.
    """
    if abs(number) > LARGEST:
        return ""
    if unit == "percent" and number > 100 and not set_max:
        return " " + ABOVE_100_HINT
    return " If this KPI can take such a value, widen its plausible range in the catalogue."


def _quoted(number: float, unit: str) -> str:
    """A value for a reason; past ``LARGEST`` only its side, since its digits mean nothing."""
    if number > LARGEST:
        return "more than " + format_value(LARGEST, unit)
    if number < -LARGEST:
        return "less than " + format_value(-LARGEST, unit)
    return format_value(number, unit)


def _given(text: pd.Series, number: pd.Series) -> pd.Series:
    """Whether a cell holds anything but spaces (every parsed number does; only the rest are looked at)."""
    given = number.notna()
    given[~given] = text[~given] != ""
    unsure = given & number.isna()
    if unsure.any():
        given[unsure] = text[unsure].str.strip() != ""
    return given


def review_warnings(
    clean: pd.DataFrame,
    *,
    kpis: pd.DataFrame,
    raw: pd.DataFrame,
    previous: pd.DataFrame,
    limits: pd.DataFrame,
    expected: pd.DataFrame,
    change_ratio: float = 0.5,
) -> pd.DataFrame:
    """Warnings that do not block a submission.

    ``kpis``: the catalogue (``KPI_COLUMNS``), so each number is written in its KPI's unit.
    ``raw``: the rows as read (row and the file's text), so each warning quotes the cell
    as the file has it. ``previous``: kpi_id, org_unit_id, month (the month submitted),
    value — the published value of the month before. ``limits``: kpi_id, org_unit_id,
    mean, lower, upper — the latest SPC limits. ``expected``: kpi_id, org_unit_id, month,
    kpi_code, org_code — rows the file should have.

    1. Far outside the limits: beyond a process limit by more than the limit's own
       distance from the mean (about six sigma from the mean).
    2. A large change: more than ``change_ratio`` (50 %) up or down on the month before.
    3. Missing rows: expected rows that the file does not have.
    """
    key = ["kpi_id", "org_unit_id"]
    if clean.empty:
        return no_problems()
    units = kpis.set_index("kpi_id")["unit"]
    clean = clean.assign(month=pd.to_datetime(clean["month"]).astype("datetime64[ns]"))
    previous = previous.assign(month=pd.to_datetime(previous["month"]).astype("datetime64[ns]"))
    expected = expected.assign(month=pd.to_datetime(expected["month"]).astype("datetime64[ns]"))
    found = []
    with_limits = clean.merge(limits, on=key, how="inner")
    width_up = with_limits["upper"] - with_limits["mean"]
    width_down = with_limits["mean"] - with_limits["lower"]
    far = (with_limits["value"] > with_limits["upper"] + width_up) | (
        with_limits["value"] < with_limits["lower"] - width_down
    )
    # The reasons are written only for the rows that need one: formatting an empty column
    # gives numbers, not text, and adding text to them fails.
    with_limits = with_limits[far.to_numpy()]
    if not with_limits.empty:
        unit = with_limits["kpi_id"].map(units)
        found.append(
            problems_where(
                with_limits,
                pd.Series(True, index=with_limits.index),
                column="value",
                code="far_outside_limits",
                reason="Far outside this chart's limits ("
                + _in_unit(with_limits["lower"], unit)
                + " to "
                + _in_unit(with_limits["upper"], unit)
                + "): check it is right.",
                value=_as_written(with_limits, raw=raw, kpis=kpis),
                severity=WARNING,
            )
        )
    # A unit's first value of a KPI has no month before it, so nothing to compare with.
    with_previous = clean.merge(previous, on=[*key, "month"], how="inner", suffixes=("", "_previous"))
    before = with_previous["value_previous"].astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        change = (with_previous["value"].astype("float64") - before) / before.abs()
    large = ((before != 0) & (change.abs() > change_ratio)).to_numpy()
    with_previous, before, change = with_previous[large], before[large], change[large]
    if not with_previous.empty:
        found.append(
            problems_where(
                with_previous,
                pd.Series(True, index=with_previous.index),
                column="value",
                code="large_change",
                reason=change.map("{:+.0%}".format)
                + " on the month before ("
                + _in_unit(before, with_previous["kpi_id"].map(units))
                + "): check it is right.",
                value=_as_written(with_previous, raw=raw, kpis=kpis),
                severity=WARNING,
            )
        )
    present = pd.MultiIndex.from_frame(clean[[*key, "month"]])
    missing = expected[~pd.MultiIndex.from_frame(expected[[*key, "month"]]).isin(present)]
    if not missing.empty:
        named = missing
        found.append(
            pd.DataFrame(
                {
                    "row": None,
                    "column": "",
                    "value": named["kpi_code"]
                    + " / "
                    + named["org_code"]
                    + " / "
                    + pd.to_datetime(named["month"]).dt.strftime("%Y-%m"),
                    "code": "missing_row",
                    "reason": "This row was expected (the unit reported this KPI in the last year) "
                    "but is not in the file.",
                    "severity": WARNING,
                }
            )
        )
    return combine(found)


def _in_unit(numbers: pd.Series, units: pd.Series) -> pd.Series:
    """Each number written in its KPI's unit (a few rows: only those with a warning)."""
    return pd.Series(
        [format_value(n, u) for n, u in zip(numbers, units.fillna(""), strict=True)],
        index=numbers.index,
        dtype="object",
    )


def _as_written(hits: pd.DataFrame, *, raw: pd.DataFrame, kpis: pd.DataFrame) -> pd.Series:
    """What the file says for each row's value, as ``_value_rules`` quotes it.

    1. The value cell, when it holds anything.
    2. Otherwise, for a count, the numerator it was taken from.
    3. Otherwise (a ratio worked out from its parts) "numerator ÷ denominator".
    """
    cells = raw[raw["row"].isin(hits["row"])].set_index("row")
    value, numerator, denominator = (
        hits["row"].map(cells[column]).fillna("").astype(str)
        for column in ("value", "numerator", "denominator")
    )
    aggregation = hits["kpi_id"].map(kpis.set_index("kpi_id")["aggregation"])
    blank = value.str.strip() == ""
    from_parts = numerator.where(aggregation == "sum", numerator + " ÷ " + denominator)
    return value.where(~blank, from_parts)
