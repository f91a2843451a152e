"""Computing and storing division ratings from published data (DESIGN §4.3, §4.5)."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from kpis.models import Domain, Kpi, Measurement, Tag, Target
from pmf.models import AuditEvent
from reviews.models import AccountabilityReview, DivisionRating, PolicyBreach, SpecialMeasures
from reviews.services.defaults import seed_rating_defaults
from reviews.services.ratings import compute_ratings, record_accountability_review
from tests.factories import KpiFactory, OrgUnitFactory, TrustFactory, UserFactory

pytestmark = pytest.mark.django_db

JUNE, JULY, AUGUST, SEPTEMBER = date(2025, 6, 1), date(2025, 7, 1), date(2025, 8, 1), date(2025, 9, 1)
DOMAINS = {"finance": "Finance", "quality": "Quality", "operational": "Operational", "workforce": "Workforce"}


class World:
    """One trust, one division, and one key and one non-key KPI per criterion, each with a target of 90."""

    def __init__(self):
        self.trust = TrustFactory(code="T")
        self.division = OrgUnitFactory(code="T-DIV", name="Division", parent=self.trust)
        policy = Tag.objects.create(slug="policy")
        for i, (code, name) in enumerate(DOMAINS.items()):
            Domain.objects.create(code=code, name=name, order=i)
        seed_rating_defaults()
        self.kpis = {}
        for code, crit in (
            ("finance", "FIN"),
            ("quality", "QUAL"),
            ("operational", "PERF"),
            ("workforce", "POL"),
        ):
            for key in (True, False):
                kpi = KpiFactory(
                    code=f"{crit}-{'K' if key else 'N'}", domain=Domain.objects.get(code=code), is_key=key
                )
                if crit == "POL":
                    kpi.tags.add(policy)
                Target.objects.create(
                    kpi=kpi, financial_year="2025/26", value=90, effective_from=date(2025, 4, 1)
                )
                self.kpis[kpi.code] = kpi
        self.neutral = KpiFactory(
            code="PERF-ACT", domain=Domain.objects.get(code="operational"), direction="neutral"
        )

    def publish(self, month, values, *, unit=None):
        """Publish ``values`` (KPI code → value; None for a missing value) for the division."""
        for code, value in values.items():
            if value is not None:
                Measurement.objects.create(
                    kpi=Kpi.objects.get(code=code),
                    org_unit=unit or self.division,
                    month=month,
                    value=value,
                    status=Measurement.Status.PUBLISHED,
                )

    def month(self, month, misses=(), missing=(), neutral=50.0):
        """Every KPI met (95) except ``misses`` (80) and ``missing`` (no data; another unit reports it)."""
        values = {code: (80.0 if code in misses else 95.0) for code in self.kpis}
        for code in missing:
            values[code] = None
            self.publish(month, {code: 95.0}, unit=self.other)
        values["PERF-ACT"] = neutral
        self.publish(month, values)

    @property
    def other(self):
        count = OrgUnitFactory._meta.model.objects.count()
        return OrgUnitFactory(code=f"OTHER-{count}", level="service", parent=self.division)


@pytest.fixture
def world():
    return World()


def rating(world, month):
    return DivisionRating.objects.get(division=world.division, month=month)


@pytest.mark.parametrize(
    ("misses", "position", "frequency", "category"),
    [
        ((), 1, "6-monthly", "Performing (earned freedoms)"),
        (("FIN-N",), 2, "quarterly", "Performing (earned freedoms)"),
        (("FIN-N", "QUAL-N", "PERF-N", "POL-N"), 2, "quarterly", "Performing (earned freedoms)"),
        (("FIN-K",), 3, "monthly", "Performance under review"),
        (("FIN-K", "QUAL-K"), 3, "monthly", "Performance under review"),
        (("FIN-K", "QUAL-K", "PERF-K"), 4, "monthly", "Underperforming / failing"),
        (("FIN-K", "QUAL-K", "PERF-K", "POL-K"), 4, "weekly", "Underperforming / failing"),
    ],
)
def test_position_from_published_data(world, misses, position, frequency, category):
    world.month(JULY, misses=misses)
    compute_ratings(months=[JULY])
    r = rating(world, JULY)
    assert (r.computed_position, r.effective_position, r.review_frequency) == (position, position, frequency)
    from reviews.ratings import yas_category

    assert yas_category(r.effective_position) == category


def test_missing_data_counts_as_not_met_with_the_reason(world):
    world.month(JUNE)  # the division reports PERF-K, so a gap in July is missing data
    world.month(JULY, missing=["PERF-K"])
    compute_ratings(months=[JULY])
    r = rating(world, JULY)
    assert r.computed_position == 3
    perf = next(c for c in r.criteria if c["code"] == "PERF")
    line = next(k for k in perf["kpis"] if k["code"] == "PERF-K")
    assert (line["value"], line["plan"], line["outcome"], line["reason"]) == (
        None,
        90.0,
        "no_data",
        "no data",
    )
    assert "key KPI PERF-K not met (no data)" in r.explanation


def test_a_kpi_nobody_reported_that_month_is_not_held_against_the_division(world):
    world.month(JUNE)
    world.month(JULY)
    Measurement.objects.filter(kpi__code="PERF-K", month=JULY).delete()
    compute_ratings(months=[JULY])
    line = next(k for c in rating(world, JULY).criteria for k in c["kpis"] if k["code"] == "PERF-K")
    assert (line["outcome"], line["reason"]) == ("not_assessed", "not reported this month")
    assert rating(world, JULY).computed_position == 1


def test_a_neutral_kpi_is_listed_but_neither_met_nor_missed(world):
    world.month(JULY, neutral=1.0)
    compute_ratings(months=[JULY])
    line = next(k for c in rating(world, JULY).criteria for k in c["kpis"] if k["code"] == "PERF-ACT")
    assert line["outcome"] == "not_assessed"
    assert rating(world, JULY).computed_position == 1


def test_a_policy_breach_fails_pol_at_key_level(world):
    world.month(JULY)
    PolicyBreach.objects.create(division=world.division, month=JULY, description="Unapproved procurement")
    compute_ratings(months=[JULY])
    r = rating(world, JULY)
    assert r.computed_position == 3
    assert "POL fails at key level" in r.explanation


def test_special_measures_mean_weekly_review_whatever_the_position(world):
    world.month(JULY)
    SpecialMeasures.objects.create(division=world.division, from_month=JULY)
    compute_ratings(months=[JULY])
    r = rating(world, JULY)
    assert (r.effective_position, r.review_frequency, r.in_special_measures) == (1, "weekly", True)


def test_hysteresis_over_stored_history_one_month_at_a_time(world):
    four = ("FIN-K", "QUAL-K", "PERF-K")
    world.month(JUNE, misses=four)
    world.month(JULY)
    world.month(AUGUST)
    world.month(SEPTEMBER)
    for month in (JUNE, JULY, AUGUST, SEPTEMBER):  # as the command does with --month, month after month
        compute_ratings(months=[month])
    rows = DivisionRating.objects.filter(division=world.division).order_by("month")
    assert [(r.computed_position, r.effective_position) for r in rows] == [(4, 4), (1, 4), (1, 4), (1, 1)]
    assert [r.review_frequency for r in rows] == ["monthly", "weekly", "weekly", "6-monthly"]
    assert "held for 2 of the 3 months" in rows[2].effective_reason


def test_computing_twice_changes_nothing_and_audits_only_changes(world):
    world.month(JUNE, misses=["FIN-K"])
    world.month(JULY)
    first = compute_ratings()
    assert (first.created, first.updated) == (2, 0)
    events = AuditEvent.objects.filter(object_type="reviews.DivisionRating").count()
    assert events == 2
    stamps = list(DivisionRating.objects.values_list("computed_at", flat=True))
    second = compute_ratings()
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert AuditEvent.objects.filter(object_type="reviews.DivisionRating").count() == events
    assert list(DivisionRating.objects.values_list("computed_at", flat=True)) == stamps
    # A restatement of June changes June (now position 1) and July (1 held since June: no longer held at 3).
    Measurement.objects.filter(kpi__code="FIN-K", month=JUNE).update(value=99)
    third = compute_ratings()
    assert (third.created, third.updated) == (0, 2)
    event = AuditEvent.objects.get(verb="re-rated", object_id="T-DIV 2025-06")
    assert (event.before["computed_position"], event.after["computed_position"]) == (3, 1)


def _as_written_before_units(rating):
    """The rating as stored before explanations kept each KPI's unit: raw numbers in its reasons."""
    criteria = [
        {
            **c,
            "kpis": [
                {
                    key: v
                    for key, v in {**k, "reason": f"{k['value']} against a plan of {k['plan']}"}.items()
                    if key != "unit"
                }
                for k in c["kpis"]
            ],
        }
        for c in rating.criteria
    ]
    DivisionRating.objects.filter(pk=rating.pk).update(
        criteria=criteria, explanation=rating.explanation + "."
    )


def test_a_reworded_explanation_is_refreshed_without_claiming_a_re_rating(world):
    world.month(JUNE, misses=["FIN-K"])
    world.month(JULY)
    compute_ratings()
    fresh = {r.month: (r.criteria, r.explanation) for r in DivisionRating.objects.all()}
    for stored in DivisionRating.objects.all():
        _as_written_before_units(stored)
    events = AuditEvent.objects.filter(object_type="reviews.DivisionRating")
    rated = events.count()

    run = compute_ratings()

    assert (run.updated, run.reworded, run.unchanged) == (0, 2, 0)
    assert {r.month: (r.criteria, r.explanation) for r in DivisionRating.objects.all()} == fresh
    assert not events.filter(verb="re-rated").exists()
    reworded = events.get(verb="explanations reworded")
    assert sorted(reworded.after["ratings"]) == ["T-DIV 2025-06", "T-DIV 2025-07"]
    assert events.count() == rated + 1
    assert compute_ratings().unchanged == 2 and events.count() == rated + 1  # and then nothing more


def test_a_restated_value_that_keeps_its_outcome_rewords_and_one_that_changes_it_re_rates(world):
    world.month(JUNE, misses=["FIN-K"])  # 80 against 90: not met, so FIN fails at key level
    compute_ratings()
    events = AuditEvent.objects.filter(object_type="reviews.DivisionRating")

    Measurement.objects.filter(kpi__code="FIN-K", month=JUNE).update(value=82)  # still not met
    run = compute_ratings()
    assert (run.updated, run.reworded) == (0, 1)
    assert "82" in str(rating(world, JUNE).criteria) and not events.filter(verb="re-rated").exists()

    Measurement.objects.filter(kpi__code="FIN-K", month=JUNE).update(value=99)  # now met
    run = compute_ratings()
    assert (run.updated, run.reworded) == (1, 0)
    event = events.get(verb="re-rated")
    assert (event.before["computed_position"], event.after["computed_position"]) == (3, 1)
    assert events.filter(verb="explanations reworded").count() == 1  # the first restatement's alone


def test_the_number_of_queries_does_not_grow_with_kpis_divisions_or_months(world, django_assert_num_queries):
    from django.db import connection

    # the run's reads (the months rated in full, the positions before them), the trust's review frequencies
    # and its words among them; PostgreSQL takes the ratings' lock too
    queries = 20 + (connection.vendor == "postgresql")
    given = queries - 1  # months given: no read of the published months
    world.month(JUNE)
    compute_ratings()
    with django_assert_num_queries(queries):
        compute_ratings()
    with django_assert_num_queries(given):
        compute_ratings(months=[JUNE])
    for i in range(5):
        kpi = KpiFactory(code=f"EXTRA-{i}", domain=Domain.objects.get(code="quality"), is_key=True)
        Target.objects.create(kpi=kpi, financial_year="2025/26", value=90, effective_from=date(2025, 4, 1))
        world.publish(JUNE, {kpi.code: 95.0})
    for i in range(3):
        other = OrgUnitFactory(code=f"T-DIV-{i}", name=f"Division {i}", parent=world.trust)
        world.publish(JUNE, {code: 95.0 for code in world.kpis}, unit=other)
        world.publish(JULY, {code: 80.0 for code in world.kpis}, unit=other)
    world.month(JULY)
    world.month(AUGUST)
    compute_ratings()
    assert DivisionRating.objects.filter(month=AUGUST).count() == 4
    with django_assert_num_queries(queries):
        compute_ratings()
    with django_assert_num_queries(given):
        compute_ratings(months=[AUGUST])


def test_the_accountability_review_agrees_a_position_until_deterioration(world):
    exec_user = UserFactory(username="exec")
    world.month(JUNE, misses=["FIN-K"])  # computed 3
    compute_ratings()
    with pytest.raises(ValidationError, match="write the rationale"):
        record_accountability_review(
            actor=exec_user,
            division=world.division,
            held_on=date(2025, 7, 10),
            agreed_position=2,
            rationale=" ",
        )
    review = record_accountability_review(
        actor=exec_user,
        division=world.division,
        held_on=date(2025, 7, 10),
        agreed_position=2,
        rationale="CIP recovery plan agreed and funded",
    )
    assert (review.month, review.computed_position, review.valid_until) == (JUNE, 3, date(2026, 1, 1))
    assert rating(world, JUNE).effective_position == 2
    assert rating(world, JUNE).accountability_review == review
    assert AuditEvent.objects.filter(verb="agreed position", object_id=str(review.pk)).exists()

    world.month(JULY, misses=["FIN-K"])  # computed 3 again: the review holds
    world.month(AUGUST, misses=["FIN-K", "QUAL-K", "PERF-K"])  # computed 4: deterioration overrides it
    world.month(SEPTEMBER, misses=["FIN-K"])  # computed 3: the review no longer holds, so stays at 4
    compute_ratings()
    assert [rating(world, m).effective_position for m in (JULY, AUGUST, SEPTEMBER)] == [2, 4, 4]
    assert "overrides the review" in rating(world, AUGUST).effective_reason
    assert rating(world, SEPTEMBER).accountability_review is None


def test_the_database_refuses_a_different_position_without_rationale(world):
    with pytest.raises(IntegrityError):
        AccountabilityReview.objects.create(
            division=world.division,
            held_on=date(2025, 7, 10),
            month=JUNE,
            computed_position=3,
            agreed_position=2,
            rationale="",
            valid_until=date(2026, 1, 1),
            decided_by=UserFactory(username="exec"),
        )


def test_the_command_rates_one_month_or_every_published_month(world, capsys):
    world.month(JUNE)
    world.month(JULY)
    call_command("compute_ratings", "--month", "2025-07")
    assert list(DivisionRating.objects.values_list("month", flat=True)) == [JULY]
    call_command("compute_ratings")
    assert "0 new, 0 changed, 2 unchanged" not in capsys.readouterr().out
    assert DivisionRating.objects.count() == 2
    with pytest.raises(CommandError, match="no published data"):
        call_command("compute_ratings", "--month", "2030-01")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("compute_ratings", "--month", "July")


def test_seeding_the_defaults_twice_creates_nothing_more(world):
    assert seed_rating_defaults() == 0


@time_machine.travel(date(2025, 8, 4), tick=False)
def test_special_measures_started_on_a_page_re_plan_the_divisions_meetings_at_once(world):
    from reviews.models import Meeting
    from reviews.services.meetings import sync_schedules
    from reviews.services.special_measures import start_special_measures

    world.month(JULY)
    compute_ratings(months=[JULY])
    sync_schedules()
    assert set(Meeting.objects.filter(division=world.division).values_list("frequency", flat=True)) == {
        "6-monthly"
    }
    start_special_measures(actor=None, division=world.division, from_month=JULY, note="Agreed at FPEC")
    assert rating(world, JULY).review_frequency == "weekly"
    future = Meeting.objects.filter(division=world.division, status="planned", scheduled_for__gt=date.today())
    assert set(future.values_list("frequency", flat=True)) == {"weekly"}
