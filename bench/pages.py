"""Server time of the home page, the IPR, the SPC summary matrix, a division's page and its dashboard on the
large trust, and the time to build the IPR board pack, through the Django test client.

The large trust (60 months) is published month by month through the real publishing service (roll-up,
stored SPC charts, division ratings) into the configured database, once: the pages read what is stored. The
baseline is the health-check page, measured in the same run: the cost of a request through the same
middleware, sessions and templates with no content.
"""

from __future__ import annotations

import gc
import statistics
import time
import uuid
from datetime import date

import pandas as pd
from django.db import transaction
from django.test import Client

from bench.large_trust import LargeTrust
from divisions.models import Level, OrgUnit
from divisions.selectors import default_trust
from kpis.chart_browser import start_browser
from kpis.models import Measurement, Upload
from kpis.services.measurements import publish_frame
from pmf.models import User
from reviews.ipr.store import forget_ipr_content, warm_latest_ipr_content
from reviews.models import IprReport
from reviews.services.defaults import seed_rating_defaults
from reviews.services.ipr_pack import board_pack_pdf

from . import Measure
from .ingest import _prepare, measurement_frame

REQUESTS = 40


def _publish_trust(trust: LargeTrust) -> date:
    """Publish all the large trust's team figures at once (first run only; publishing is idempotent);
    the roll-up, the stored SPC charts and the division ratings follow as they do in the product."""
    _prepare(trust)
    seed_rating_defaults(actor=None)
    rows = trust.measurements
    months = pd.to_datetime(rows["month"]).dt.date
    if Measurement.objects.filter(org_unit__code="LT", month=months.min(), status="published").exists():
        return months.max()
    print(f"[pages] publishing {len(rows):,} rows of the large trust (first run only)…")
    with transaction.atomic():
        upload = Upload.objects.create(sha256=f"bench-pages-{uuid.uuid4().hex}", status="valid")
        publish_frame(actor=None, upload=upload, frame=measurement_frame(rows, is_synthetic=True))
    return months.max()


def _p95(client: Client, url: str) -> float:
    client.get(url)  # warm the caches a real server would have warm
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.quantiles(times, n=20)[-1]


def run(trust: LargeTrust) -> list[Measure]:
    latest = _publish_trust(trust)
    if default_trust() is None or default_trust().code != "LT":  # type: ignore[union-attr]
        print("[pages] skipped: needs a database of the large trust alone (DATABASE_URL=sqlite:///bench.db)")
        return []
    reader, _ = User.objects.get_or_create(username="bench.exec", defaults={"is_superuser": True})
    client = Client()
    client.force_login(reader)
    division = OrgUnit.objects.filter(parent__code="LT", level=Level.DIVISION).order_by("code").first()
    assert division is not None
    gc.freeze()  # as the WSGI server does once the application is loaded (roof/wsgi.py)
    baseline = _p95(client, "/health/")
    forget_ipr_content()  # as after a publish: the stored content is built once, then read by every page
    started = time.perf_counter()
    warm_latest_ipr_content()
    build = time.perf_counter() - started
    month = f"{latest:%Y-%m}"
    ipr = f"/ipr/{month}/"
    pages = [
        ("the home page (every KPI's latest trust value)", "/"),
        ("the IPR page", ipr),
        ("the SPC summary matrix page", f"/ipr/{month}/matrix/"),
        (f"a division's page ({division.code})", f"/divisions/{division.code}/"),
        (f"a division's dashboard ({division.code})", f"/divisions/{division.code}/dashboard/"),
    ]
    measures = [
        Measure(
            part="pages",
            what=f"p95 of {REQUESTS} requests: {what}",
            seconds=_p95(client, url),
            baseline="p95 of the health-check page",
            baseline_seconds=baseline,
            goal="under 250 ms",
        )
        for what, url in pages
    ]
    measures.append(
        Measure(
            part="pages",
            what="building the stored IPR content and every division's scorecard after a change "
            "(once, in the background after each publish)",
            seconds=build,
            baseline="p95 of the IPR page that reads it",
            baseline_seconds=next(
                m.seconds for m, (_, url) in zip(measures, pages, strict=True) if url == ipr
            ),
            goal="none: not in a reader's request",
        )
    )
    start_browser()  # as in a worker that has printed before (the packs part times the start)
    started = time.perf_counter()
    board_pack_pdf(IprReport(month=latest))  # a draft's pack: live content, unsaved
    pack = time.perf_counter() - started
    measures.append(
        Measure(
            part="pages",
            what="the IPR board pack PDF (content, charts drawn by Chromium while WeasyPrint lays it out)",
            seconds=pack,
            baseline="p95 of the same report's HTML page",
            baseline_seconds=_p95(client, f"/ipr/{month}/"),
            goal="under 30 s",
        )
    )
    return measures
