"""The one declaration of the setup workbook: every sheet, its columns, its key, how it is read and written.

The export, the template, the checks, the preview and the import all follow ``SHEETS``; nothing is written
per sheet anywhere else. The order is the workbook's and the import's: a row only names rows of the sheets
before it (a unit's parent, a target's KPI, a suite's approver).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from divisions.models import Level, LevelLabel, OrgUnit, Role, SpecialtyDivision, TrustProfile, TrustType
from divisions.review_frequencies import DEFAULT_BY_POSITION, FREQUENCIES
from escalation.models import Committee
from kpis.models import Direction, Domain, Kpi, KpiRelationship, KpiSuite, StrategicObjective, Target
from pmf.models import User
from reviews.models import Criterion, Freedom
from reviews.models.meetings import MeetingKind
from strategy.models import Milestone, Priority

from . import stored, writers
from .columns import Column, Kind, Value, write_cell
from .stored import POSITIONS, Row

UNITS = ("trust", "org_units")  # a unit is the trust or a unit of the tree


def _length(model: type[models.Model], name: str) -> int | None:
    return model._meta.get_field(name).max_length  # type: ignore[union-attr]


def text(model: type[models.Model], name: str, help: str, *, required: bool = False) -> Column:
    """A text column as long as the model's field allows."""
    return Column(name, Kind.TEXT, help, required=required, max_length=_length(model, name))


def code(model: type[models.Model], name: str, help: str, **more: object) -> Column:
    return Column(name, Kind.CODE, help, max_length=_length(model, name), **more)  # type: ignore[arg-type]


def choice(name: str, options: list[str], help: str, *, required: bool = True) -> Column:
    return Column(name, Kind.CHOICE, help, required=required, choices=tuple(options))


def number(name: str, help: str, *, required: bool = False, default: float | None = None) -> Column:
    return Column(name, Kind.NUMBER, help, required=required, default=default)


def whole(
    name: str,
    help: str,
    *,
    choices: range | tuple[int, ...] = (),
    required: bool = True,
    default: int | None = None,
) -> Column:
    return Column(
        name,
        Kind.INTEGER,
        help,
        required=required and default is None,
        choices=tuple(str(c) for c in choices),
        default=default,
    )


def flag(name: str, help: str) -> Column:
    return Column(name, Kind.FLAG, help)


def day(name: str, help: str, *, required: bool = False) -> Column:
    return Column(name, Kind.DATE, help, required=required)


def refers(name: str, to: str | tuple[str, ...], help: str, *, required: bool = True) -> Column:
    return Column(name, Kind.TEXT, help, required=required, refers_to=(to,) if isinstance(to, str) else to)


@dataclass(frozen=True)
class Sheet:
    """One sheet: its columns, the columns that name a row (``key``), and how rows are read and written.

    ``stored`` reads the rows as they are now; ``save`` writes one added or changed row; ``retire``, where
    a row missing from the file is retired rather than kept as it is, writes the row with its end date.
    """

    name: str
    about: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    stored: Callable[[], list[Row]]
    save: Callable[[Row, writers.Found], models.Model]
    retire: Callable[[Row, writers.Found], models.Model] | None = None

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    def key_of(self, row: Row) -> tuple[Value, ...]:
        return tuple(row[name] for name in self.key)

    def key_text(self, key: tuple[Value, ...]) -> str:
        """The key as a person reads it: ``RWD-SUR``, or ``AE-4H / RWD / 2025/26 / 2025-04-01``."""
        return " / ".join(
            write_cell(self.column(n), v) or "(all)" for n, v in zip(self.key, key, strict=True)
        )

    def sort_key(self, row: Row) -> tuple[str, ...]:
        return tuple(write_cell(self.column(name), row[name]) for name in self.key)

    def text_row(self, row: Row) -> tuple[str, ...]:
        return tuple(write_cell(column, row[column.name]) for column in self.columns)


def position_name(position: int) -> Column:
    return Column(
        f"position_{position}_name",
        Kind.TEXT,
        f"What the trust calls rating position {position}; blank keeps the name DESIGN §4.5 gives it",
        max_length=200,
    )


def position_review(position: int) -> Column:
    return Column(
        f"position_{position}_review",
        Kind.CHOICE,
        f"How often a division at position {position} is reviewed; blank: "
        f"{DEFAULT_BY_POSITION[position]}, as DESIGN §4.5 gives it",
        choices=FREQUENCIES,
        default=DEFAULT_BY_POSITION[position],
    )


SHEETS: tuple[Sheet, ...] = (
    Sheet(
        name="trust",
        about=(
            "The one NHS trust this deployment serves, its profile (from the ODS reference), PRM slot, the "
            "names of its rating positions and how often each position is reviewed."
        ),
        columns=(
            code(OrgUnit, "code", "The trust's code in PMF (usually its ODS code)", required=True),
            text(OrgUnit, "name", "The trust's name", required=True),
            day("active_from", "The day the trust starts in PMF", required=True),
            code(
                TrustProfile, "ods_code", "ODS code; leave it and the columns after it blank for no profile"
            ),
            choice("trust_type", list(TrustType.values), "The kind of trust", required=False),
            text(TrustProfile, "region_code", "NHS England region code"),
            text(TrustProfile, "region_name", "NHS England region"),
            text(TrustProfile, "icb_code", "Integrated care board code"),
            text(TrustProfile, "icb_name", "Integrated care board"),
            whole("prm_weekday", "PRM weekday: 0 = Monday … 4 = Friday", choices=range(5), required=False),
            whole(
                "prm_week_of_month",
                "PRMs fall in this week of the month, 1 to 4",
                choices=range(1, 5),
                required=False,
            ),
            *(position_name(p) for p in POSITIONS),
            *(position_review(p) for p in POSITIONS),
        ),
        key=("code",),
        stored=stored.trust_rows,
        save=writers.save_trust,
    ),
    Sheet(
        name="level_labels",
        about="What the trust calls each level of its tree (Division or Directorate, Specialty …).",
        columns=(
            choice("level", list(Level.values), "trust, division, service or team"),
            text(LevelLabel, "singular", "One of them, e.g. Directorate", required=True),
            text(LevelLabel, "plural", "More than one, e.g. Directorates", required=True),
        ),
        key=("level",),
        stored=stored.level_label_rows,
        save=writers.save_level_label,
    ),
    Sheet(
        name="org_units",
        about=(
            "The organisation under the trust, level by level: divisions under the trust, services under "
            "divisions, teams under services. A unit missing from the file is retired (its active_to set to "
            "the day of the import), never deleted."
        ),
        columns=(
            code(OrgUnit, "code", "The unit's code, unique in the trust", required=True),
            text(OrgUnit, "name", "The unit's name", required=True),
            choice("level", [Level.DIVISION, Level.SERVICE, Level.TEAM], "division, service or team"),
            refers("parent", UNITS, "The code of the unit (or the trust) directly above"),
            day("parent_from", "The 1 April from which the unit sits under this parent, if it moved"),
            day("active_from", "The first day of the unit", required=True),
            day("active_to", "The last day of the unit; blank while it is current"),
            flag("synthetic", "yes if the unit is invented for a demonstration"),
        ),
        key=("code",),
        stored=stored.org_unit_rows,
        save=writers.save_org_unit,
        retire=writers.retirer(OrgUnit),
    ),
    Sheet(
        name="specialty_divisions",
        about="Which division a national split belongs to (a treatment function, a DM01 test, a tumour).",
        columns=(
            text(
                SpecialtyDivision, "kind", "treatment_function, diagnostic_test or cancer_type", required=True
            ),
            text(SpecialtyDivision, "code", "The national code, e.g. C_110", required=True),
            text(SpecialtyDivision, "name", "Its name, e.g. Trauma and orthopaedics"),
            refers("division", "org_units", "The code of the division it belongs to"),
        ),
        key=("kind", "code"),
        stored=stored.specialty_rows,
        save=writers.save_specialty,
    ),
    Sheet(
        name="users",
        about=(
            "The people who sign in (no passwords: a new person sets one by reset, or signs in by single "
            "sign-on). A person missing from the file is kept as they are; active no closes an account."
        ),
        columns=(
            text(User, "username", "How the person signs in", required=True),
            text(User, "first_name", "First name"),
            text(User, "last_name", "Last name"),
            text(User, "email", "E-mail address"),
            text(User, "job_title", "Job title"),
            Column("active", Kind.FLAG, "no closes the account", default=True),
        ),
        key=("username",),
        stored=stored.user_rows,
        save=writers.save_user,
    ),
    Sheet(
        name="role_assignments",
        about=(
            "Who holds which role, trust-wide, for one division (the triumvirate) or for one service or team "
            "(service_manager, ward_manager), from start to end. An assignment missing "
            "from the file is kept; give it an end date to end it."
        ),
        columns=(
            refers("username", "users", "The person"),
            choice("role", list(Role.values), "The role"),
            refers(
                "org_unit",
                UNITS,
                "The division for the triumvirate roles, the service for a service_manager, the team for a "
                "ward_manager; blank for trust-wide",
                required=False,
            ),
            day("start", "The first day in the role", required=True),
            day("end", "The last day in the role; blank while it lasts"),
        ),
        key=("username", "role", "org_unit", "start"),
        stored=stored.role_rows,
        save=writers.save_role,
    ),
    Sheet(
        name="domains",
        about="The balanced-scorecard quadrants KPIs sit in (Finance, Workforce, Quality, Operational).",
        columns=(
            code(Domain, "code", "The domain's code", required=True),
            text(Domain, "name", "Its name", required=True),
            whole("order", "Where it comes on pages, from 0", default=0),
        ),
        key=("code",),
        stored=stored.domain_rows,
        save=writers.save_domain,
    ),
    Sheet(
        name="objectives",
        about="The trust's strategic objectives, which KPIs serve.",
        columns=(
            code(StrategicObjective, "code", "The objective's code", required=True),
            text(StrategicObjective, "name", "Its name", required=True),
            Column("description", Kind.TEXT, "What it means"),
        ),
        key=("code",),
        stored=stored.objective_rows,
        save=writers.save_objective,
    ),
    Sheet(
        name="kpis",
        about=(
            "The KPI catalogue, every field of it. A KPI missing from the file is retired (its active_to set "
            "to the day of the import), never deleted."
        ),
        columns=(
            code(Kpi, "code", "The KPI's code", required=True),
            text(Kpi, "name", "Its name", required=True),
            Column("definition", Kind.TEXT, "What it measures"),
            Column("numerator_definition", Kind.TEXT, "What is counted"),
            Column("denominator_definition", Kind.TEXT, "Out of what"),
            refers("domain", "domains", "The domain's code"),
            refers("objective", "objectives", "The strategic objective's code", required=False),
            choice("unit", list(Kpi.Unit.values), "How its value is written"),
            choice("direction", list(Direction.values), "Which way is better"),
            choice("aggregation", list(Kpi.Aggregation.values), "How units add up to their parent"),
            choice("source", list(Kpi.Source.values), "Where the requirement comes from"),
            text(Kpi, "national_guidance_ref", "The national standard or guidance"),
            flag("is_key", "yes for a key KPI"),
            choice("lead_or_lag", list(Kpi.LeadOrLag.values), "lead or lag"),
            text(Kpi, "frequency", "How often it is reported, e.g. monthly", required=True),
            choice(
                "reporting_level",
                list(Level.values),
                "The level whose units submit it (the upload template lists it for each); blank: the levels "
                "it was reported at lately",
                required=False,
            ),
            text(Kpi, "owner", "The executive lead"),
            text(Kpi, "data_owner", "Who provides the data"),
            choice("spc_rule_set", list(Kpi.RuleSet.values), "The SPC rules its charts follow"),
            Column("tags", Kind.LIST, "Labels separated by ;, e.g. policy;ipr"),
            flag("data_is_synthetic", "yes if its data is generated for a demonstration"),
            number("plausible_min", "The lowest value an upload may give; blank: the unit's own"),
            number("plausible_max", "The highest value an upload may give; blank: the unit's own"),
            day("active_from", "The first day of the KPI", required=True),
            day("active_to", "The last day of the KPI; blank while it is current"),
        ),
        key=("code",),
        stored=stored.kpi_rows,
        save=writers.save_kpi,
        retire=writers.retirer(Kpi),
    ),
    Sheet(
        name="suites",
        about="The KPI suite of each financial year, draft or approved. An approved suite is never changed.",
        columns=(
            Column("financial_year", Kind.YEAR, "e.g. 2025/26", required=True),
            choice("status", list(KpiSuite.Status.values), "draft or approved"),
            refers("approved_by", "users", "Who approved it (approved suites only)", required=False),
            day("approved_on", "The day it was approved (approved suites only)"),
        ),
        key=("financial_year",),
        stored=stored.suite_rows,
        save=writers.save_suite,
    ),
    Sheet(
        name="suite_kpis",
        about="The KPIs in each year's suite, with the key flag and definition agreed for that year.",
        columns=(
            refers("financial_year", "suites", "The suite's year"),
            refers("kpi", "kpis", "The KPI's code"),
            flag("is_key", "yes if it is a key KPI that year"),
            Column("definition", Kind.TEXT, "Its definition as agreed that year"),
        ),
        key=("financial_year", "kpi"),
        stored=stored.suite_kpi_rows,
        save=writers.save_suite_kpi,
    ),
    Sheet(
        name="targets",
        about="Each KPI's target for a financial year, for one unit or (no unit) for all.",
        columns=(
            refers("kpi", "kpis", "The KPI's code"),
            refers("org_unit", UNITS, "The unit's code; blank for every unit", required=False),
            Column("financial_year", Kind.YEAR, "e.g. 2025/26", required=True),
            day("effective_from", "From when, within the year (a later one replaces it)", required=True),
            number("value", "The target, in the KPI's unit", required=True),
            number("tolerance", "How far from it still counts as within tolerance", default=0.0),
            choice("set_by", list(Target.SetBy.values), "national, local or contract"),
        ),
        key=("kpi", "org_unit", "financial_year", "effective_from"),
        stored=stored.target_rows,
        save=writers.save_target,
    ),
    Sheet(
        name="trajectories",
        about="Monthly planned values; where one exists it is the plan for that month instead of the target.",
        columns=(
            refers("kpi", "kpis", "The KPI's code"),
            refers("org_unit", UNITS, "The unit's code"),
            Column("month", Kind.MONTH, "YYYY-MM", required=True),
            number("value", "The planned value, in the KPI's unit", required=True),
        ),
        key=("kpi", "org_unit", "month"),
        stored=stored.trajectory_rows,
        save=writers.save_trajectory,
    ),
    Sheet(
        name="kpi_relationships",
        about=(
            "Lead and lag: a KPI expected to move first and one expected to follow, the delay in months, the "
            "status and the reason. A relationship missing from the file is kept; mark it rejected instead."
        ),
        columns=(
            refers("lead", "kpis", "The lead KPI's code: the one expected to move first"),
            refers("lag", "kpis", "The lag KPI's code: the one expected to follow"),
            whole(
                "delay_months", "Months after which the lag follows, 0 to 12", choices=range(13), default=0
            ),
            choice("status", list(KpiRelationship.Status.values), "accepted, suggested or rejected"),
            Column("rationale", Kind.TEXT, "Why the lead is expected to move first, and what the data shows"),
        ),
        key=("lead", "lag"),
        stored=stored.relationship_rows,
        save=writers.save_relationship,
    ),
    Sheet(
        name="criteria",
        about="The rating criteria (DESIGN §4.5): each selects KPIs by domain, tag and key flag.",
        columns=(
            code(Criterion, "code", "e.g. FIN", required=True),
            text(Criterion, "name", "Its name", required=True),
            whole("order", "Where it comes, from 0", default=0),
            refers("domain", "domains", "KPIs of this domain (blank: any)", required=False),
            Column("tag", Kind.CODE, "KPIs with this tag (blank: any)", max_length=40),
            flag("key_only", "yes to select key KPIs only"),
            flag("counts_policy_breaches", "yes if a recorded policy breach fails it"),
        ),
        key=("code",),
        stored=stored.criterion_rows,
        save=writers.save_criterion,
    ),
    Sheet(
        name="freedoms",
        about="The scheme of delegation: freedoms held at a position or better.",
        columns=(
            whole("position", "Held at this position or better, 1 to 4", choices=range(1, 5)),
            text(Freedom, "name", "The freedom", required=True),
            Column("detail", Kind.TEXT, "What it allows"),
            whole("order", "Where it comes, from 0", default=0),
        ),
        key=("position", "name"),
        stored=stored.freedom_rows,
        save=writers.save_freedom,
    ),
    Sheet(
        name="committees",
        about="The committees cases are escalated to, and when each meets.",
        columns=(
            code(Committee, "code", "e.g. fpec", required=True),
            text(Committee, "name", "Its name", required=True),
            Column("purpose", Kind.TEXT, "What it is for"),
            whole("order", "Where it comes, from 0", default=0),
            whole("meets_weekday", "The weekday it meets: 0 = Monday … 6 = Sunday", choices=range(7)),
            whole(
                "meets_week", "The week of the month: 1 to 4, or -1 for the last", choices=(1, 2, 3, 4, -1)
            ),
        ),
        key=("code",),
        stored=stored.committee_rows,
        save=writers.save_committee,
    ),
    Sheet(
        name="terms_of_reference",
        about="Each kind of meeting's terms of reference: its purpose, chair, essential roles and quorum.",
        columns=(
            choice("kind", list(MeetingKind.values), "prm or accountability_review"),
            Column("purpose", Kind.TEXT, "What the meeting is for", required=True),
            choice("chair_role", list(Role.values), "The role of the chair"),
            Column(
                "essential_roles",
                Kind.LIST,
                "Roles whose holders must attend, separated by ;",
                choices=tuple(Role.values),
            ),
            Column("quorum", Kind.TEXT, "What makes it quorate"),
        ),
        key=("kind",),
        stored=stored.terms_rows,
        save=writers.save_terms,
    ),
    Sheet(
        name="priorities",
        about=(
            "The Board's annual priorities (DESIGN §9): each with its executive owner, the objectives it "
            "serves and the KPIs that show its progress. A priority missing from the file is kept."
        ),
        columns=(
            Column("financial_year", Kind.YEAR, "e.g. 2025/26", required=True),
            text(Priority, "title", "The priority, as the Board states it", required=True),
            Column("description", Kind.TEXT, "What it will achieve"),
            refers("owner", "users", "The username of the executive who owns it"),
            Column("objectives", Kind.TEXT, "The strategic objectives it serves, separated by ;"),
            refers(
                "division",
                "org_units",
                "The code of the division that leads it; blank: trust-wide",
                required=False,
            ),
            Column("kpis", Kind.LIST, "The codes of the KPIs that show its progress, separated by ;"),
        ),
        key=("financial_year", "title"),
        stored=stored.priority_rows,
        save=writers.save_priority,
    ),
    Sheet(
        name="milestones",
        about=(
            "Each priority's dated milestones; a milestone is overdue when it is not completed by its due "
            "date. A milestone missing from the file is kept."
        ),
        columns=(
            Column("financial_year", Kind.YEAR, "The priority's year, e.g. 2025/26", required=True),
            Column(
                "priority",
                Kind.TEXT,
                "The priority's title, as on the priorities sheet",
                required=True,
                max_length=_length(Priority, "title"),
            ),
            text(Milestone, "title", "The milestone", required=True),
            day("due_date", "The day it is due", required=True),
            day("completed_on", "The day it was completed; blank while it is not"),
            refers(
                "org_unit",
                "org_units",
                "The unit that delivers it; blank: the priority's division",
                required=False,
            ),
        ),
        key=("financial_year", "priority", "title"),
        stored=stored.milestone_rows,
        save=writers.save_milestone,
    ),
)
BY_NAME = {sheet.name: sheet for sheet in SHEETS}
