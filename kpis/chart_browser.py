"""Chart and icon images for printed reports, drawn by plotly.js in the system Chromium.

A PDF data pack or board pack shows its SPC charts as images, drawn from the same plotly figures the pages
draw live, by the same plotly.js (the copy inside the installed plotly package, so nothing is fetched from
the network). The browser is started once per process, on first use, and kept: a worker that prints packs
pays for starting Chromium and loading plotly.js once, not once per pack; a Celery worker process starts it
as the process starts (``roof.celery``), so not even its first pack waits.

- `draw_charts(figures, width=…, height=…)` returns a future of the images, one per figure, drawn in the
  background: the caller goes on (laying out the rest of the report) while Chromium draws. They are JPEG
  images at plotly's default quality: a PDF holds a JPEG as it is, where WeasyPrint decodes a PNG and encodes
  it again (twice, for its transparency), which cost a second on a 50-chart pack.
- `icon_pngs()` returns the variation and assurance icons (`kpis.icons`) as PNG images, drawn once per
  process: a printed page repeats a few icons hundreds of times, and an image is drawn once and placed many
  times where a vector drawing is laid out afresh each time.

The browser runs in a thread of its own with its own event loop, so views, tasks and commands can all call
it; a browser that has died is started again on the next call. `PMF_CHROMIUM` names another browser.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import contextlib
import logging
import os
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from typing import Any

from .charts import PLOTLY_JS_PATH
from .icons import ASSURANCE_ICONS, VARIATION_ICONS, assurance_icon_svg, variation_icon_svg

logger = logging.getLogger(__name__)

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# Pages drawing at once: Chromium gives each its own renderer process, so two use two cores.
TABS = 2
# Icons are drawn at this many pixels across: sharp when printed at 22 CSS pixels.
ICON_PIXELS = 96
# Seconds allowed to start the browser, and to draw one chart.
START_TIMEOUT = 60
CHART_TIMEOUT = 30

_DRAW_CHARTS = """async ([figures, width, height, scale]) => {
  const images = [];
  for (const f of figures) {
    const options = {format: 'jpeg', width, height, scale};
    images.push(await Plotly.toImage({data: f.data, layout: f.layout}, options));
  }
  return images;
}"""
_DRAW_SVGS = """async (svgs) => Promise.all(svgs.map((svg) => new Promise((resolve, reject) => {
  const image = new Image();
  image.onload = () => {
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    canvas.getContext('2d').drawImage(image, 0, 0);
    resolve(canvas.toDataURL('image/png'));
  };
  image.onerror = () => reject(new Error('the icon could not be drawn'));
  image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
})))"""


class ChartRenderingError(RuntimeError):
    """The charts could not be drawn: no browser, or the browser failed. The message says what to do."""


def chromium_path() -> str:
    """The browser used to draw images: `PMF_CHROMIUM`, or the system Chromium."""
    return os.environ.get("PMF_CHROMIUM") or DEFAULT_CHROMIUM


def _decoded(data_url: str) -> bytes:
    return base64.b64decode(data_url.partition(",")[2])


def _icon_svgs() -> dict[str, str]:
    """Every icon's SVG by the name a printed page asks for: ``variation/<key>``, ``assurance/<key>``."""
    svgs = {f"variation/{k}": variation_icon_svg(k, size=ICON_PIXELS) for k in VARIATION_ICONS}
    svgs |= {f"assurance/{k}": assurance_icon_svg(k, size=ICON_PIXELS) for k in ASSURANCE_ICONS}
    svgs["variation/none"] = variation_icon_svg(None, size=ICON_PIXELS)
    svgs["assurance/none"] = assurance_icon_svg(None, size=ICON_PIXELS)
    return svgs


class _Browser:
    """One Chromium with `TABS` pages that have plotly.js loaded, driven from a thread of its own."""

    def __init__(self, path: str) -> None:
        self._plotly_js = str(PLOTLY_JS_PATH)
        self._path = path
        self._pages: list[Any] = []
        self._browser: Any = None
        self._playwright: Any = None
        self._closed = False
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="chart-browser", daemon=True)
        self._thread.start()
        self._ready = asyncio.run_coroutine_threadsafe(self._open(), self._loop)

    async def _open(self) -> None:
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(
            executable_path=self._path, args=["--disable-gpu", "--disable-extensions"]
        )
        self._pages = list(await asyncio.gather(*(self._page() for _ in range(TABS))))

    async def _page(self) -> Any:
        """A page with plotly.js loaded, in a context of its own: so its own renderer process, and the pages
        load plotly.js at the same time."""
        context = await self._browser.new_context()
        page = await context.new_page()
        await page.set_content("<!doctype html><html><body></body></html>")
        await page.add_script_tag(path=self._plotly_js)
        return page

    @property
    def alive(self) -> bool:
        if self._closed:
            return False
        if not self._ready.done():
            return self._thread.is_alive()
        return self._ready.exception() is None and self._browser.is_connected()

    async def ready(self) -> None:
        await asyncio.wrap_future(self._ready)

    def submit(self, work: Any) -> Future[Any]:
        return asyncio.run_coroutine_threadsafe(work, self._loop)

    async def charts(self, figures: Sequence[Mapping[str, Any]], size: tuple[int, int, float]) -> list[bytes]:
        """Deal the figures round the pages, draw each page's share in turn, keep the original order."""
        shares = [list(range(i, len(figures), len(self._pages))) for i in range(len(self._pages))]
        drawn = await asyncio.gather(
            *(
                page.evaluate(_DRAW_CHARTS, [[figures[i] for i in share], *size])
                for page, share in zip(self._pages, shares, strict=True)
                if share
            )
        )
        images: list[bytes] = [b""] * len(figures)
        for share, urls in zip([s for s in shares if s], drawn, strict=True):
            for i, url in zip(share, urls, strict=True):
                images[i] = _decoded(url)
        return images

    async def svgs(self, svgs: Sequence[str]) -> list[bytes]:
        return [_decoded(url) for url in await self._pages[0].evaluate(_DRAW_SVGS, list(svgs))]

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True

        async def shut() -> None:
            if self._browser is not None:
                await self._browser.close()
            if self._playwright is not None:
                await self._playwright.stop()

        with contextlib.suppress(Exception):  # closing a browser that has already died is not an error
            self.submit(shut()).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)


_lock = threading.Lock()
_browser: _Browser | None = None
_icons: dict[str, bytes] = {}


def _forget_after_fork() -> None:
    """A forked worker must start its own browser: the parent's thread does not exist in the child."""
    global _browser
    _browser = None


os.register_at_fork(after_in_child=_forget_after_fork)


@atexit.register
def stop_browser() -> None:
    """Close the process's browser and forget the icons it drew (at exit, or to time a start from nothing);
    the next use starts a browser again."""
    global _browser
    with _lock:
        if _browser is not None:
            _browser.close()
        _browser = None
        _icons.clear()


def _running_browser() -> _Browser:
    """The process's browser, started (or started again, if it died) now."""
    global _browser
    with _lock:
        if _browser is None or not _browser.alive:
            try:
                import playwright.async_api  # noqa: F401
            except ImportError as exc:
                raise ChartRenderingError(
                    "Drawing charts for PDFs needs the playwright package, which drives the system Chromium."
                ) from exc
            path = chromium_path()
            if not os.path.isfile(path):
                raise ChartRenderingError(
                    f"Drawing charts for PDFs needs Chromium at {path}: install it, or set PMF_CHROMIUM to "
                    "the browser's path."
                )
            if _browser is not None:
                _browser.close()
            _browser = _Browser(path)
        return _browser


def _result(future: Future[Any], timeout: float) -> Any:
    try:
        return future.result(timeout=timeout)
    except Exception as exc:
        raise ChartRenderingError(f"Chromium could not draw the charts: {exc}") from exc


def start_browser() -> None:
    """Start the browser now (it is otherwise started on first use) and wait until it is ready."""
    browser = _running_browser()
    _result(browser.submit(browser.ready()), START_TIMEOUT)


def start_browser_in_background() -> None:
    """Start the browser without waiting for it: a worker process does this as it starts, so that its first
    pack finds the browser ready. A missing browser is only logged here; the first PDF then says what is
    wrong."""
    try:
        _running_browser()
    except ChartRenderingError as exc:
        logger.warning("The chart browser was not started: %s", exc)


def draw_charts(
    figures: Sequence[Mapping[str, Any]], *, width: int = 900, height: int = 360, scale: float = 1.5
) -> Future[list[bytes]]:
    """JPEG images of plotly figures (each a dict with ``data`` and ``layout``), drawn in the background.

    The images are `width` × `height` CSS pixels, `scale` times as many device pixels for print. The future's
    `result()` raises `ChartRenderingError` if the browser failed or took longer than `CHART_TIMEOUT`
    seconds a chart.
    """
    browser = _running_browser()
    size = (width, height, scale)

    async def draw() -> list[bytes]:
        await asyncio.wait_for(browser.ready(), START_TIMEOUT)
        return await asyncio.wait_for(browser.charts(figures, size), CHART_TIMEOUT * len(figures))

    inner = browser.submit(draw())
    outer: Future[list[bytes]] = Future()

    def settle(done: Future[list[bytes]]) -> None:
        error = done.exception()
        if error is None:
            outer.set_result(done.result())
        else:
            outer.set_exception(ChartRenderingError(f"Chromium could not draw the charts: {error}"))

    inner.add_done_callback(settle)
    return outer


def icon_pngs() -> dict[str, bytes]:
    """Every variation and assurance icon as a PNG, by name (``variation/concern_low``), drawn once."""
    if not _icons:
        svgs = _icon_svgs()
        browser = _running_browser()

        async def draw() -> list[bytes]:
            await browser.ready()
            return await browser.svgs(list(svgs.values()))

        _icons.update(zip(svgs, _result(browser.submit(draw()), START_TIMEOUT), strict=True))
    return dict(_icons)
