"""On the demo trust: the real A&E 4-hour series for United Lincolnshire opens a case for Medicine, and the
ladder takes it through plan → FPEC → special measures → recovery, changing the division's review frequency
(DESIGN §4.5: a division in special measures is reviewed weekly whatever its position)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pandas as pd
import pytest

from divisions.models import OrgUnit
from escalation.models import EscalationCase, EscalationEvent
from escalation.services.evaluation import evaluate_escalations
from escalation.services.ladder import agree_action_plan, record_executive_decision
from kpis.models import Kpi, Upload
from kpis.services.measurements import publish_frame
from pmf.models import AuditEvent, User
from reviews.models import DivisionRating, SpecialMeasures

pytestmark = pytest.mark.django_db

REFERENCE = "RWD-MED-AE-4H-2025-07"


def publish_ae(month: date, percent: float, publisher: User, capture) -> None:
    """Publish one month of A&E 4-hour data for the Medicine urgent care service, as an upload would."""
    content = f"AE-4H {month} {percent}".encode()
    upload = Upload.objects.create(
        original_name=f"ae-{month:%Y-%m}.csv",
        file=f"uploads/ae-{month:%Y-%m}.csv",
        sha256=hashlib.sha256(content).hexdigest(),
        status=Upload.Status.PUBLISHED,
    )
    frame = pd.DataFrame(
        [
            {
                "kpi_id": Kpi.objects.get(code="AE-4H").pk,
                "org_unit_id": OrgUnit.objects.get(code="RWD-MED-UEC").pk,
                "month": month,
                "numerator": percent * 100,
                "denominator": 10000.0,
                "value": percent,
                "is_synthetic": True,
            }
        ]
    )
    with capture(execute=True):
        publish_frame(actor=publisher, upload=upload, frame=frame)


def rating(month: date) -> DivisionRating:
    return DivisionRating.objects.get(division__code="RWD-MED", month=month)


def test_demo_ae_four_hour_opens_a_case_for_medicine(demo):
    case = EscalationCase.objects.get(reference=REFERENCE)

    assert case.division.code == "RWD-MED"
    assert (case.kpi.code, case.trigger, case.status, case.level) == (
        "AE-4H",
        "missed_plan",
        "open",
        "performance_team",
    )
    assert "Jul 2025 63.4% vs 78.0%" in case.evidence["triggers"][0]["evidence"]
    assert [e.kind for e in case.events.all()] == ["raised"]
    assert AuditEvent.objects.filter(object_id=REFERENCE, verb="escalation raised").exists()


def test_demo_evaluation_is_idempotent(demo):
    before = (EscalationCase.objects.count(), EscalationEvent.objects.count(), AuditEvent.objects.count())

    run = evaluate_escalations(month=date(2025, 7, 1))

    assert run.opened == 0 and run.updated == 0
    assert (
        EscalationCase.objects.count(),
        EscalationEvent.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_evidence_in_other_words_is_rewritten_without_a_re_evaluation(demo):
    case = EscalationCase.objects.get(reference=REFERENCE)
    written = case.evidence
    triggers = [{**t, "evidence": t["evidence"].replace("%", "")} for t in written["triggers"]]
    EscalationCase.objects.filter(pk=case.pk).update(evidence={**written, "triggers": triggers})
    audit = AuditEvent.objects.filter(object_id=REFERENCE)

    run = evaluate_escalations(month=date(2025, 7, 1))

    assert run.updated == 0
    assert EscalationCase.objects.get(pk=case.pk).evidence == written
    assert not audit.filter(verb="escalation re-evaluated").exists()
    event = audit.get(verb="evidence reworded")
    assert event.before["evidence"]["triggers"] == triggers and event.after["evidence"] == written


def test_evidence_with_other_facts_is_a_re_evaluation(demo):
    case = EscalationCase.objects.get(reference=REFERENCE)
    months = [*case.evidence["months"][:-1], {**case.evidence["months"][-1], "value": 99.0}]
    EscalationCase.objects.filter(pk=case.pk).update(evidence={**case.evidence, "months": months})

    run = evaluate_escalations(month=date(2025, 7, 1))

    assert run.updated == 1
    audit = AuditEvent.objects.filter(object_id=REFERENCE)
    assert audit.filter(verb="escalation re-evaluated").exists()
    assert not audit.filter(verb="evidence reworded").exists()


def test_demo_walk_through_plan_fpec_special_measures_and_recovery(demo, django_capture_on_commit_callbacks):
    perf, executive = User.objects.get(username="perf"), User.objects.get(username="exec")
    case = EscalationCase.objects.get(reference=REFERENCE)
    july = date(2025, 7, 1)
    assert not rating(july).in_special_measures
    reason_before = rating(july).frequency_reason

    # The plan is agreed at the PRM a day late, so the case goes to FPEC.
    agree_action_plan(
        case=case, actor=perf, agreed_on=case.plan_due + timedelta(days=1), plan="Front door streaming"
    )
    case.refresh_from_db()
    assert case.level == "fpec" and case.committee.code == "fpec"

    # The Executive Team places Medicine in special measures: its review turns weekly at once.
    record_executive_decision(
        case=case, actor=executive, decision="special_measures", note="Sustained failure", confirmed=True
    )
    case.refresh_from_db()
    assert case.level == "executive_team" and case.special_measures.division.code == "RWD-MED"
    assert rating(july).in_special_measures
    assert (rating(july).review_frequency, rating(july).frequency_reason) == (
        "weekly",
        "weekly: the division is in special measures",
    )
    assert reason_before != rating(july).frequency_reason

    # Recovery: two months meeting the 78% plan keep the case open; the third de-escalates it.
    publish_ae(date(2025, 8, 1), 80.0, perf, django_capture_on_commit_callbacks)
    publish_ae(date(2025, 9, 1), 81.0, perf, django_capture_on_commit_callbacks)
    case.refresh_from_db()
    assert (case.status, case.months_meeting_plan) == ("open", 2)
    assert rating(date(2025, 9, 1)).review_frequency == "weekly"

    publish_ae(date(2025, 10, 1), 82.0, perf, django_capture_on_commit_callbacks)
    case.refresh_from_db()
    assert case.status == "de_escalated"
    assert SpecialMeasures.objects.get(pk=case.special_measures_id).to_month == date(2025, 9, 1)
    october = rating(date(2025, 10, 1))
    assert not october.in_special_measures
    assert october.frequency_reason != "weekly: the division is in special measures"
    assert [e.kind for e in case.events.all()] == [
        "raised",
        "plan_agreed",
        "escalated",
        "special_measures",
        "de_escalated",
    ]
    assert all(e.note for e in case.events.all())
