"""A small generated trust for the pipeline's tests, and what the pipeline stores from it.

Run as a module it is also the separate process the fault-injection tests need: it sets up the trust in the
database ``DATABASE_URL`` names, writes a month's upload file, or prints what is stored.
"""

from __future__ import annotations

import json
import sys
import uuid
from datetime import date
from pathlib import Path
from typing import Any

LAST_MONTH = "2025-06-01"  # the generated trust's last month, left unpublished by ``set_up``
SPEC = dict(
    divisions=2, services=4, teams=8, kpis=12, months=15, kpis_per_team=6, first_month=date(2024, 4, 1)
)


def generated() -> Any:
    from bench.large_trust import LargeTrustSpec, generate

    return generate(LargeTrustSpec(**SPEC))  # type: ignore[arg-type]


def set_up(*, months: int | None = None) -> Any:
    """The trust's tree, catalogue, suites, rating defaults and a performance-team user, and its first
    ``months`` months published (all but the last by default); returns the generated trust."""
    from django.db import transaction

    from bench.ingest import _prepare
    from divisions.models import RoleAssignment
    from pmf.models import User
    from reviews.services.defaults import seed_rating_defaults

    trust = generated()
    _prepare(trust)
    seed_rating_defaults(actor=None)
    perf, _ = User.objects.get_or_create(username="perf")
    RoleAssignment.objects.get_or_create(user=perf, role="performance_team", start=date(2016, 4, 1))
    all_months = sorted(trust.measurements["month"].unique())
    with transaction.atomic():
        publish(trust, all_months[: (len(all_months) - 1) if months is None else months])
    return trust


def month_rows(trust: Any, month: str, *, scale: float = 1.0) -> Any:
    rows = trust.measurements[trust.measurements["month"] == month].copy()
    if scale != 1.0:  # a restatement: every count and mean scaled, every ratio's numerator with it
        rows["numerator"] = (rows["numerator"] * scale).round()
        rows["value"] = rows["value"].where(
            rows["denominator"].isna(), 100 * rows["numerator"] / rows["denominator"]
        )
        rows["value"] = rows["value"].where(rows["denominator"].notna(), (rows["value"] * scale).round())
    return rows


def publish(trust: Any, months: list[str], *, scale: float = 1.0) -> None:
    """Publish the months' team figures through the publishing service (as the demo loader does)."""
    import pandas as pd

    from bench.ingest import measurement_frame
    from kpis.models import Upload
    from kpis.services.measurements import publish_frame

    rows = pd.concat([month_rows(trust, m, scale=scale) for m in months])
    upload = Upload.objects.create(sha256=f"test-{uuid.uuid4().hex}", status="valid")
    publish_frame(actor=None, upload=upload, frame=measurement_frame(rows, is_synthetic=True))


def write_upload(trust: Any, month: str, path: Path, *, scale: float = 1.0) -> Path:
    """A month's upload file, as a team would send it."""
    month_rows(trust, month, scale=scale).to_csv(path, index=False, float_format="%.6g")
    return path


def stored() -> dict[str, Any]:
    """What the pipeline stores, in a form two databases' copies can be compared by: every chart's series
    and points, every division rating, and the newest month's draft IPR content and scorecards."""
    from kpis.models import SpcPoint, SpcSeries
    from reviews.ipr.store import _version
    from reviews.models import DivisionRating, IprDraftContent

    series = sorted(
        SpcSeries.objects.values_list(
            "kpi__code", "org_unit__code", "latest_month", "n_points", "variation_icon", "assurance", "mean"
        )
    )
    points = sorted(
        SpcPoint.objects.values_list(
            "series__kpi__code", "series__org_unit__code", "month", "value", "mean", "upl", "lpl", "rule"
        )
    )
    ratings = sorted(
        DivisionRating.objects.values_list(
            "division__code", "month", "computed_position", "effective_position", "review_frequency"
        )
    )
    current = _version()
    ipr = sorted(
        (str(row["month"]), row["scope"], json.dumps(row["content"], sort_keys=True, default=str))
        for row in IprDraftContent.objects.filter(version=current).values("month", "scope", "content")
    )
    return json.loads(
        json.dumps({"series": series, "points": points, "ratings": ratings, "ipr": ipr}, default=str)
    )


def rebuilt() -> dict[str, Any]:
    """What a clean rebuild from the published data stores: every step, every KPI, every month."""
    from pipeline.steps import STEPS, Plan
    from reviews.ipr.store import forget_ipr_content

    forget_ipr_content()
    for step in STEPS:
        step.run(Plan())
    return stored()


def main(argv: list[str]) -> None:
    import django

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    django.setup()
    command = argv[0]
    if command == "set-up":
        set_up()
    elif command == "write-upload":
        write_upload(generated(), argv[1], Path(argv[2]), scale=float(argv[3]) if len(argv) > 3 else 1.0)
    elif command == "stored":
        print(json.dumps(stored()))
    elif command == "rebuilt":
        print(json.dumps(rebuilt()))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmf.settings")
    main(sys.argv[1:])
