"""Printing a report to PDF: WeasyPrint lays the HTML out; its images come from the chart browser.

A printed template names its images instead of embedding them:

- ``print-image:icon-frame/variation/concern_low`` for an SPC icon (the `spc_*_icon` tags write these when
  the template's context has ``printing``), drawn once per process as a PNG (`kpis.chart_browser.icon_pngs`);
- ``print-image:frame/<n>`` for the n-th chart given to `draw_report_charts`, which starts drawing the
  charts in the background and gives each row its ``chart_src``.

Each is a frame: a small SVG of the image's size holding one ``<image>`` (``print-image:icon/…``,
``print-image:chart/<n>``). WeasyPrint lays the document out knowing only the frames, and asks for the
images themselves when it draws the pages. So Chromium starts (on a worker's first report), draws the icons
and the charts while WeasyPrint reads, styles and lays out the report, on another core.

`html_to_pdf` hands WeasyPrint a fetcher that serves those names and nothing else, so a report never reads a
file or the network while it is printed, whatever text it carries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from .chart_browser import ICON_PIXELS, ChartRenderingError, draw_charts, icon_pngs

SCHEME = "print-image:"
CHART_WIDTH = 900


def icon_src(kind: str, key: str | None) -> str:
    """The name a printed page gives an icon: ``kind`` is "variation" or "assurance"."""
    return f"{SCHEME}icon-frame/{kind}/{key or 'none'}"


def _frame(src: str, width: int, height: int) -> bytes:
    """The SVG that stands in for the image ``src`` while the page is laid out."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">'
        f'<image href="{src}" x="0" y="0" width="{width}" height="{height}"/></svg>'
    ).encode()


@dataclass(frozen=True)
class ReportCharts:
    """A report's charts being drawn: the images (when ready) and their size in CSS pixels."""

    images: Future[list[bytes]]
    width: int
    height: int

    def frame(self, n: int) -> bytes:
        """The SVG that stands in for chart ``n`` while the page is laid out."""
        return _frame(f"{SCHEME}chart/{n}", self.width, self.height)


def draw_report_charts(
    rows: Sequence[dict[str, Any]], *, height: int, width: int = CHART_WIDTH
) -> ReportCharts | None:
    """Start drawing the chart of each row that has a stored plotly ``figure`` and give that row a
    ``chart_src`` naming its image. Returns the drawing under way (None when no row has a chart), for
    `html_to_pdf`."""
    charted = [row for row in rows if row.get("figure")]
    for n, row in enumerate(charted):
        row["chart_src"] = f"{SCHEME}frame/{n}"
    if not charted:
        return None
    figures: list[Mapping[str, Any]] = [row["figure"] for row in charted]
    return ReportCharts(draw_charts(figures, width=width, height=height), width, height)


def _image(url: str, charts: ReportCharts | None) -> tuple[bytes, str]:
    """The bytes and type of one named image; `ChartRenderingError` if the browser failed."""
    kind, _, name = url.removeprefix(SCHEME).partition("/")
    if kind == "icon-frame":
        return _frame(f"{SCHEME}icon/{name}", ICON_PIXELS, ICON_PIXELS), "image/svg+xml"
    if kind == "icon":
        return icon_pngs()[name], "image/png"
    if charts is not None and kind == "frame":
        return charts.frame(int(name)), "image/svg+xml"
    if charts is not None and kind == "chart":
        return charts.images.result()[int(name)], "image/jpeg"  # the browser keeps its own time limit
    raise ValueError(f"no image named {url!r}")


def _fetcher(charts: ReportCharts | None, failures: list[ChartRenderingError]) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ReportImages(URLFetcher):  # type: ignore[misc]
        """Serves the report's named images; refuses every other address. A chart the browser failed to draw
        is noted in ``failures``: WeasyPrint leaves out an image it cannot load and goes on."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith(SCHEME):
                raise ValueError(f"a printed report reads no address but its own images, not {url!r}")
            try:
                data, mime_type = _image(url, charts)
            except ChartRenderingError as exc:
                failures.append(exc)
                raise
            return URLFetcherResponse(url, data, {"Content-Type": mime_type})

    return ReportImages()


def html_to_pdf(html: str, *, charts: ReportCharts | None = None) -> bytes:
    """The PDF of a printed report's HTML, with its named icons and the charts being drawn (`charts`).

    A chart the browser could not draw stops the PDF with a `ChartRenderingError` that says why, rather than
    printing a report with holes in it.
    """
    from weasyprint import HTML

    failures: list[ChartRenderingError] = []
    pdf: bytes = HTML(string=html, url_fetcher=_fetcher(charts, failures)).write_pdf()
    if failures:
        raise failures[0]
    return pdf
