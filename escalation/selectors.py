"""Reads for escalation: the histories the rules evaluate, the case lists, committee agendas and the
contractual and CQUIN exception report. Each reads in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from divisions.models import Level, OrgUnit
from kpis.assessment import Outcome
from kpis.models import Kpi, KpiSuiteEntry, Measurement
from kpis.selectors import standings as kpi_standings
from kpis.selectors.published import latest_published_month
from pmf.periods import add_months, financial_year_label, months_between
from pmf.permissions import Access, can_read_every_case
from pmf.words import TrustWords

from .models import Committee, DataQualityIssue, EscalationCase, TriggerSetting
from .models import Level as CaseLevel
from .rules import MonthRecord, TriggerSettings, next_meeting, why_no_case

WINDOW_MONTHS = 12
EXCEPTION_SOURCES = (Kpi.Source.CONTRACTUAL, Kpi.Source.CQUIN)


@dataclass(frozen=True)
class KpiSeries:
    """One KPI for one unit as the rules see it: its recent months, key flag and trigger settings."""

    kpi: Kpi
    unit: OrgUnit
    division: OrgUnit | None  # None for a trust-level series
    is_key: bool
    settings: TriggerSettings
    history: list[MonthRecord]


def trigger_settings() -> dict[int, TriggerSettings]:
    """Every KPI's own trigger settings, by KPI id (one query); KPIs not listed use the defaults."""
    return {
        s.kpi_id: TriggerSettings(
            special_cause_concern_on_key=s.special_cause_concern_on_key,
            missed_plan_months=s.missed_plan_months,
            trajectory_tolerance=s.trajectory_tolerance,
            sustain_months=s.sustain_months,
            trajectory_variance=s.trajectory_variance,
            opens_cases=s.opens_cases,  # type: ignore[arg-type]
        )
        for s in TriggerSetting.objects.all()
    }


def key_flags(month: date) -> dict[int, bool]:
    """Which KPIs are key in ``month``'s financial year, by KPI id, as its suite lists them (one query);
    a KPI the suite does not list (or a year with no suite) uses its catalogue flag."""
    return dict(
        KpiSuiteEntry.objects.filter(suite__financial_year=financial_year_label(month)).values_list(
            "kpi_id", "is_key"
        )
    )


@dataclass(frozen=True)
class TriggerRow:
    """One KPI's trigger settings as the settings page lists them."""

    kpi: Kpi
    is_key: bool
    settings: TriggerSettings
    own: bool  # the KPI has its own settings, not the defaults

    @property
    def opens_cases(self) -> bool:
        return why_no_case(self.settings, is_key=self.is_key) is None


def trigger_rows(month: date) -> list[TriggerRow]:
    """Every KPI a trigger can fire on (in force in ``month``, with a direction), with its settings and
    whether a trigger opens a case on it then. Three queries, whatever the number of KPIs."""
    own = trigger_settings()
    key = key_flags(month)
    kpis = (
        Kpi.objects.exclude(direction="neutral")
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=month))
        .order_by("code")
    )
    return [
        TriggerRow(k, key.get(k.pk, k.is_key), own.get(k.pk, TriggerSettings()), k.pk in own) for k in kpis
    ]


def evaluation_series(month: date) -> list[KpiSeries]:
    """Every KPI series the rules evaluate for ``month``, with its last months of history.

    1. Divisions: every non-neutral KPI in force with published data for the division (its own or the
       roll-up) in the window.
    2. The trust-level rule: a KPI with no division data in the window (reported only for the whole trust)
       is evaluated at the trust, and its case has no division.
    3. A month with no value is "no data" (a miss) when the KPI was reported for anyone that month, and
       "not assessed" (a break) when nobody reported it.
    Nine queries, whatever the number of KPIs, units or months.
    """
    own = trigger_settings()
    longest = max([WINDOW_MONTHS, *(s.sustain_months + 1 for s in own.values())])
    longest = max([longest, *((s.missed_plan_months or 0) for s in own.values())])
    months = months_between(add_months(month, -(longest - 1)), month)
    kpis = {
        k.pk: k
        for k in Kpi.objects.exclude(direction="neutral")
        .filter(active_from__lte=month)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=months[0]))
    }
    units = {
        u.pk: u for u in OrgUnit.objects.filter(level__in=[Level.DIVISION, Level.TRUST]).order_by("code")
    }
    standings = kpi_standings(list(units), months, kpis=kpis.values(), with_spc=True)
    reported = set(
        Measurement.objects.filter(
            status=Measurement.Status.PUBLISHED, month__in=months, kpi_id__in=list(kpis)
        )
        .values_list("kpi_id", "month")
        .distinct()
        .order_by()
    )
    with_data = {(s.kpi_id, s.unit_id) for s in standings if s.reading is not None}
    division_kpis = {k for k, u in with_data if units[u].level == Level.DIVISION}
    pairs = sorted(
        ((k, u) for k, u in with_data if units[u].level == Level.DIVISION or k not in division_kpis),
        key=lambda pair: (units[pair[1]].level == Level.TRUST, units[pair[1]].code, kpis[pair[0]].code),
    )
    suite = key_flags(month)
    series = []
    for kpi_id, unit_id in pairs:
        kpi, unit = kpis[kpi_id], units[unit_id]
        history = []
        for m in months:
            standing = standings.by_key[(kpi_id, unit_id, m)]
            outcome = standing.outcome
            if standing.reading is None and (kpi_id, m) not in reported:
                outcome = Outcome.NOT_ASSESSED
            history.append(
                MonthRecord(
                    month=m,
                    value=standing.value,
                    plan=standing.plan.plan,
                    outcome=outcome,
                    tolerance=standing.plan.tolerance,
                    trajectory=standing.plan.trajectory,
                    point_type=standing.spc.point_type,
                )
            )
        series.append(
            KpiSeries(
                kpi=kpi,
                unit=unit,
                division=unit if unit.level == Level.DIVISION else None,
                is_key=suite.get(kpi_id, kpi.is_key),
                settings=own.get(kpi_id, TriggerSettings()),
                history=history,
            )
        )
    return series


# --- cases --------------------------------------------------------------------------------------------------


def _cases() -> QuerySet[EscalationCase]:
    return EscalationCase.objects.select_related("division", "kpi", "committee", "special_measures")


def cases_for(access: Access, *, status: str | None = None) -> QuerySet[EscalationCase]:
    """The cases ``access`` may see, newest first (one query)."""
    cases = _cases()
    if not can_read_every_case(access):
        cases = cases.filter(division_id__in=sorted(access.divisions))
    if status:
        cases = cases.filter(status=status)
    return cases.order_by("status", "-opened_at", "-id")


def case_with_events(reference: str) -> EscalationCase | None:
    return _cases().prefetch_related("events__by").filter(reference=reference).first()


def open_case_rows(division: OrgUnit | None = None) -> list[dict[str, Any]]:
    """Open escalation cases (of one division, or all), oldest first, as a data pack and the FPEC summary
    paper list them (``reviews.open_cases``; JSON-ready, as a pack keeps them in its snapshot)."""
    cases = EscalationCase.objects.filter(status=EscalationCase.Status.OPEN).select_related("division", "kpi")
    if division is not None:
        cases = cases.filter(division=division)
    return [
        {
            "id": c.pk,
            "division": c.division.name if c.division else "",
            "title": f"{c.kpi.name}: {c.get_trigger_display()}" if c.kpi else c.get_trigger_display(),
            "level": c.get_level_display(),
            "opened_at": c.opened_at.isoformat(),
            "opened_month": c.opened_month.isoformat(),
            "plan_due": c.plan_due.isoformat(),
        }
        for c in cases.order_by("opened_at", "pk")
    ]


# --- committees ---------------------------------------------------------------------------------------------

FPEC = "fpec"  # the code of the committee the second rung goes to; its name is the trust's own


def fpec_committee() -> Committee | None:
    """The trust's FPEC (one query), under whatever name the trust gives it."""
    return Committee.objects.filter(code=FPEC).first()


@dataclass
class Agenda:
    """What is escalated to one committee for its next meeting."""

    committee: Committee
    next_meeting: date
    sections: list[tuple[str, list[EscalationCase]]] = field(default_factory=list)
    dq_issues: list[DataQualityIssue] = field(default_factory=list)
    shows_exception_report: bool = False


def committee_agenda(committee: Committee, *, today: date, words: TrustWords) -> Agenda:
    """The committee's agenda: which cases (and, for the DQAG, which data-quality issues) come to it.

    FPEC: cases escalated to it. Executive Team: cases awaiting its decision (at FPEC), cases it decided
    on (progress), and the exception report. Trust Board: open cases that hold their division in special
    measures, and open cases under audit (a de-escalated case no longer holds special measures). QSOG:
    open cases on quality KPIs. DQAG: unresolved issues escalated to it. A committee the trust adds: the
    cases escalated to it.
    """
    agenda = Agenda(
        committee,
        next_meeting(today, weekday=committee.meets_weekday, week_of_month=committee.meets_week),
    )
    live = _cases().exclude(status=EscalationCase.Status.CLOSED).order_by("opened_at", "id")
    at_fpec = live.filter(level=CaseLevel.FPEC)
    at_exec = live.filter(level=CaseLevel.EXECUTIVE_TEAM)
    if committee.code == "fpec":
        agenda.sections = [("Escalated to FPEC", list(at_fpec))]
    elif committee.code == "executive-team":
        agenda.sections = [
            ("Awaiting the Executive Team's decision", list(at_fpec)),
            ("Progress on cases the Executive Team decided", list(at_exec)),
        ]
        agenda.shows_exception_report = True
    elif committee.code == "trust-board":
        # Only open cases: one that has de-escalated has ended the special measures it held.
        still = at_exec.filter(status=EscalationCase.Status.OPEN)
        agenda.sections = [
            (f"{words.divisions} in special measures", list(still.filter(decision="special_measures"))),
            ("Under audit", list(still.filter(decision="audit"))),
        ]
    elif committee.code == "qsog":
        agenda.sections = [("Open cases on quality KPIs", list(live.filter(kpi__domain__code="quality")))]
    elif committee.code == "dqag":
        agenda.dq_issues = list(
            DataQualityIssue.objects.filter(escalated_to_dqag=True)
            .exclude(status=DataQualityIssue.Status.RESOLVED)
            .select_related("kpi", "org_unit")
            .order_by("raised_at", "id")
        )
    else:
        agenda.sections = [(f"Escalated to {committee.name}", list(live.filter(committee=committee)))]
    return agenda


# --- the contractual and CQUIN exception report -------------------------------------------------------------


@dataclass(frozen=True)
class DivisionMiss:
    division: OrgUnit
    value: float | None
    plan: float | None


@dataclass(frozen=True)
class ExceptionRow:
    kpi: Kpi
    unit: OrgUnit
    value: float | None
    plan: float | None
    outcome: Outcome
    reason: str
    divisions_not_met: list[DivisionMiss]


@dataclass(frozen=True)
class ExceptionReport:
    month: date
    rows: list[ExceptionRow]
    reported: int  # contractual and CQUIN KPIs assessed this month
    data_as_at: date | None


def exception_report(month: date) -> ExceptionReport:
    """Contractual KPIs and CQUINs not met in ``month`` at trust level, each with the divisions that missed.

    A KPI counts when the trust has published data for it up to the month; no data for the month is not
    met ("no data").

    Seven queries, whatever the number of KPIs, divisions or misses: the KPIs, the units, the KPIs the trust
    reports, the standings (values, targets, trajectories) and the data's "as at" month. Three when no
    contractual KPI or CQUIN is set up (there is nothing more to read).
    """
    kpis = {
        k.pk: k
        for k in Kpi.objects.filter(source__in=EXCEPTION_SOURCES)
        .exclude(direction="neutral")
        .select_related("domain")
        .order_by("source", "code")
    }
    units = {
        u.pk: u for u in OrgUnit.objects.filter(level__in=[Level.TRUST, Level.DIVISION]).order_by("code")
    }
    trusts = [u for u in units.values() if u.level == Level.TRUST]
    expected = set(
        Measurement.objects.filter(
            status=Measurement.Status.PUBLISHED,
            kpi_id__in=list(kpis),
            org_unit_id__in=[t.pk for t in trusts],
            month__lte=month,
        )
        .values_list("kpi_id", "org_unit_id")
        .distinct()
        .order_by()
    )
    standings = kpi_standings(list(units), [month], kpis=kpis.values())
    division_ids = sorted(pk for pk, u in units.items() if u.level == Level.DIVISION)
    rows, assessed = [], 0
    for kpi_id, trust_id in sorted(expected, key=lambda pair: (kpis[pair[0]].source, kpis[pair[0]].code)):
        standing = standings.by_key[(kpi_id, trust_id, month)]
        assessment = standing.assessment
        if assessment.outcome == Outcome.NOT_ASSESSED:
            continue
        assessed += 1
        if assessment.is_met:
            continue
        at_divisions = (standings.by_key[(kpi_id, d, month)] for d in division_ids)
        misses = [
            DivisionMiss(units[s.unit_id], s.value, s.plan.plan)
            for s in at_divisions
            if s.reading is not None and s.assessment.is_failure
        ]
        rows.append(
            ExceptionRow(
                kpi=kpis[kpi_id],
                unit=units[trust_id],
                value=standing.value,
                plan=standing.plan.plan,
                outcome=assessment.outcome,
                reason=assessment.reason,
                divisions_not_met=misses,
            )
        )
    return ExceptionReport(month=month, rows=rows, reported=assessed, data_as_at=latest_published_month())


def dq_issues() -> QuerySet[DataQualityIssue]:
    return DataQualityIssue.objects.select_related("kpi", "org_unit", "raised_by", "upload").order_by(
        "status", "-raised_at", "-id"
    )


def open_cases_by_series() -> dict[tuple[int | None, int | None], EscalationCase]:
    """Open cases by (division id or None, KPI id) (one query)."""
    return {
        (c.division_id, c.kpi_id): c
        for c in EscalationCase.objects.filter(status=EscalationCase.Status.OPEN, kpi__isnull=False)
    }
