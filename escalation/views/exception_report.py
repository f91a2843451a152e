"""The contractual and CQUIN exception report: the page, its PDF and its CSV."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from kpis.printing import html_to_pdf
from pmf.exports import csv_response
from pmf.formatting import format_value
from pmf.periods import parse_month
from pmf.permissions import can_read_exception_report, require

from .. import selectors


def _report(request: HttpRequest) -> selectors.ExceptionReport:
    text = request.GET.get("month", "")
    try:
        month = parse_month(text) if text else selectors.latest_published_month()
    except ValueError as error:
        raise Http404(str(error)) from error
    if month is None:
        raise Http404("No published data yet")
    return selectors.exception_report(month)


@require(can_read_exception_report)
def exception_report(request: HttpRequest) -> HttpResponse:
    return render(request, "escalation/exception_report.html", {"report": _report(request)})


@require(can_read_exception_report)
def exception_report_pdf(request: HttpRequest) -> HttpResponse:
    report = _report(request)
    html = render_to_string("escalation/exception_report_print.html", {"report": report, "printing": True})
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="contract-exceptions-{report.month:%Y-%m}.pdf"'
    return response


@require(can_read_exception_report)
def exception_report_csv(request: HttpRequest) -> HttpResponse:
    """The report for a spreadsheet: value and plan as numbers in the KPI's unit (named in their own column),
    so they can be summed and sorted, and beside them as the page writes them."""
    report = _report(request)
    header = [
        "month",
        "kpi_code",
        "kpi",
        "source",
        "unit",
        "value",
        "plan",
        "value_as_written",
        "plan_as_written",
        "outcome",
        "reason",
        "divisions_not_met",
    ]
    rows = [
        [
            f"{report.month:%Y-%m}",
            row.kpi.code,
            row.kpi.name,
            row.kpi.get_source_display(),
            row.kpi.get_unit_display(),
            row.value,
            row.plan,
            format_value(row.value, row.kpi.unit),
            format_value(row.plan, row.kpi.unit),
            str(row.outcome),
            row.reason,
            "; ".join(miss.division.name for miss in row.divisions_not_met),
        ]
        for row in report.rows
    ]
    return csv_response(filename=f"contract-exceptions-{report.month:%Y-%m}.csv", header=header, rows=rows)
