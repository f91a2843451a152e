"""The IPR board pack: the report as a PDF, with a cover sheet and the exception charts as images."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from kpis.printing import draw_report_charts, html_to_pdf
from pmf.services.audit import record_audit

from ..ipr.content import IprContent
from ..ipr.selectors import arranged
from ..ipr.store import draft_ipr_content
from ..models import IprReport

PURPOSE = (
    "To give the Board assurance on the trust's performance against its key performance indicators, using "
    "statistical process control to tell signals from noise, and to set out where performance is off plan, "
    "why, and what is being done."
)
DEFAULT_RECOMMENDATION = (
    "The Board is asked to note the report and the actions being taken on the exceptions."
)


def board_pack_content(report: IprReport) -> IprContent:
    """What the pack prints: the published snapshot (so the pack matches what the Board saw), or the draft's
    live content."""
    if report.snapshot:
        return IprContent.from_json(report.snapshot)
    return draft_ipr_content(report.month, with_figures=True)


def board_pack_pdf(report: IprReport, content: IprContent | None = None) -> bytes:
    """The board pack as a PDF of ``content`` (by default `board_pack_content`).

    1. Start drawing each exception's chart through the system Chromium (`kpis.printing`).
    2. Fill the pack template: a cover (the trust, the report and its month, its status, the meeting it
       goes to, purpose, lead director, recommendation and a contents list with page numbers), summary,
       matrix (on one page), scorecard, exceptions, predictive performance, data notes; "data as at" in
       every page's footer.
    3. WeasyPrint lays it out while the charts are drawn, and places them when they are ready.
    """
    context = arranged(content or board_pack_content(report), report=report)
    charts = draw_report_charts(context["exceptions"], height=360)
    html = render_to_string(
        "reviews/ipr_pack.html",
        {
            **context,
            "report": report,
            "purpose": PURPOSE,
            "recommendation": report.recommendation or DEFAULT_RECOMMENDATION,
            "printing": True,
        },
    )
    return html_to_pdf(html, charts=charts)


def build_ipr_pack(*, report: IprReport) -> IprReport:
    """Build (or rebuild) the PDF board pack of ``report`` and store it with the report."""
    pdf = board_pack_pdf(report)
    name = f"ipr-board-pack-{report.month:%Y-%m}.pdf"
    if report.pdf:
        report.pdf.delete(save=False)
    report.pdf.save(name, ContentFile(pdf), save=False)
    report.pdf_built_at = timezone.now()
    report.save(update_fields=["pdf", "pdf_built_at"])
    record_audit(
        actor=None,
        verb="board pack built",
        object_type=IprReport._meta.label,
        object_id=report.pk,
        after={"month": report.month.isoformat(), "status": report.status, "pdf": report.pdf.name},
    )
    return report
