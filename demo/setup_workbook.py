"""A demonstration trust's configuration as a setup workbook, built from its ``fixtures/<trust>/`` files.

The demo then loads it through the import the performance team uses (``trust_setup.workbook.service``),
so the ambulance configuration is set up exactly as a real trust would be: its tree, level labels, profile,
KPIs, each year's suite, targets, criteria, freedoms, committees, terms of reference, people and roles.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from divisions import ods
from divisions.models import Level, TrustType
from pmf.periods import FinancialYear
from pmf.words import TrustWords
from trust_setup.defaults import (
    DEFAULT_CRITERIA,
    DEFAULT_TERMS,
    DOMAINS,
    LEVEL_LABELS,
    default_committees,
    freedoms,
    position_names,
    terms_in,
)
from trust_setup.workbook.files import SheetText
from trust_setup.workbook.sheets import SHEETS

OPENED = "2016-04-01"  # the demo's people hold their roles from here
TextRow = Mapping[str, object]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _yes(text: str) -> str:
    return "yes" if text.strip() in {"1", "true", "True", "yes"} else "no"


def _sheet(name: str, rows: Iterable[TextRow]) -> SheetText:
    """The sheet ``name`` with ``rows`` (column → text; a column left out is blank), header from SHEETS."""
    header = next(sheet.header for sheet in SHEETS if sheet.name == name)
    return SheetText(
        name=name,
        header=header,
        rows=tuple((n, tuple(str(row.get(c, "")) for c in header)) for n, row in enumerate(rows, start=2)),
    )


def demo_setup_sheets(folder: Path, people: Iterable[tuple[str, str, str, str, str, str]]) -> list[SheetText]:
    """Every sheet of the demo trust's setup workbook.

    ``people`` is (username, first name, last name, job title, role, division code or "") for each demo user.
    Steps: the trust and its profile from the ODS reference; level labels for its type; the tree; the
    catalogue; a suite per financial year with targets (years before the one ``data_as_at`` falls in agreed
    on their first day by the performance lead); the framework's criteria, freedoms, committees and terms
    of reference, in the words of the trust's type (an ambulance trust's speak of directorates); the people
    and their roles.
    """
    config = json.loads((folder / "trust.json").read_text(encoding="utf-8"))
    reference = ods.find(config["code"])
    trust_type = reference.trust_type if reference else TrustType.ACUTE
    profile = {
        "ods_code": config["code"],
        "trust_type": trust_type,
        "region_code": reference.region_code if reference else "",
        "region_name": reference.region_name if reference else "",
        "icb_code": reference.icb_code if reference else "",
        "icb_name": reference.icb_name if reference else "",
        "prm_weekday": 1,
        "prm_week_of_month": 2,
        **{f"position_{p}_name": name for p, name in position_names(trust_type).items()},
        # how often each position is reviewed, where the trust's framework says (blank: DESIGN §4.5's table)
        **{f"position_{p}_review": often for p, often in config.get("review_frequencies", {}).items()},
    }
    defaults = LEVEL_LABELS[trust_type]
    labels = {
        level: (
            singular,
            defaults[Level(level)][1] if defaults[Level(level)][0] == singular else f"{singular}s",
        )
        for level, singular in config["level_labels"].items()
    }
    words = TrustWords.of(labels, position_names(trust_type))
    units = [row for row in _read(folder / "org_units.csv") if row["level"] != Level.TRUST]
    kpis = _read(folder / "kpis.csv")
    targets = _read(folder / "targets.csv")
    people = list(people)
    lead = next((username for username, *_, role, _ in people if role == "performance_team"), "")
    current = FinancialYear.containing(date.fromisoformat(config["data_as_at"])).label
    years = sorted({row["financial_year"] for row in targets})
    domains = {name: code for code, name in DOMAINS}
    return [
        _sheet("trust", [{"code": config["code"], "name": config["name"], "active_from": OPENED, **profile}]),
        _sheet(
            "level_labels", [{"level": lvl, "singular": s, "plural": p} for lvl, (s, p) in labels.items()]
        ),
        _sheet(
            "org_units",
            [
                {
                    "code": row["code"],
                    "name": row["name"],
                    "level": row["level"],
                    "parent": row["parent_code"],
                    "active_from": row["active_from"] or "2000-04-01",
                    "active_to": row.get("active_to", ""),
                    "synthetic": _yes(row.get("synthetic", "0")),
                }
                for row in units
            ],
        ),
        _sheet("specialty_divisions", []),
        _sheet(
            "users",
            [
                {"username": u, "first_name": first, "last_name": last, "job_title": title, "active": "yes"}
                for u, first, last, title, _, _ in people
            ],
        ),
        _sheet(
            "role_assignments",
            [
                {"username": u, "role": role, "org_unit": unit, "start": OPENED}
                for u, *_, role, unit in people
            ],
        ),
        _sheet(
            "domains", [{"code": code, "name": name, "order": i} for i, (code, name) in enumerate(DOMAINS)]
        ),
        _sheet("objectives", _read(folder / "objectives.csv")),
        _sheet(
            "kpis",
            [
                {
                    **row,
                    "domain": domains[row["domain"]],
                    "is_key": _yes(row["is_key"]),
                    "lead_or_lag": row["lead_or_lag"] or "lag",
                    "frequency": row["frequency"] or "monthly",
                    "spc_rule_set": "mdc",
                    "data_is_synthetic": _yes(row["data_is_synthetic"]),
                    "active_from": "2000-04-01",
                }
                for row in kpis
            ],
        ),
        _sheet(
            "suites",
            [
                {
                    "financial_year": year,
                    "status": "approved",
                    "approved_by": lead,
                    "approved_on": f"{year[:4]}-04-01",
                }
                if year < current and lead
                else {"financial_year": year, "status": "draft"}
                for year in years
            ],
        ),
        _sheet(
            "suite_kpis",
            [
                {
                    "financial_year": year,
                    "kpi": row["code"],
                    "is_key": _yes(row["is_key"]),
                    "definition": row["definition"],
                }
                for year in years
                for row in kpis
            ],
        ),
        _sheet("targets", [{**row, "kpi": row["kpi_code"], "org_unit": row["org_code"]} for row in targets]),
        _sheet("trajectories", []),
        _sheet(
            "criteria",
            [
                {
                    "code": code,
                    "name": name,
                    "order": order,
                    "domain": domain,
                    "tag": tag or "",
                    "key_only": "no",
                    "counts_policy_breaches": "yes" if breaches else "no",
                }
                for order, (code, name, domain, tag, breaches) in enumerate(DEFAULT_CRITERIA)
            ],
        ),
        _sheet(
            "freedoms",
            [
                {"position": position, "name": name, "detail": detail, "order": order}
                for order, (position, name, detail) in enumerate(freedoms(words))
            ],
        ),
        _sheet(
            "committees",
            [
                {"code": c, "name": n, "purpose": p, "order": o, "meets_weekday": d, "meets_week": w}
                for c, n, p, o, d, w in default_committees(words)
            ],
        ),
        _sheet(
            "terms_of_reference",
            [
                {**terms, "kind": kind, "essential_roles": ";".join(terms["essential_roles"])}
                for kind, terms in ((kind, terms_in(kind, words)) for kind in DEFAULT_TERMS)
            ],
        ),
        _sheet("priorities", []),  # the ambulance demo sets no Board priorities
        _sheet("milestones", []),
        _sheet("kpi_relationships", []),  # nor lead and lag relationships
    ]
