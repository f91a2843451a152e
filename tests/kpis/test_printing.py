"""Printing reports: the chart browser (the system Chromium) and WeasyPrint with its own image fetcher."""

import io
import os

import pytest
from PIL import Image
from pypdf import PdfReader

from kpis import chart_browser
from kpis.chart_browser import ChartRenderingError, draw_charts, icon_pngs
from kpis.charts import figure_data, xmr_spec
from kpis.printing import draw_report_charts, html_to_pdf, icon_src
from kpis.spc import analyse

from .test_charts import SHIFT_BELOW, months

BROWSER = os.environ.get("PMF_CHROMIUM") or chart_browser.DEFAULT_CHROMIUM
# CI sets PMF_REQUIRE_BROWSER, so there a missing Chromium fails these tests instead of skipping them.
needs_chromium = pytest.mark.skipif(
    not os.path.isfile(BROWSER) and not os.environ.get("PMF_REQUIRE_BROWSER"),
    reason=f"needs Chromium at {BROWSER} (apt-get install chromium)",
)


def figure(title="Four-hour standard"):
    result = analyse(SHIFT_BELOW, target=56)
    return figure_data(xmr_spec(result, months=months(len(SHIFT_BELOW)), title=title, unit="percent"))


def pdf_images(pdf):
    """The distinct images the PDF holds (a page lists every image its resources name)."""
    found = {image.data: image.image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images}
    return list(found.values())


def test_without_chromium_the_error_names_the_setting(monkeypatch, tmp_path):
    monkeypatch.setattr(chart_browser, "_browser", None)  # as in a process that has drawn nothing yet
    monkeypatch.setenv("PMF_CHROMIUM", str(tmp_path / "no-browser"))

    with pytest.raises(ChartRenderingError, match="PMF_CHROMIUM"):
        draw_charts([figure()])


@needs_chromium
def test_charts_are_drawn_at_print_resolution_in_the_order_given():
    images = draw_charts([figure("First"), figure("Second")], width=600, height=300).result(timeout=120)

    assert len(images) == 2
    for data in images:
        image = Image.open(io.BytesIO(data))
        assert (image.format, image.size) == ("JPEG", (900, 450))  # 1.5 device pixels per CSS pixel
    assert images[0] != images[1]  # each figure drawn, not one repeated


@needs_chromium
def test_every_icon_is_drawn_once_as_a_png():
    icons = icon_pngs()

    assert {"variation/concern_low", "variation/none", "assurance/consistent_fail", "assurance/none"} <= set(
        icons
    )
    for data in icons.values():
        image = Image.open(io.BytesIO(data))
        assert (image.format, image.size) == ("PNG", (96, 96))
    assert icon_pngs()["variation/concern_low"] is icons["variation/concern_low"]  # drawn once per process


@needs_chromium
def test_a_printed_report_places_its_charts_and_one_image_per_distinct_icon():
    rows = [{"name": "A", "figure": figure("A")}, {"name": "B", "figure": figure("B")}, {"name": "C"}]
    charts = draw_report_charts(rows, height=340)
    icons = "".join(f'<img src="{icon_src("variation", "concern_low")}" alt="">' for _ in range(40))
    html = icons + "".join(f'<img src="{r["chart_src"]}" alt="">' for r in rows if "chart_src" in r)

    pdf = html_to_pdf(html, charts=charts)

    sizes = sorted(image.size for image in pdf_images(pdf))
    assert "chart_src" not in rows[2]
    assert sizes.count((1350, 510)) == 2  # both charts, at print resolution
    assert sizes.count((96, 96)) == 1  # forty icons, one image placed forty times


def test_a_printed_report_reads_no_file_and_no_address(tmp_path):
    secret = tmp_path / "secret.png"
    Image.new("RGB", (10, 10), "red").save(secret)

    pdf = html_to_pdf(f'<p>Report</p><img src="{secret.as_uri()}"><img src="http://127.0.0.1:9/x.png">')

    assert pdf.startswith(b"%PDF") and pdf_images(pdf) == []


@needs_chromium
def test_a_chart_the_browser_cannot_draw_in_time_stops_the_pdf_with_a_clear_error(monkeypatch):
    rows = [{"name": "Slow", "figure": figure()}]
    icon_pngs()  # the browser is up; only the chart is late
    monkeypatch.setattr(chart_browser, "CHART_TIMEOUT", 0.000001)
    charts = draw_report_charts(rows, height=340)

    with pytest.raises(ChartRenderingError, match="Chromium could not draw the charts"):
        html_to_pdf(f'<img src="{rows[0]["chart_src"]}" alt="">', charts=charts)


@needs_chromium
def test_a_browser_that_died_is_started_again():
    draw_charts([figure()]).result(timeout=120)
    chart_browser._running_browser().close()

    images = draw_charts([figure()]).result(timeout=120)

    assert Image.open(io.BytesIO(images[0])).format == "JPEG"


@needs_chromium
def test_a_worker_process_starts_its_browser_as_it_starts(settings):
    from celery.signals import worker_process_init

    chart_browser.stop_browser()
    settings.PMF_CHART_BROWSER_AT_WORKER_START = False
    worker_process_init.send(sender="test")
    assert chart_browser._browser is None

    settings.PMF_CHART_BROWSER_AT_WORKER_START = True
    worker_process_init.send(sender="test")
    started = chart_browser._browser
    assert started is not None and started.alive

    draw_charts([figure()]).result(timeout=120)
    assert chart_browser._browser is started  # the first charts used the browser started with the process


def test_a_worker_without_chromium_starts_and_logs_why(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(chart_browser, "_browser", None)
    monkeypatch.setenv("PMF_CHROMIUM", str(tmp_path / "no-browser"))

    chart_browser.start_browser_in_background()

    assert chart_browser._browser is None
    assert "The chart browser was not started: Drawing charts for PDFs needs Chromium at" in caplog.text
