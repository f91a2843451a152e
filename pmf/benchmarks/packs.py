"""One PRM data pack for a division of the large trust: the frozen snapshot built from the database and the
PDF printed with its SPC charts (drawn by the system Chromium while WeasyPrint lays the pack out), against
WeasyPrint printing the same pack's HTML without the charts, in the same run. The meeting and the pack are
rolled back afterwards; the division's published data stays, so a second run starts at once.

The chart browser is started before the clock starts, as it is in a worker that has printed before
(`kpis.chart_browser` keeps it running); the time it takes to start is reported on a line of its own."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import date

import pandas as pd
from django.db import transaction
from django.template.loader import render_to_string

from divisions.models import OrgUnit
from kpis.chart_browser import icon_pngs, start_browser, stop_browser
from kpis.models import Measurement, Upload
from kpis.printing import html_to_pdf
from kpis.services.measurements import publish_frame
from pmf.large_trust import LargeTrust
from pmf.periods import add_months
from reviews.models import Meeting
from reviews.services.defaults import seed_rating_defaults
from reviews.services.packs import build_pack, pack_context, render_pack_pdf

from . import Measure
from .ingest import _prepare, measurement_frame

# Two years of the division's teams: enough points for every chart to have its limits.
MONTHS = 24


class _Rollback(Exception):
    pass


def _division(trust: LargeTrust) -> OrgUnit:
    code = trust.units.loc[trust.units["level"] == "division", "code"].iloc[0]
    return OrgUnit.objects.get(code=code)


def _publish_division(trust: LargeTrust, division: OrgUnit) -> date:
    """Publish the division's team figures for the last ``MONTHS`` months (once); the roll-up, the SPC
    charts and the ratings follow the publish as they do in the product. Returns the latest month."""
    rows = trust.measurements
    months = sorted(pd.to_datetime(rows["month"]).dt.date.unique())[-MONTHS:]
    latest = months[-1]
    if Measurement.objects.filter(org_unit=division, month=latest, status="published").exists():
        return latest
    units = trust.units
    services = set(units.loc[units["parent_code"] == division.code, "code"])
    teams = set(units.loc[units["parent_code"].isin(services), "code"])
    part = rows[rows["org_code"].isin(teams) & pd.to_datetime(rows["month"]).dt.date.isin(months)]
    frame = measurement_frame(part, is_synthetic=True)
    seed_rating_defaults(actor=None)
    with transaction.atomic():
        upload = Upload.objects.create(sha256=f"bench-packs-{uuid.uuid4().hex}", status="valid")
        publish_frame(actor=None, upload=upload, frame=frame)
    return latest


def run(trust: LargeTrust) -> list[Measure]:
    for noisy in ("weasyprint", "fontTools"):  # their progress logs would bury the result
        logging.getLogger(noisy).setLevel(logging.WARNING)
    _prepare(trust)
    division = _division(trust)
    print(f"[packs] publishing {MONTHS} months of {division.name}'s teams (first run only)…")
    latest = _publish_division(trust, division)
    meeting_day = add_months(latest, 1).replace(day=14)
    timings: dict[str, float] = {}
    stop_browser()  # another part may have started it: time a start from nothing
    started = time.perf_counter()
    start_browser()
    icon_pngs()
    timings["browser"] = time.perf_counter() - started
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(division=division, scheduled_for=meeting_day)
            started = time.perf_counter()
            pack = build_pack(meeting=meeting, today=meeting_day)
            timings["build"] = time.perf_counter() - started
            pdf = render_pack_pdf(pack)
            timings["pack"] = time.perf_counter() - started
            assert pdf.startswith(b"%PDF")
            kpis = pack.snapshot["content"].get("kpis", [])
            charts = sum(1 for row in kpis if row.get("figure"))

            html = render_to_string("reviews/pack_pdf.html", {**pack_context(pack), "printing": True})
            started = time.perf_counter()
            html_to_pdf(html)
            timings["baseline"] = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return [
        Measure(
            part="packs",
            what=f"a data pack for {division.name} ({len(kpis)} KPIs, {charts} SPC charts) built "
            f"({timings['build']:.1f} s) and printed",
            seconds=timings["pack"],
            baseline="WeasyPrint of the same pack's HTML without its charts",
            baseline_seconds=timings["baseline"],
            goal="under 10 s",
        ),
        Measure(
            part="packs",
            what="starting the chart browser once per worker (Chromium with plotly.js loaded)",
            seconds=timings["browser"],
            baseline="the data pack above",
            baseline_seconds=timings["pack"],
            goal="none: paid once by a worker, not by each pack",
        ),
    ]
