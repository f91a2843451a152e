"""The content of one month's Integrated Performance Report, as types.

`reviews.ipr.selectors.ipr_content` builds an `IprContent`; the page, the board pack, a division's dashboard
and its PRM data pack read its attributes. It is also stored: the draft store keeps it as JSON
(`reviews.ipr.store`), and a published report freezes it as its snapshot. `to_json()` writes the JSON shape
every stored copy already has, and `from_json()` reads any of them back, older snapshots included: a key a
snapshot lacks takes the value the report showed for it when absent (none, zero, empty).

Pure: no Django. Dates are `date` and `datetime` here and ISO 8601 text in the JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from kpis.forecast import LIKELY_FROM, UNLIKELY_UP_TO, chance_in_words
from kpis.standing import KitemarkSummary

JsonDict = dict[str, Any]


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _datetime(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True)
class IprCommentary:
    """The commentary written on the month: the KPI owner's at the report's own level (``unit`` empty), or
    a division's on the same KPI (``unit`` its name), shown under the trust's line (docs/ipr.md)."""

    author: str
    what_the_chart_tells_us: str
    issues: str
    actions: str
    mitigations: str
    recovery_date: date | None
    updated_at: datetime | None
    unit: str = ""

    def to_json(self) -> JsonDict:
        data: JsonDict = {
            "author": self.author,
            "what_the_chart_tells_us": self.what_the_chart_tells_us,
            "issues": self.issues,
            "actions": self.actions,
            "mitigations": self.mitigations,
            "recovery_date": _iso(self.recovery_date),
            "updated_at": _iso(self.updated_at),
        }
        if self.unit:  # a division's: the owner's own keeps the shape snapshots have always had
            data["unit"] = self.unit
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IprCommentary:
        return cls(
            author=data.get("author", ""),
            what_the_chart_tells_us=data.get("what_the_chart_tells_us", ""),
            issues=data.get("issues", ""),
            actions=data.get("actions", ""),
            mitigations=data.get("mitigations", ""),
            recovery_date=_date(data.get("recovery_date")),
            updated_at=_datetime(data.get("updated_at")),
            unit=data.get("unit", ""),
        )


@dataclass(frozen=True)
class IprForecastMonth:
    """One month ahead: the most likely value, its range and, with a plan, the chance of meeting it."""

    step: int
    most_likely: float | None
    best_case: float | None
    worst_case: float | None
    low: float | None
    high: float | None
    plan: float | None
    probability: float | None
    likely: bool | None

    @property
    def chance(self) -> str | None:
        """The chance of meeting the plan in words ("Likely to meet" only from 70%); None without a plan."""
        return chance_in_words(self.probability)

    @property
    def likely_to_meet(self) -> bool:
        return self.probability is not None and self.probability >= LIKELY_FROM

    @property
    def unlikely_to_meet(self) -> bool:
        return self.probability is not None and self.probability <= UNLIKELY_UP_TO

    def to_json(self) -> JsonDict:
        return {
            "step": self.step,
            "most_likely": self.most_likely,
            "best_case": self.best_case,
            "worst_case": self.worst_case,
            "low": self.low,
            "high": self.high,
            "plan": self.plan,
            "probability": self.probability,
            "likely": self.likely,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IprForecastMonth:
        return cls(
            step=data.get("step", 0),
            most_likely=data.get("most_likely"),
            best_case=data.get("best_case"),
            worst_case=data.get("worst_case"),
            low=data.get("low"),
            high=data.get("high"),
            plan=data.get("plan"),
            probability=data.get("probability"),
            likely=data.get("likely"),
        )


@dataclass(frozen=True)
class IprForecast:
    """A KPI's forecast for the months after the report's."""

    method: str
    months: tuple[IprForecastMonth, ...]

    def to_json(self) -> JsonDict:
        return {"method": self.method, "months": [m.to_json() for m in self.months]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IprForecast:
        return cls(
            method=data.get("method", ""),
            months=tuple(IprForecastMonth.from_json(m) for m in data.get("months", [])),
        )


@dataclass(frozen=True)
class IprKpiRow:
    """One KPI's line of the report: its figure against plan, its chart's reading, its commentary.

    ``figure`` is the exception's chart as plotly data (only when the content was read with figures);
    ``recent`` its last charted values for a sparkline (only when read with them: None means not read).
    """

    code: str
    name: str
    domain: str = ""
    objective: str = ""
    unit: str = ""
    direction: str = ""
    is_key: bool = False
    owner: str = ""
    value: float | None = None
    plan: float | None = None
    outcome: str = ""
    previous_value: float | None = None
    previous_outcome: str = ""
    is_synthetic: bool = False
    is_restated: bool = False
    is_incomplete: bool = False
    variation_icon: str | None = None
    assurance: str | None = None
    cell: tuple[str, str] = ("", "")
    cell_note: str = ""
    sort_key: tuple[int, ...] = ()
    has_chart: bool = False
    is_exception: bool = False
    sentence: str = ""
    commentary: IprCommentary | None = None
    division_commentary: tuple[IprCommentary, ...] = ()
    needs_commentary: bool = False
    improved: bool = False
    kitemark: KitemarkSummary | None = None
    forecast: IprForecast | None = None
    figure: JsonDict | None = None
    recent: tuple[float | None, ...] | None = None

    @property
    def figure_json(self) -> str:
        """The chart as compact JSON for a page's ``data-figure`` attribute; empty without one."""
        return json.dumps(self.figure, separators=(",", ":")) if self.figure else ""

    @property
    def likely_to_miss_next_month(self) -> bool:
        return bool(self.forecast and self.forecast.months and self.forecast.months[0].unlikely_to_meet)

    def to_json(self) -> JsonDict:
        data: JsonDict = {
            "code": self.code,
            "name": self.name,
            "domain": self.domain,
            "objective": self.objective,
            "unit": self.unit,
            "direction": self.direction,
            "is_key": self.is_key,
            "owner": self.owner,
            "value": self.value,
            "plan": self.plan,
            "outcome": self.outcome,
            "previous_value": self.previous_value,
            "previous_outcome": self.previous_outcome,
            "is_synthetic": self.is_synthetic,
            "is_restated": self.is_restated,
            "is_incomplete": self.is_incomplete,
            "variation_icon": self.variation_icon,
            "assurance": self.assurance,
            "cell": list(self.cell),
            "cell_note": self.cell_note,
            "sort_key": list(self.sort_key),
            "has_chart": self.has_chart,
            "is_exception": self.is_exception,
            "sentence": self.sentence,
            "commentary": self.commentary.to_json() if self.commentary else None,
            "needs_commentary": self.needs_commentary,
            "improved": self.improved,
            "kitemark": _kitemark_json(self.kitemark),
            "forecast": self.forecast.to_json() if self.forecast else None,
            "figure": self.figure,
        }
        if self.recent is not None:
            data["recent"] = list(self.recent)
        if self.division_commentary:
            data["division_commentary"] = [c.to_json() for c in self.division_commentary]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IprKpiRow:
        cell = data.get("cell") or ("", "")
        commentary, kitemark, forecast = data.get("commentary"), data.get("kitemark"), data.get("forecast")
        recent = data.get("recent")
        return cls(
            code=data["code"],
            name=data.get("name", data["code"]),
            domain=data.get("domain", ""),
            objective=data.get("objective", ""),
            unit=data.get("unit", ""),
            direction=data.get("direction", ""),
            is_key=data.get("is_key", False),
            owner=data.get("owner", ""),
            value=data.get("value"),
            plan=data.get("plan"),
            outcome=data.get("outcome", ""),
            previous_value=data.get("previous_value"),
            previous_outcome=data.get("previous_outcome", ""),
            is_synthetic=data.get("is_synthetic", False),
            is_restated=data.get("is_restated", False),
            is_incomplete=data.get("is_incomplete", False),
            variation_icon=data.get("variation_icon"),
            assurance=data.get("assurance"),
            cell=(cell[0], cell[1]),
            cell_note=data.get("cell_note", ""),
            sort_key=tuple(data.get("sort_key", ())),
            has_chart=data.get("has_chart", False),
            is_exception=data.get("is_exception", False),
            sentence=data.get("sentence", ""),
            commentary=IprCommentary.from_json(commentary) if commentary else None,
            division_commentary=tuple(
                IprCommentary.from_json(c) for c in data.get("division_commentary", ())
            ),
            needs_commentary=data.get("needs_commentary", False),
            improved=data.get("improved", False),
            kitemark=KitemarkSummary(**kitemark) if kitemark else None,
            forecast=IprForecast.from_json(forecast) if forecast else None,
            figure=data.get("figure"),
            recent=tuple(recent) if recent is not None else None,
        )


def _kitemark_json(kitemark: KitemarkSummary | None) -> JsonDict | None:
    if kitemark is None:
        return None
    return {
        "assured": kitemark.assured,
        "assessed": kitemark.assessed,
        "of": kitemark.of,
        "status": kitemark.status,
    }


@dataclass(frozen=True)
class MatrixCell:
    """One cell of the SPC summary matrix: an assurance class within a variation row, and its KPIs' codes."""

    assurance: str
    label: str
    codes: tuple[str, ...]

    def to_json(self) -> JsonDict:
        return {"assurance": self.assurance, "label": self.label, "codes": list(self.codes)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MatrixCell:
        return cls(
            assurance=data.get("assurance", ""),
            label=data.get("label", ""),
            codes=tuple(data.get("codes", ())),
        )


@dataclass(frozen=True)
class MatrixRow:
    """One row of the matrix: a variation class with a cell per assurance class."""

    variation: str
    label: str
    cells: tuple[MatrixCell, ...]

    def to_json(self) -> JsonDict:
        return {"variation": self.variation, "label": self.label, "cells": [c.to_json() for c in self.cells]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MatrixRow:
        return cls(
            variation=data.get("variation", ""),
            label=data.get("label", ""),
            cells=tuple(MatrixCell.from_json(c) for c in data.get("cells", ())),
        )


@dataclass(frozen=True)
class ExecutiveSummary:
    """The counts the executive summary is written from, and the codes of the KPIs each list names."""

    kpis: int = 0
    met: int = 0
    off_plan: int = 0
    key_off_plan: int = 0
    concern: int = 0
    improvement: int = 0
    failing_assurance: int = 0
    exceptions: tuple[str, ...] = ()
    not_achieved: tuple[str, ...] = ()
    improved: tuple[str, ...] = ()
    missing_commentary: tuple[str, ...] = ()
    likely_to_miss_next_month: tuple[str, ...] = ()

    def to_json(self) -> JsonDict:
        return {
            "kpis": self.kpis,
            "met": self.met,
            "off_plan": self.off_plan,
            "key_off_plan": self.key_off_plan,
            "concern": self.concern,
            "improvement": self.improvement,
            "failing_assurance": self.failing_assurance,
            "exceptions": list(self.exceptions),
            "not_achieved": list(self.not_achieved),
            "improved": list(self.improved),
            "missing_commentary": list(self.missing_commentary),
            "likely_to_miss_next_month": list(self.likely_to_miss_next_month),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ExecutiveSummary:
        return cls(
            kpis=data.get("kpis", 0),
            met=data.get("met", 0),
            off_plan=data.get("off_plan", 0),
            key_off_plan=data.get("key_off_plan", 0),
            concern=data.get("concern", 0),
            improvement=data.get("improvement", 0),
            failing_assurance=data.get("failing_assurance", 0),
            exceptions=tuple(data.get("exceptions", ())),
            not_achieved=tuple(data.get("not_achieved", ())),
            improved=tuple(data.get("improved", ())),
            missing_commentary=tuple(data.get("missing_commentary", ())),
            likely_to_miss_next_month=tuple(data.get("likely_to_miss_next_month", ())),
        )


@dataclass(frozen=True)
class Restatement:
    """A figure restated since an earlier report: what was shown, and what stands now."""

    code: str
    name: str
    unit: str
    month: date
    was: float | None
    now: float | None

    def to_json(self) -> JsonDict:
        return {
            "code": self.code,
            "name": self.name,
            "unit": self.unit,
            "month": self.month.isoformat(),
            "was": self.was,
            "now": self.now,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Restatement:
        return cls(
            code=data["code"],
            name=data.get("name", data["code"]),
            unit=data.get("unit", ""),
            month=date.fromisoformat(data["month"]),
            was=data.get("was"),
            now=data.get("now"),
        )


@dataclass(frozen=True)
class PreviousReport:
    """The last IPR published before this one, which the restatements are counted from."""

    month: date
    published_at: datetime | None

    def to_json(self) -> JsonDict:
        return {"month": self.month.isoformat(), "published_at": _iso(self.published_at)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PreviousReport:
        return cls(month=date.fromisoformat(data["month"]), published_at=_datetime(data.get("published_at")))


@dataclass(frozen=True)
class IprTrust:
    """The organisation the report is about: the trust, or a division for its own pack and dashboard."""

    code: str
    name: str

    def to_json(self) -> JsonDict:
        return {"code": self.code, "name": self.name}


@dataclass(frozen=True)
class ReportWords:
    """The words written for the report. A published snapshot keeps them with who approved and published it;
    a draft's come from the report itself (the three texts only)."""

    executive_summary: str = ""
    lead_director: str = ""
    recommendation: str = ""
    approved_by: str | None = None
    approved_at: str | None = None
    published_by: str | None = None
    published_at: str | None = None

    def to_json(self) -> JsonDict:
        return {
            "executive_summary": self.executive_summary,
            "lead_director": self.lead_director,
            "recommendation": self.recommendation,
            "approved_by": self.approved_by,
            "approved_at": self.approved_at,
            "published_by": self.published_by,
            "published_at": self.published_at,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReportWords:
        return cls(
            executive_summary=data.get("executive_summary", ""),
            lead_director=data.get("lead_director", ""),
            recommendation=data.get("recommendation", ""),
            approved_by=data.get("approved_by"),
            approved_at=data.get("approved_at"),
            published_by=data.get("published_by"),
            published_at=data.get("published_at"),
        )


@dataclass(frozen=True)
class PeerSource:
    """Where peer figures came from: the publication, the file, and its publication date when it gives one."""

    publication: str
    source_file: str
    published_on: date | None

    def to_json(self) -> JsonDict:
        return {
            "publication": self.publication,
            "source_file": self.source_file,
            "published_on": _iso(self.published_on),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PeerSource:
        return cls(
            publication=data.get("publication", ""),
            source_file=data.get("source_file", ""),
            published_on=_date(data.get("published_on")),
        )


@dataclass(frozen=True)
class BenchmarkRow:
    """The trust on one scored national KPI in the report's month, among the peer group."""

    code: str
    name: str
    unit: str
    direction: str
    value: float
    rank: float
    n: int
    quartile: int
    score: float
    median: float
    sources: tuple[PeerSource, ...] = ()

    def to_json(self) -> JsonDict:
        return {
            "code": self.code,
            "name": self.name,
            "unit": self.unit,
            "direction": self.direction,
            "value": self.value,
            "rank": self.rank,
            "n": self.n,
            "quartile": self.quartile,
            "score": self.score,
            "median": self.median,
            "sources": [s.to_json() for s in self.sources],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BenchmarkRow:
        return cls(
            code=data["code"],
            name=data.get("name", data["code"]),
            unit=data.get("unit", ""),
            direction=data.get("direction", ""),
            value=data["value"],
            rank=data["rank"],
            n=data["n"],
            quartile=data["quartile"],
            score=data["score"],
            median=data["median"],
            sources=tuple(PeerSource.from_json(s) for s in data.get("sources", ())),
        )


@dataclass(frozen=True)
class IprBenchmarking:
    """The trust among its default peer group in the report's month (DESIGN §8): its league position and
    segment over the scored national KPIs, and each scored KPI's standing. ``note`` says why a part is
    missing (no trust profile, no peer figures for the month, no overall standing), so nothing is blank."""

    month: date
    peer_group: str = ""
    peer_group_size: int = 0
    league_position: int | None = None
    league_of: int | None = None
    segment: int | None = None
    average_score: float | None = None
    kpis_scored: int = 0
    rows: tuple[BenchmarkRow, ...] = ()
    note: str = ""

    def to_json(self) -> JsonDict:
        return {
            "month": self.month.isoformat(),
            "peer_group": self.peer_group,
            "peer_group_size": self.peer_group_size,
            "league_position": self.league_position,
            "league_of": self.league_of,
            "segment": self.segment,
            "average_score": self.average_score,
            "kpis_scored": self.kpis_scored,
            "rows": [r.to_json() for r in self.rows],
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IprBenchmarking:
        return cls(
            month=date.fromisoformat(data["month"]),
            peer_group=data.get("peer_group", ""),
            peer_group_size=data.get("peer_group_size", 0),
            league_position=data.get("league_position"),
            league_of=data.get("league_of"),
            segment=data.get("segment"),
            average_score=data.get("average_score"),
            kpis_scored=data.get("kpis_scored", 0),
            rows=tuple(BenchmarkRow.from_json(r) for r in data.get("rows", ())),
            note=data.get("note", ""),
        )


@dataclass(frozen=True)
class NationalSource:
    """A KPI whose figure for the report's month was imported from a national publication, and from which
    file."""

    code: str
    name: str
    source_file: str
    publication: str

    def to_json(self) -> JsonDict:
        return {
            "code": self.code,
            "name": self.name,
            "source_file": self.source_file,
            "publication": self.publication,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> NationalSource:
        return cls(
            code=data["code"],
            name=data.get("name", data["code"]),
            source_file=data.get("source_file", ""),
            publication=data.get("publication", ""),
        )


@dataclass(frozen=True)
class IprContent:
    """Everything one month's IPR shows (see the module docstring).

    ``divisional`` is the trust report's divisional breakdown as `reviews.ipr.divisions` builds it (None for
    a division's own content); ``report`` the words frozen in a published snapshot (None before);
    ``benchmarking`` the trust among its national peers (None for a division's content and in snapshots
    from before the section); ``national_sources`` the KPIs whose month's figure came from a national
    publication, and ``source_notes`` where the official A&E file was used over the tidy history.
    """

    month: date
    trust: IprTrust | None = None
    forecast_months: tuple[date, ...] = ()
    published_at: datetime | None = None  # when the month's latest figures were published: "data as at"
    kpis: tuple[IprKpiRow, ...] = ()
    matrix: tuple[MatrixRow, ...] = ()
    summary: ExecutiveSummary = ExecutiveSummary()
    previous_report: PreviousReport | None = None
    restatements: tuple[Restatement, ...] = ()
    divisional: JsonDict | None = None
    report: ReportWords | None = None
    benchmarking: IprBenchmarking | None = None
    national_sources: tuple[NationalSource, ...] = ()
    source_notes: tuple[str, ...] = ()

    def row(self, code: str) -> IprKpiRow | None:
        """The KPI row of ``code``; None if the report has none."""
        return next((r for r in self.kpis if r.code == code), None)

    def rows(self, codes: Sequence[str]) -> list[IprKpiRow]:
        """The rows of ``codes`` in that order, leaving out any the report has none of."""
        by_code = {r.code: r for r in self.kpis}
        return [by_code[c] for c in codes if c in by_code]

    def with_rows(self, kpis: Sequence[IprKpiRow]) -> IprContent:
        return replace(self, kpis=tuple(kpis))

    def to_json(self) -> JsonDict:
        data: JsonDict = {
            "month": self.month.isoformat(),
            "forecast_months": [m.isoformat() for m in self.forecast_months],
            "trust": self.trust.to_json() if self.trust else None,
            "data_as_at": {"month": self.month.isoformat(), "published_at": _iso(self.published_at)},
            "kpis": [r.to_json() for r in self.kpis],
            "matrix": [r.to_json() for r in self.matrix],
            "summary": self.summary.to_json(),
            "previous_report": self.previous_report.to_json() if self.previous_report else None,
            "restatements": [r.to_json() for r in self.restatements],
            "divisional": self.divisional,
        }
        if self.report is not None:
            data["report"] = self.report.to_json()
        # The national parts are written only when there are any, so a snapshot from before them (which
        # lacks the keys) writes out as it was read.
        if self.benchmarking is not None:
            data["benchmarking"] = self.benchmarking.to_json()
        if self.national_sources:
            data["national_sources"] = [n.to_json() for n in self.national_sources]
        if self.source_notes:
            data["source_notes"] = list(self.source_notes)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IprContent:
        trust, previous, report = data.get("trust"), data.get("previous_report"), data.get("report")
        benchmarking = data.get("benchmarking")
        return cls(
            month=date.fromisoformat(data["month"]),
            trust=IprTrust(code=trust["code"], name=trust["name"]) if trust else None,
            forecast_months=tuple(date.fromisoformat(m) for m in data.get("forecast_months", ())),
            published_at=_datetime((data.get("data_as_at") or {}).get("published_at")),
            kpis=tuple(IprKpiRow.from_json(r) for r in data.get("kpis", ())),
            matrix=tuple(MatrixRow.from_json(r) for r in data.get("matrix", ())),
            summary=ExecutiveSummary.from_json(data.get("summary") or {}),
            previous_report=PreviousReport.from_json(previous) if previous else None,
            restatements=tuple(Restatement.from_json(r) for r in data.get("restatements", ())),
            divisional=data.get("divisional"),
            report=ReportWords.from_json(report) if report else None,
            benchmarking=IprBenchmarking.from_json(benchmarking) if benchmarking else None,
            national_sources=tuple(NationalSource.from_json(n) for n in data.get("national_sources", ())),
            source_notes=tuple(data.get("source_notes", ())),
        )
