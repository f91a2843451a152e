"""An ambulance trust's pages never say "division" (DESIGN §7; issue 16): they say what the trust calls its
levels and its rating positions, and write every duration as m:ss.

The small world (``tests.world``) is dressed as an ambulance trust: its levels are named as Yorkshire
Ambulance Service names them (Trust / Directorate / Service line / Team), its profile names the positions as
the YAS strategy does (DESIGN §4.5), and a key response-time KPI in seconds misses its plan. Every page the
permission matrix opens for the performance team or an executive is read as a reader sees it (tags,
attributes and scripts dropped), and so are the PDFs, the rating explanations and the escalation evidence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta

import pytest
from django.urls import reverse

from divisions.models import Level, TrustProfile, TrustType
from divisions.services.org import set_level_labels
from kpis.models import Domain, Upload
from kpis.services.catalogue import save_kpi, save_suite, save_target
from kpis.services.submission import confirm_upload, publish_upload, receive_upload, validate_upload
from pmf.models import User
from reviews.models import DivisionRating, Meeting
from reviews.services.packs import build_pack
from tests.pmf.test_no_raw_floats import page_text, pdf_text, unformatted
from tests.test_permissions import MATRIX, OK, DemoRow, SurgeryPk
from tests.world import HIGHER, LOWER, MONTHS, SUBMITTING, KpiSpec, build_world, once_for_the_module

pytestmark = pytest.mark.django_db

AMBULANCE_LABELS = {
    Level.TRUST: ("Trust", "Trusts"),
    Level.DIVISION: ("Directorate", "Directorates"),
    Level.SERVICE: ("Service line", "Service lines"),
    Level.TEAM: ("Team", "Teams"),
}
YAS_POSITIONS = {
    "1": "Performing (earned freedoms)",
    "2": "Performing (earned freedoms)",
    "3": "Performance under review",
    "4": "Underperforming / failing",
}
RESPONSE = "C2-MEAN"  # a key KPI in seconds: Category 2 mean response time, plan 18:00
PLAN_SECONDS = 1080
# KPIs for the criteria the world has none for (finance, quality, policy), so each directorate is rated, and a
# response time in seconds that misses its plan, so the explanations write durations. They join the
# catalogue in 2025/26 (the 2024/25 suite was agreed without them) and are submitted for its months.
EXTRA_KPIS = [
    KpiSpec(
        RESPONSE, "Category 2 mean response time", "operational", "seconds", LOWER, "mean_weighted", 1080
    ),
    KpiSpec("FIN-VAR", "Income and expenditure variance", "finance", "currency", HIGHER, "sum", 0),
    KpiSpec("QUAL-HARM", "Incidents causing harm", "quality", "count", LOWER, "sum", 10),
    KpiSpec("MAND-TRAIN", "Mandatory training compliance", "workforce", "percent", HIGHER, "ratio", 90),
]
POLICY_KPIS = {"MAND-TRAIN"}
EXTRA_MONTHS = [month for month in MONTHS if month >= date(2025, 4, 1)]
# The word, not a code: "divisions.OrgUnit" in the audit trail's filter names a model for a program.
DIVISION = re.compile(r"(?<![\w.])divisions?(?:al)?\b(?!\.\w)", re.IGNORECASE)
DURATION = re.compile(r"\b\d{1,2}:\d\d(?::\d\d)?\b")
# The audit trail quotes records as they were written (a level label's old name, an old explanation).
QUOTES_RECORDS = {"audit", "audit-export"}
# The matrix's demo codes, as the world names the same things.
WORLD_CODES = {"RWD-SUR": "WLD-SUR", "RWD": "WLD", "RTT-18W": "RTT-18"}


def extra_figures(code: str, u: int, m: int) -> tuple[int, int | str]:
    """A unit's numerator and denominator of an extra KPI: every response-time mean over its plan (19:00 and
    up), an overspend, a few incidents and 85% training compliance."""
    incidents = 100 + 10 * u
    figures: dict[str, tuple[int, int | str]] = {
        RESPONSE: (incidents * (1140 + 30 * u + 7 * m), incidents),
        "FIN-VAR": (-20 - 5 * u, ""),
        "QUAL-HARM": (3 + u, ""),
        "MAND-TRAIN": (85 * (10 + u), 100 * (10 + u)),
    }
    return figures[code]


def extra_file() -> bytes:
    lines = ["kpi_code,org_code,month,numerator,denominator,value"]
    for spec in EXTRA_KPIS:
        for u, unit in enumerate(SUBMITTING):
            for m, month in enumerate(EXTRA_MONTHS):
                numerator, denominator = extra_figures(spec.code, u, m)
                lines.append(f"{spec.code},{unit},{month:%Y-%m},{numerator},{denominator},")
    return ("\n".join(lines) + "\n").encode()


def build_ambulance_world():
    """The world, in an ambulance trust's words, with every criterion's KPIs published and rated."""
    world = build_world()
    set_level_labels(actor=None, trust=world.trust, labels=AMBULANCE_LABELS)
    TrustProfile.objects.create(
        trust=world.trust, ods_code="WLD", trust_type=TrustType.AMBULANCE, position_names=YAS_POSITIONS
    )
    domains = {d.code: d for d in Domain.objects.all()}
    extra = []
    for spec in EXTRA_KPIS:
        kpi = save_kpi(
            actor=None,
            code=spec.code,
            tags=["policy"] if spec.code in POLICY_KPIS else [],
            name=spec.name,
            domain=domains[spec.domain],
            unit=spec.unit,
            direction=spec.direction,
            aggregation=spec.aggregation,
            is_key=True,
            owner="Director of Operations",
        )
        save_target(
            actor=None,
            kpi=kpi,
            org_unit=None,
            financial_year="2025/26",
            value=spec.plan,
            tolerance=0,
            set_by="local",
            effective_from=date(2025, 4, 1),
        )
        extra.append(kpi)
    save_suite(actor=None, financial_year="2025/26", kpis=[*world.kpis.values(), *extra])
    perf = world.users["perf"]
    received = receive_upload(actor=perf, content=extra_file(), name="directorates.csv")
    upload = validate_upload(upload_id=received.upload.pk)
    assert upload.status == Upload.Status.VALID, upload.errors[:3]
    confirm_upload(actor=perf, upload=upload)
    publish_upload(actor=perf, upload=Upload.objects.get(pk=upload.pk))
    return world


@pytest.fixture(scope="module")
def module_ambulance(django_db_setup, django_db_blocker):
    yield from once_for_the_module(django_db_blocker, build_ambulance_world)


@pytest.fixture
def ambulance(module_ambulance, db):
    return module_ambulance


def said_division(text: str) -> list[str]:
    """Each "division" in `text`, with a little of the text around it."""
    text = " ".join(text.split())
    return [f"…{text[max(0, m.start() - 50) : m.end() + 50]}…" for m in DIVISION.finditer(text)]


def world_kwargs(kwargs: Mapping[str, object], world) -> dict[str, str] | None:
    """The matrix's example arguments for a URL, as the world names them; None where the world has none."""
    out = {}
    for key, value in kwargs.items():
        if isinstance(value, SurgeryPk):
            from django.apps import apps

            rows = apps.get_model(value.label).objects.filter(division=world.surgery).order_by("pk")
            first = rows.values_list("pk", flat=True).first()
            if first is None:
                return None
            out[key] = str(first)
        elif isinstance(value, DemoRow):
            pk = value.pk()
            if pk is None:
                return None
            out[key] = str(pk)
        elif key == "reference":
            case = world.surgery.escalation_cases.order_by("pk").first()
            if case is None:
                return None
            out[key] = case.reference
        else:
            out[key] = WORLD_CODES.get(str(value), str(value))
    return out


def built_pack(world):
    """A data pack for Surgery's next planned meeting, built as the performance team builds it."""
    meeting = (
        Meeting.objects.filter(division=world.surgery, status="planned").order_by("scheduled_for").first()
    )
    assert meeting is not None, "the world's ratings plan Surgery's meetings"
    build_pack(meeting=meeting, actor=world.users["perf"], today=MONTHS[-1] + timedelta(days=30))
    return meeting


def readable(response) -> str:
    if response["Content-Type"].startswith("application/pdf"):
        return pdf_text(response.content)
    if response["Content-Type"].startswith("text/html"):
        return page_text(response.content.decode())
    return ""  # CSV and Excel downloads: their column names are for programs


def sweep(client, world, username: str) -> dict[str, list[str]]:
    """Every page the matrix opens for `username`'s persona, with each "division" its reader sees."""
    persona = {"perf": "performance", "exec": "executive"}[username]
    client.force_login(User.objects.get(username=username))
    found: dict[str, list[str]] = {}
    for name, (kwargs, expected) in MATRIX.items():
        if name.startswith("admin:") or name in QUOTES_RECORDS or expected[persona] not in (OK, 404):
            continue
        args = world_kwargs(kwargs, world)
        if args is None:
            continue
        response = client.get(reverse(name, kwargs=args))
        if response.status_code != OK:
            continue
        if hits := said_division(readable(response)):
            found[name] = hits
    return found


TEMPLATE_CODE = re.compile(r"{#.*?#}|{%.*?%}|{{.*?}}", re.DOTALL)
HIDDEN_MARKUP = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.DOTALL | re.IGNORECASE)


def template_words(source: str) -> str:
    """The words a template writes itself: its tags, variables, comments and markup dropped."""
    return HIDDEN_MARKUP.sub(" ", TEMPLATE_CODE.sub(" ", source))


def test_no_template_says_division_in_its_own_words():
    from django.conf import settings

    root = settings.BASE_DIR / "templates"
    found = {
        path.relative_to(root).as_posix(): hits
        for path in sorted(root.rglob("*.html"))
        if (hits := said_division(template_words(path.read_text())))
    }
    assert not found, "write {{ trust_words.division }} (or |lower) instead: " + repr(found)


def test_the_ambulance_world_names_its_levels_and_positions_as_the_trust_does(ambulance, client):
    client.force_login(ambulance.users["perf"])
    home = page_text(client.get(reverse("home")).content.decode())
    assert "Directorates" in home and "Directorate ratings and earned autonomy" in home
    ratings = page_text(client.get(reverse("ratings")).content.decode())
    latest = DivisionRating.objects.filter(division=ambulance.surgery).latest("month")
    assert latest.effective_position is not None, latest.explanation
    assert YAS_POSITIONS[str(latest.effective_position)] in ratings
    assert "Failing" not in ratings and "Maximum autonomy" not in ratings  # the generic names


def test_no_page_the_performance_team_opens_says_division(ambulance, client):
    built_pack(ambulance)
    found = sweep(client, ambulance, "perf")
    assert not found, "\n".join(f"{name}: {hit}" for name, hits in found.items() for hit in hits)


def test_no_page_an_executive_opens_says_division(ambulance, client):
    built_pack(ambulance)
    found = sweep(client, ambulance, "exec")
    assert not found, "\n".join(f"{name}: {hit}" for name, hits in found.items() for hit in hits)


def test_the_ratings_and_escalations_explain_themselves_in_the_trusts_words(ambulance):
    texts = [
        text
        for r in DivisionRating.objects.all()
        for text in (r.explanation, r.effective_reason, r.frequency_reason)
    ]
    texts += [
        text
        for case in ambulance.surgery.escalation_cases.all()
        for text in (case.reason, case.exit_criteria)
    ]
    assert texts
    found = sorted({hit for text in texts for hit in said_division(text)})
    assert not found, "\n".join(found)


def test_durations_in_explanations_read_as_minutes_and_seconds(ambulance):
    explanations = [
        r.explanation
        for r in DivisionRating.objects.filter(division=ambulance.surgery)
        if RESPONSE in r.explanation
    ]
    assert explanations, "the response time misses its plan, so the explanations name it"
    for text in explanations:
        assert DURATION.search(text) and "18:00" in text, text
        assert unformatted(text) == []
    evidence = [case.reason for case in ambulance.surgery.escalation_cases.filter(kpi__code=RESPONSE)]
    assert evidence, "four months over plan open a case on the response time"
    for text in evidence:
        assert DURATION.search(text) and "18:00" in text, text
        assert unformatted(text) == []
