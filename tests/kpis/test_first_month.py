"""A new trust's first month: the template the catalogue expects, the month it defaults to, and a first file
with no history checked and published (DESIGN §7, first month)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest
import time_machine
from django.urls import reverse

from divisions.models import Level, Role
from divisions.services.org import save_org_unit
from divisions.services.roles import assign_role
from kpis.ingest.template import catalogue_pairs, next_unpublished_month
from kpis.ingest.validate import review_warnings
from kpis.models import Upload
from kpis.services.catalogue import save_domain, save_kpi, save_suite
from kpis.services.submission import confirm_upload, publish_upload, receive_upload, validate_upload
from reviews.services.defaults import seed_rating_defaults
from tests.factories import UserFactory

OPENED = date(2025, 4, 1)
TODAY = date(2025, 5, 14)  # the trust's first month, April 2025, has ended
# code, level, parent code
UNITS = [
    ("NEW", Level.TRUST, None),
    ("NEW-MED", Level.DIVISION, "NEW"),
    ("NEW-MED-UEC", Level.SERVICE, "NEW-MED"),
    ("NEW-MED-CAR", Level.SERVICE, "NEW-MED"),
    ("NEW-MED-CAR-W1", Level.TEAM, "NEW-MED-CAR"),
]
LEAVES = ["NEW-MED-CAR-W1", "NEW-MED-UEC"]
EVERY_UNIT = sorted(code for code, _, _ in UNITS)


def new_trust() -> dict[str, Any]:
    """A trust set up through the services, with nothing reported yet: its tree, the four domains, two KPIs
    in the year's suite (a percentage that rolls up and a median that cannot), and a performance-team
    member."""
    units: dict[str, Any] = {}
    for code, level, parent in UNITS:
        units[code] = save_org_unit(
            actor=None,
            code=code,
            name=code,
            level=level,
            parent=units[parent] if parent else None,
            active_from=OPENED,
        )
    domains = {
        code: save_domain(actor=None, code=code, name=code.title(), order=i)
        for i, code in enumerate(("finance", "workforce", "quality", "operational"))
    }
    common: dict[str, Any] = {
        "domain": domains["operational"],
        "owner": "Chief Operating Officer",
        "tags": [],
    }
    kpis = [
        save_kpi(
            actor=None,
            code="AE-4H",
            name="Four hours",
            unit="percent",
            direction="higher_is_better",
            aggregation="ratio",
            is_key=True,
            **common,
        ),
        save_kpi(
            actor=None,
            code="WAIT-MED",
            name="Median wait",
            unit="minutes",
            direction="lower_is_better",
            aggregation="none",
            is_key=False,
            **common,
        ),
    ]
    save_suite(actor=None, financial_year="2025/26", kpis=kpis)
    perf: Any = UserFactory(username="perf")
    assign_role(actor=None, user=perf, role=Role.PERFORMANCE_TEAM, org_unit=None, start=OPENED)
    return {"perf": perf, **units}


def first_file() -> bytes:
    """April's figures for every row of the template: the percentage at the leaves, the median everywhere."""
    lines = ["kpi_code,org_code,month,numerator,denominator,value"]
    lines += [f"AE-4H,{code},2025-04,80,100," for code in LEAVES]
    lines += [f"WAIT-MED,{code},2025-04,,,{12 + i}.5" for i, code in enumerate(EVERY_UNIT)]
    return ("\n".join(lines) + "\n").encode()


# --- the catalogue's pairs, pure ----------------------------------------------------------------------------


def _units(rows: list[tuple[int, str, str, int | None, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(i, code, level, parent, date(2020, 4, 1), until) for i, code, level, parent, until in rows],
        columns=["org_unit_id", "org_code", "level", "parent_id", "active_from", "active_to"],
    )


TREE = _units(
    [
        (1, "T", "trust", None, None),
        (2, "D", "division", 1, None),
        (3, "S1", "service", 2, None),
        (4, "S2", "service", 2, None),
        (5, "W", "team", 4, None),
        (6, "OLD", "service", 2, "2024-03-31"),
    ]
)
KPIS = pd.DataFrame(
    [(10, "RATIO", "ratio", ""), (11, "MEDIAN", "none", "")],
    columns=["kpi_id", "kpi_code", "aggregation", "reporting_level"],
)
NOTHING_REPORTED = pd.DataFrame(columns=["kpi_id", "level"])


def _pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["kpi_code"], frame["org_code"], strict=True))


def test_catalogue_pairs_of_a_new_trust_are_the_leaves_for_a_roll_up_and_every_unit_for_a_median():
    pairs = catalogue_pairs(kpis=KPIS, units=TREE, reported_levels=NOTHING_REPORTED, month=date(2025, 4, 1))
    assert _pairs(pairs) == {("RATIO", "S1"), ("RATIO", "W")} | {
        ("MEDIAN", code) for code in ("T", "D", "S1", "S2", "W")
    }


def test_catalogue_pairs_follow_the_levels_reported_and_leave_the_roll_up_to_the_roll_up():
    reported = pd.DataFrame([(10, "service"), (10, "team"), (11, "trust")], columns=["kpi_id", "level"])
    pairs = catalogue_pairs(kpis=KPIS, units=TREE, reported_levels=reported, month=date(2025, 4, 1))
    # S2 is rolled up from its ward; the retired service is not expected; the median stays at the trust.
    assert _pairs(pairs) == {("RATIO", "S1"), ("RATIO", "W"), ("MEDIAN", "T")}


def test_catalogue_pairs_expect_a_retired_unit_in_the_months_it_was_active():
    pairs = catalogue_pairs(
        kpis=KPIS[:1], units=TREE, reported_levels=NOTHING_REPORTED, month=date(2024, 3, 1)
    )
    assert ("RATIO", "OLD") in _pairs(pairs)


def test_catalogue_pairs_of_a_kpi_with_a_reporting_level_are_every_unit_at_that_level_active_that_month():
    """DESIGN §7: the catalogue's reporting level decides, not what was reported lately."""
    kpis = KPIS.assign(reporting_level=["service", "trust"])
    reported = pd.DataFrame([(10, "team"), (11, "division")], columns=["kpi_id", "level"])

    pairs = catalogue_pairs(kpis=kpis, units=TREE, reported_levels=reported, month=date(2025, 4, 1))
    before_retirement = catalogue_pairs(
        kpis=kpis, units=TREE, reported_levels=reported, month=date(2024, 3, 1)
    )

    # Both services, S2 too though its ward reported the ratio; not the retired one; the median at the trust.
    assert _pairs(pairs) == {("RATIO", "S1"), ("RATIO", "S2"), ("MEDIAN", "T")}
    assert ("RATIO", "OLD") in _pairs(before_retirement)


def test_catalogue_pairs_mix_kpis_with_a_reporting_level_and_kpis_left_to_be_inferred():
    kpis = KPIS.assign(reporting_level=["division", ""])
    pairs = catalogue_pairs(kpis=kpis, units=TREE, reported_levels=NOTHING_REPORTED, month=date(2025, 4, 1))
    assert _pairs(pairs) == {("RATIO", "D")} | {("MEDIAN", code) for code in ("T", "D", "S1", "S2", "W")}


@pytest.mark.parametrize(
    ("latest", "today", "expected"),
    [
        (None, date(2025, 5, 14), date(2025, 4, 1)),  # nothing published: the last month that has ended
        (date(2025, 2, 1), date(2025, 5, 14), date(2025, 3, 1)),  # behind: the month after the latest
        (date(2025, 4, 1), date(2025, 5, 14), date(2025, 4, 1)),  # up to date: the month ended last
        (date(2024, 12, 1), date(2025, 3, 2), date(2025, 1, 1)),  # across a calendar year
    ],
)
def test_the_template_defaults_to_the_next_unpublished_month(latest, today, expected):
    assert next_unpublished_month(latest_published=latest, today=today) == expected


# --- crash 1: the large-change warning on a unit's first value ----------------------------------------------


def test_a_units_first_value_beside_others_with_a_month_before_gets_warnings_not_a_crash():
    """Issue 16: a unit's first submission with no earlier value raised UFuncTypeError in the large-change
    warning (a reason written for an empty column of numbers), and the upload stuck at "Validating". Unit 6
    has no month before; unit 5 has one, and limits, so the other warnings still run beside it."""
    month = pd.Timestamp("2025-08-01")
    clean = pd.DataFrame(
        {
            "row": [2, 3],
            "kpi_id": [1, 1],
            "org_unit_id": [6, 7],
            "month": [month, month],
            "numerator": [90.0, 91.0],
            "denominator": [100.0, 100.0],
            "value": [90.0, 91.0],
        }
    )
    raw = clean[["row"]].assign(numerator=["90", "91"], denominator="100", value="")
    kpis = pd.DataFrame(
        [("AE", 1, "percent", "ratio", 100.0, None, None)],
        columns=["kpi_code", "kpi_id", "unit", "aggregation", "scale", "plausible_min", "plausible_max"],
    )
    previous = pd.DataFrame({"kpi_id": [1], "org_unit_id": [5], "month": [month], "value": [40.0]})
    limits = pd.DataFrame(
        {"kpi_id": [1], "org_unit_id": [5], "mean": [40.0], "lower": [38.0], "upper": [42.0]}
    )
    expected = pd.DataFrame(columns=["kpi_id", "org_unit_id", "month", "kpi_code", "org_code"])

    warnings = review_warnings(clean, kpis=kpis, raw=raw, previous=previous, limits=limits, expected=expected)

    assert warnings.empty
    # The same unit with a month before it, 125% up, is warned about as before.
    with_history = clean.assign(org_unit_id=[5, 7])
    again = review_warnings(
        with_history, kpis=kpis, raw=raw, previous=previous, limits=limits, expected=expected
    )
    assert set(again["code"]) == {"large_change", "far_outside_limits"}


# --- a new trust, end to end --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_trusts_template_lists_every_pair_the_catalogue_expects_for_the_month_not_yet_published(client):
    trust = new_trust()
    client.force_login(trust["perf"])
    with time_machine.travel(TODAY):
        page = client.get(reverse("uploads")).content.decode()
        response = client.get(reverse("upload-template"))
    assert 'value="2025-04"' in page
    lines = response.content.decode("utf-8-sig").splitlines()
    rows = {tuple(line.split(",")[:3]) for line in lines[1:]}
    assert rows == {("AE-4H", code, "2025-04") for code in LEAVES} | {
        ("WAIT-MED", code, "2025-04") for code in EVERY_UNIT
    }


@pytest.mark.django_db
def test_the_template_lists_a_kpi_at_its_reporting_level_set_on_the_kpi_page_after_a_month_reported_elsewhere(
    client, django_capture_on_commit_callbacks
):
    """April is reported at the leaves; the performance team then sets AE-4H's reporting level to division on
    the KPI setup page, and May's template lists it for the division alone (the median stays everywhere)."""
    from kpis.models import Kpi

    trust = new_trust()
    seed_rating_defaults(actor=None)
    perf = trust["perf"]
    with django_capture_on_commit_callbacks(execute=True):
        publish_upload(actor=perf, upload=_confirmed_first_file(perf))
    kpi = Kpi.objects.get(code="AE-4H")
    client.force_login(perf)
    form = client.get(reverse("setup-kpi", args=["AE-4H"])).content.decode()
    post = {
        name: value
        for name, value in {
            **{f.name: getattr(kpi, f.attname) for f in Kpi._meta.concrete_fields},
            "tags": [],
            "reporting_level": "division",
        }.items()
        if value is not None and name not in {"id", "code"}
    }

    saved = client.post(reverse("setup-kpi", args=["AE-4H"]), post)
    with time_machine.travel(date(2025, 6, 3)):
        response = client.get(reverse("upload-template"))

    assert 'name="reporting_level"' in form
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert Kpi.objects.get(code="AE-4H").reporting_level == "division"
    rows = {tuple(line.split(",")[:2]) for line in response.content.decode("utf-8-sig").splitlines()[1:]}
    assert {org for kpi_code, org in rows if kpi_code == "AE-4H"} == {"NEW-MED"}
    assert {org for kpi_code, org in rows if kpi_code == "WAIT-MED"} == set(EVERY_UNIT)


@pytest.mark.django_db
def test_a_first_file_with_no_history_is_accepted_and_published_and_the_template_moves_on(
    client, django_capture_on_commit_callbacks
):
    trust = new_trust()
    seed_rating_defaults(actor=None)  # what the publish needs first (see test_publish_preconditions)
    perf = trust["perf"]
    with time_machine.travel(TODAY):
        upload = validate_upload(
            upload_id=receive_upload(actor=perf, content=first_file(), name="april.csv").upload.pk
        )
        assert upload.status == Upload.Status.VALID, upload.errors or upload.failure_reference
        assert upload.summary["new"] == len(LEAVES) + len(EVERY_UNIT)
        confirm_upload(actor=perf, upload=upload)
        with django_capture_on_commit_callbacks(execute=True):
            publish_upload(actor=perf, upload=Upload.objects.get(pk=upload.pk))
    with time_machine.travel(date(2025, 6, 3)):
        client.force_login(perf)
        response = client.get(reverse("upload-template"))
    assert response["Content-Disposition"].endswith('pmf-template-2025-05.csv"')
    assert len(response.content.decode("utf-8-sig").splitlines()) == 1 + len(LEAVES) + len(EVERY_UNIT)


# --- crash 2: the first publish before the rating criteria are set up ---------------------------------------


def _confirmed_first_file(perf) -> Upload:
    with time_machine.travel(TODAY):
        upload = validate_upload(
            upload_id=receive_upload(actor=perf, content=first_file(), name="april.csv").upload.pk
        )
        confirm_upload(actor=perf, upload=upload)
    return Upload.objects.get(pk=upload.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("criteria", [(), ("FIN", "QUAL", "PERF")], ids=["none", "three of four"])
def test_a_publish_without_the_four_rating_criteria_is_refused_with_what_to_set_up_and_writes_nothing(
    client, criteria, django_capture_on_commit_callbacks
):
    """Issue 16: the first publish with no rating criteria published the data, then its ratings failed ("a
    rating needs exactly four criteria") and escalations never ran. The publish is refused before it
    writes."""
    from pipeline.models import PipelineRun
    from reviews.models import Criterion

    trust = new_trust()
    seed_rating_defaults(actor=None)
    Criterion.objects.exclude(code__in=criteria).delete()
    upload = _confirmed_first_file(trust["perf"])
    client.force_login(trust["perf"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("upload-publish", kwargs={"pk": upload.pk}), follow=True)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Not published, and nothing written" in page and "exactly 4 rating criteria" in page
    assert f"{len(criteria)} {'is' if len(criteria) == 1 else 'are'} set up" in page
    assert "Reviews › Criteria" in page
    assert Upload.objects.get(pk=upload.pk).status == Upload.Status.CONFIRMED
    assert not upload.measurements.filter(status="published").exists()
    assert not PipelineRun.objects.exists()

    seed_rating_defaults(actor=None)  # the performance team sets them up, and publishes again
    with django_capture_on_commit_callbacks(execute=True):
        publish_upload(actor=trust["perf"], upload=upload)
    assert Upload.objects.get(pk=upload.pk).status == Upload.Status.PUBLISHED
    assert PipelineRun.objects.get().status == "done"


@pytest.mark.django_db
def test_a_first_month_with_no_plans_is_not_rated_and_the_pages_say_why_and_what_to_set_up(
    client, django_capture_on_commit_callbacks
):
    """DESIGN §7: no KPI with a plan is no evidence, so no position and no freedoms, reviewed monthly."""
    from reviews.models import DivisionRating

    trust = new_trust()
    seed_rating_defaults(actor=None)
    upload = _confirmed_first_file(trust["perf"])
    with django_capture_on_commit_callbacks(execute=True):
        publish_upload(actor=trust["perf"], upload=upload)

    rating = DivisionRating.objects.get(division__code="NEW-MED")
    assert not rating.is_rated and rating.computed_position is None and rating.effective_position is None
    assert rating.review_frequency == "monthly" and "not rated" in rating.frequency_reason
    assert rating.explanation.startswith("Not rated: FIN, QUAL, PERF and POL are not assessed")
    assert "set a target or trajectory for AE-4H" in rating.explanation
    client.force_login(trust["perf"])
    page = client.get(reverse("division", kwargs={"code": "NEW-MED"})).content.decode()
    overview = client.get(reverse("ratings")).content.decode()
    assert "Not rated" in page and "set a target or trajectory for AE-4H" in page
    assert "holds no delegated freedoms" in page and "None" not in page.split("<main", 1)[-1]
    assert "Not rated" in overview


# --- crash 3: a summed KPI that only one unit reported in the trust's first month ---------------------------


@pytest.mark.django_db
def test_a_summed_kpi_reported_by_one_unit_in_the_first_month_rolls_up_to_every_ancestor(
    django_capture_on_commit_callbacks,
):
    """Publishing the first month of a summed KPI that only one unit reported raised ZeroDivisionError in the
    roll-up: with no denominator anywhere in the year the database gives a column of None, which pandas sums
    to 0 and then divides by. Its ancestors each get the one value, complete (one child of one)."""
    from kpis.models import Kpi, Measurement
    from pipeline.models import PipelineRun

    trust = new_trust()
    falls = save_kpi(
        actor=None,
        code="FALLS",
        name="Falls",
        unit="count",
        direction="lower_is_better",
        aggregation="sum",
        is_key=False,
        domain=Kpi.objects.get(code="AE-4H").domain,
        owner="Chief Nurse",
        tags=[],
    )
    save_suite(actor=None, financial_year="2025/26", kpis=[falls])
    seed_rating_defaults(actor=None)
    perf = trust["perf"]
    medians = [line for line in first_file().splitlines() if not line.startswith(b"AE-4H,")]
    content = b"\n".join([*medians, b"FALLS,NEW-MED-CAR-W1,2025-04,3,,", b""])
    with time_machine.travel(TODAY):
        upload = validate_upload(
            upload_id=receive_upload(actor=perf, content=content, name="april.csv").upload.pk
        )
        assert upload.status == Upload.Status.VALID, upload.errors or upload.failure_reference
        confirm_upload(actor=perf, upload=upload)
        with django_capture_on_commit_callbacks(execute=True):
            publish_upload(actor=perf, upload=Upload.objects.get(pk=upload.pk))

    assert Upload.objects.get(pk=upload.pk).status == Upload.Status.PUBLISHED
    assert PipelineRun.objects.get().status == "done"
    rolled = Measurement.objects.filter(kpi=falls, status="published", is_rollup=True)
    assert {m.org_unit.code: (m.value, m.children_contributing, m.children_expected) for m in rolled} == {
        "NEW-MED-CAR": (3, 1, 1),
        "NEW-MED": (3, 1, 1),
        "NEW": (3, 1, 1),
    }
