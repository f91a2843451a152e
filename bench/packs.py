"""One PRM data pack for a division of the large trust: the frozen snapshot built from the database and the
PDF printed with its SPC charts (drawn by the system Chromium while WeasyPrint lays the pack out), against
WeasyPrint printing the same pack's HTML without the charts, in the same run. The meeting and the pack are
rolled back afterwards; the division's published data stays, so a second run starts at once.

The same pack is timed twice: first as a worker's first pack, which starts the chart browser as it prints,
then as every later pack of that worker, with the browser running (`kpis.chart_browser` keeps it)."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import date

import pandas as pd
from django.db import transaction
from django.template.loader import render_to_string

from bench.large_trust import LargeTrust
from divisions.models import OrgUnit
from kpis.chart_browser import stop_browser
from kpis.models import Measurement, Upload
from kpis.printing import html_to_pdf
from kpis.services.measurements import publish_frame
from pmf.periods import add_months
from reviews.models import DataPack, Meeting
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


def _build_and_print(meeting: Meeting, day: date, timings: dict[str, float], key: str) -> DataPack:
    started = time.perf_counter()
    pack = build_pack(meeting=meeting, today=day)
    timings[f"{key} build"] = time.perf_counter() - started
    assert render_pack_pdf(pack).startswith(b"%PDF")
    timings[key] = time.perf_counter() - started
    return pack


def run(trust: LargeTrust) -> list[Measure]:
    for noisy in ("weasyprint", "fontTools"):  # their progress logs would bury the result
        logging.getLogger(noisy).setLevel(logging.WARNING)
    _prepare(trust)
    division = _division(trust)
    print(f"[packs] publishing {MONTHS} months of {division.name}'s teams (first run only)…")
    latest = _publish_division(trust, division)
    meeting_day = add_months(latest, 1).replace(day=14)
    timings: dict[str, float] = {}
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(division=division, scheduled_for=meeting_day)
            stop_browser()  # the first pack of a worker starts the chart browser as it prints
            _build_and_print(meeting, meeting_day, timings, "cold")
            pack = _build_and_print(meeting, meeting_day, timings, "pack")
            kpis = pack.snapshot["content"].get("kpis", [])
            charts = sum(1 for row in kpis if row.get("figure"))

            html = render_to_string("reviews/pack_pdf.html", {**pack_context(pack), "printing": True})
            started = time.perf_counter()
            html_to_pdf(html)
            timings["baseline"] = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    what = f"a data pack for {division.name} ({len(kpis)} KPIs, {charts} SPC charts) built"
    baseline = "WeasyPrint of the same pack's HTML without its charts"
    return [
        Measure(
            part="packs",
            what=f"{what} ({timings['pack build']:.1f} s) and printed, the chart browser running",
            seconds=timings["pack"],
            baseline=baseline,
            baseline_seconds=timings["baseline"],
            goal="under 10 s",
        ),
        Measure(
            part="packs",
            what=f"{what} ({timings['cold build']:.1f} s) and printed, starting the chart browser "
            "(a worker's first pack)",
            seconds=timings["cold"],
            baseline=baseline,
            baseline_seconds=timings["baseline"],
            goal="under 10 s",
        ),
    ]
