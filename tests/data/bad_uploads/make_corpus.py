"""Write the corpus of malformed submissions and the table of the error each must produce.

Run from the repository root: ``uv run --frozen python tests/data/bad_uploads/make_corpus.py``.
The files are generated, never edited by hand, so re-running the script gives the same
rows (Excel archives differ only in the timestamps inside the zip).

Every file refers to the small catalogue built by ``tests/kpis/test_bad_uploads.py``:
KPIs AE-4H (percentage, ratio), FALLS (count, sum), LOS (days, not aggregable), RATIO
(a plain ratio, numerator ÷ denominator) and RETIRED (not in the 2025/26 suite); units
RWD-MED-UEC (active) and RWD-MED-OLD (closed in 2020). The test sets the size limit
to ``LIMIT`` bytes so that the oversized file stays small enough to keep in the repository.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
LIMIT = 100_000
HEADER = ["kpi_code", "org_code", "month", "numerator", "denominator", "value"]
GOOD = [
    ["AE-4H", "RWD-MED-UEC", "2025-08", "13502", "21307", "63.3688"],
    ["FALLS", "RWD-MED-UEC", "2025-08", "12", "", "12"],
    ["LOS", "RWD-MED-UEC", "2025-08", "", "", "4.2"],
]


def csv_text(rows: list[list[str]], header: list[str] = HEADER, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def with_row(row: list[str]) -> str:
    """The good rows plus one bad one, which is therefore on line 5."""
    return csv_text([*GOOD, row])


def workbook(build) -> bytes:  # type: ignore[no-untyped-def]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(HEADER)
    for row in GOOD:
        sheet.append([float(v) if v.replace(".", "").isdigit() and i >= 3 else v for i, v in enumerate(row)])
    build(book, sheet)
    book.properties.created = book.properties.modified = datetime(2025, 9, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(2025, 9, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def _formulas(book, sheet) -> None:  # type: ignore[no-untyped-def]
    sheet["F2"] = "=D2/E2*100"


def _merged(book, sheet) -> None:  # type: ignore[no-untyped-def]
    sheet.merge_cells("B2:B3")


def _hidden(book, sheet) -> None:  # type: ignore[no-untyped-def]
    extra = book.create_sheet("Old figures")
    extra.append(HEADER)
    extra.append(GOOD[0])
    extra.sheet_state = "hidden"


def _two_sheets(book, sheet) -> None:  # type: ignore[no-untyped-def]
    book.create_sheet("Notes").append(["Figures are provisional"])


def cases() -> list[tuple[str, bytes | str, str, str, str, str]]:
    """(file name, content, expected code, row, column, what it shows)."""
    big = csv_text([GOOD[0]] * (LIMIT // 40 + 100))
    good_xlsx = workbook(lambda book, sheet: None)
    return [
        ("empty.csv", b"", "empty_file", "", "", "an empty file"),
        ("oversized.csv", big, "file_too_large", "", "", "a file over the size limit"),
        ("semicolons.csv", csv_text(GOOD, delimiter=";"), "wrong_delimiter", "1", "", "semicolon-separated"),
        ("tabs.csv", csv_text(GOOD, delimiter="\t"), "wrong_delimiter", "1", "", "tab-separated"),
        ("no_header.csv", "\r\n".join(",".join(r) for r in GOOD), "no_header", "1", "", "data on line 1"),
        (
            "blank_first_line.csv",
            "\r\n" + csv_text(GOOD),
            "no_header",
            "",
            "",
            "a blank line before the header",
        ),
        (
            "duplicate_column.csv",
            csv_text([r + ["1"] for r in GOOD], header=[*HEADER, "value"]),
            "duplicate_column",
            "1",
            "value",
            "the same column twice",
        ),
        (
            "missing_column.csv",
            csv_text([r[:5] for r in GOOD], header=HEADER[:5]),
            "missing_column",
            "1",
            "value",
            "",
        ),
        (
            "extra_column.csv",
            csv_text([r + ["checked"] for r in GOOD], header=[*HEADER, "notes"]),
            "unknown_column",
            "1",
            "notes",
            "a column PMF does not read",
        ),
        (
            "repeated_header.csv",
            csv_text([*GOOD, HEADER]),
            "repeated_header",
            "5",
            "",
            "two files pasted together",
        ),
        (
            "blank_lines.csv",
            csv_text([GOOD[0], [], GOOD[1]]).replace('""\r\n', "\r\n"),
            "blank_row",
            "3",
            "",
            "",
        ),
        ("truncated.csv", csv_text(GOOD)[:-22], "truncated", "4", "", "a file cut short"),
        (
            "stray_comma.csv",
            with_row(GOOD[0][:3] + ["1,2", "3", "4", "5"]).replace('"1,2"', "1,2"),
            "too_many_fields",
            "5",
            "",
            "",
        ),
        (
            "too_few_fields.csv",
            csv_text([GOOD[0], ["AE-4H", "RWD-MED-UEC", "2025-09"], GOOD[1]]),
            "too_few_fields",
            "3",
            "",
            "",
        ),
        (
            "unclosed_quote.csv",
            csv_text(GOOD) + 'AE-4H,"RWD-MED-UEC,2025-09,1,2,50\r\n',
            "unclosed_quote",
            "",
            "",
            "",
        ),
        ("utf16.csv", csv_text(GOOD).encode("utf-16"), "utf16", "", "", "Excel's 'Unicode Text'"),
        (
            "old_excel.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
            "old_excel",
            "",
            "",
            "an .xls file",
        ),
        (
            "renamed_pdf.csv",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
            "not_a_spreadsheet",
            "",
            "",
            "",
        ),
        ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "not_a_spreadsheet", "", "", ""),
        (
            "bad_encoding.csv",
            csv_text(GOOD).encode() + b"FALLS,RWD-MED-UEC,2025-09,\x81\x8d,,1\r\n",
            "bad_encoding",
            "",
            "",
            "",
        ),
        (
            "bom_negative.csv",
            b"\xef\xbb\xbf" + with_row(["FALLS", "RWD-MED-UEC", "2025-09", "-3", "", "-3"]).encode(),
            "negative",
            "5",
            "numerator",
            "UTF-8 with BOM is read; the negative count is the error",
        ),
        (
            "windows1252_pound.csv",
            with_row(["FALLS", "RWD-MED-UEC", "2025-09", "£1,200", "", ""]).encode("cp1252"),
            "currency_symbol",
            "5",
            "numerator",
            "Windows-1252 £ decoded correctly",
        ),
        (
            "formula_injection.csv",
            with_row(["AE-4H", '=HYPERLINK("http://example.invalid","click")', "2025-09", "1", "2", "50"]),
            "formula_text",
            "5",
            "org_code",
            "",
        ),
        (
            "nan.csv",
            with_row(["AE-4H", "RWD-MED-UEC", "2025-09", "NaN", "20", ""]),
            "not_a_number",
            "5",
            "numerator",
            "",
        ),
        (
            "infinity.csv",
            with_row(["LOS", "RWD-MED-UEC", "2025-09", "", "", "inf"]),
            "infinite",
            "5",
            "value",
            "",
        ),
        (
            "div0.csv",
            with_row(["LOS", "RWD-MED-UEC", "2025-09", "", "", "#DIV/0!"]),
            "infinite",
            "5",
            "value",
            "",
        ),
        (
            "excel_error.csv",
            with_row(["LOS", "RWD-MED-UEC", "2025-09", "", "", "#VALUE!"]),
            "spreadsheet_error",
            "5",
            "value",
            "",
        ),
        (
            "huge_number.csv",
            with_row(["FALLS", "RWD-MED-UEC", "2025-09", "1e300", "", ""]),
            "too_large",
            "5",
            "numerator",
            "",
        ),
        (
            "words.csv",
            with_row(["FALLS", "RWD-MED-UEC", "2025-09", "twelve", "", ""]),
            "not_numeric",
            "5",
            "numerator",
            "",
        ),
        (
            "percent_sign.csv",
            with_row(["LOS", "RWD-MED-UEC", "2025-09", "", "", "85%"]),
            "percent_sign",
            "5",
            "value",
            "",
        ),
        (
            "unknown_kpi.csv",
            with_row(["AE-5H", "RWD-MED-UEC", "2025-09", "1", "2", ""]),
            "unknown_kpi",
            "5",
            "kpi_code",
            "",
        ),
        (
            "unknown_org.csv",
            with_row(["AE-4H", "RWD-XYZ", "2025-09", "1", "2", ""]),
            "unknown_org",
            "5",
            "org_code",
            "",
        ),
        (
            "bad_month.csv",
            with_row(["AE-4H", "RWD-MED-UEC", "2025-13", "1", "2", ""]),
            "bad_month",
            "5",
            "month",
            "",
        ),
        (
            "not_first_day.csv",
            with_row(["AE-4H", "RWD-MED-UEC", "2025-09-15", "1", "2", ""]),
            "bad_month",
            "5",
            "month",
            "",
        ),
        (
            "future_month.csv",
            with_row(["AE-4H", "RWD-MED-UEC", "2099-01", "1", "2", ""]),
            "future_month",
            "5",
            "month",
            "",
        ),
        (
            "no_suite.csv",
            with_row(["AE-4H", "RWD-MED-UEC", "2024-09", "1", "2", ""]),
            "no_suite",
            "5",
            "month",
            "",
        ),
        (
            "kpi_not_in_suite.csv",
            with_row(["RETIRED", "RWD-MED-UEC", "2025-09", "1", "", "1"]),
            "kpi_not_in_suite",
            "5",
            "kpi_code",
            "",
        ),
        (
            "unit_closed.csv",
            with_row(["FALLS", "RWD-MED-OLD", "2025-09", "1", "", "1"]),
            "unit_not_active",
            "5",
            "org_code",
            "",
        ),
        (
            "zero_denominator.csv",
            with_row(["AE-4H", "RWD-MED-UEC", "2025-09", "0", "0", ""]),
            "zero_denominator",
            "5",
            "denominator",
            "",
        ),
        (
            "numerator_too_big.csv",
            with_row(["AE-4H", "RWD-MED-UEC", "2025-09", "30", "20", ""]),
            "numerator_above_denominator",
            "5",
            "numerator",
            "",
        ),
        (
            "value_disagrees.csv",
            with_row(["AE-4H", "RWD-MED-UEC", "2025-09", "10", "20", "60"]),
            "value_disagrees",
            "5",
            "value",
            "",
        ),
        (
            "missing_denominator.csv",
            with_row(["AE-4H", "RWD-MED-UEC", "2025-09", "10", "", "50"]),
            "missing_denominator",
            "5",
            "denominator",
            "",
        ),
        (
            "duplicate_rows.csv",
            with_row(GOOD[0]),
            "duplicate_row",
            "5",
            "",
            "the same KPI, unit and month twice",
        ),
        ("header_only.csv", csv_text([]), "no_data_rows", "", "", "the header and nothing else"),
        (
            "cr_line_endings.csv",
            with_row(["AE-5H", "RWD-MED-UEC", "2025-09", "1", "2", ""]).replace("\r\n", "\r"),
            "unknown_kpi",
            "5",
            "kpi_code",
            "lines ending in a lone CR are read as lines",
        ),
        (
            "infinite_ratio.csv",
            with_row(["RATIO", "RWD-MED-UEC", "2025-09", "1000000000000", "1e-300", ""]),
            "not_finite",
            "5",
            "value",
            "numerator ÷ a tiny denominator overflows to infinity",
        ),
        (
            "implausible_ratio.csv",
            with_row(["RATIO", "RWD-MED-UEC", "2025-09", "1", "1e-24", ""]),
            "implausible_value",
            "5",
            "value",
            "a value of 1e24 worked out from a tiny denominator",
        ),
        (
            "fractional_count.csv",
            with_row(["FALLS", "RWD-MED-UEC", "2025-09", "2.5", "", ""]),
            "not_whole",
            "5",
            "numerator",
            "2.5 falls",
        ),
        ("formulas.xlsx", workbook(_formulas), "formula", "2", "value", "a formula in a cell"),
        ("merged_cells.xlsx", workbook(_merged), "merged_cells", "2", "org_code", ""),
        ("hidden_sheet.xlsx", workbook(_hidden), "hidden_sheet", "", "", ""),
        ("two_sheets.xlsx", workbook(_two_sheets), "several_sheets", "", "", ""),
        (
            "zip_bomb.xlsx",
            zip_of({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\x00" * 60_000_000}),
            "zip_bomb",
            "",
            "",
            "60 MB of zeros in a 60 kB archive",
        ),
        (
            "not_a_workbook.xlsx",
            zip_of({"notes.txt": b"hello"}),
            "not_a_spreadsheet",
            "",
            "",
            "a zip of something else",
        ),
        ("truncated.xlsx", good_xlsx[: len(good_xlsx) // 2], "damaged_file", "", "", "half a workbook"),
        (
            "macros.xlsx",
            zip_of({"xl/workbook.xml": b"<workbook/>", "xl/vbaProject.bin": b"\x00macro"}),
            "macros",
            "",
            "",
            "",
        ),
    ]


def main() -> None:
    for old in HERE.glob("*"):
        if old.name not in {"make_corpus.py", "README.md"}:
            old.unlink()
    rows = []
    for name, content, code, row, column, what in cases():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (HERE / name).write_bytes(data)
        rows.append([name, code, row, column, what])
    with (HERE / "expected.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["file", "code", "row", "column", "what"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} files and expected.csv to {HERE.name}/")


if __name__ == "__main__":
    main()
