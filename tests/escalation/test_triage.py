"""Triage of escalation cases on the small world: what opens a case (key KPIs unless a KPI says otherwise),
related cases grouped, executives escalating to FPEC, special measures confirmed first and shown where the
division and the Board look, and a case showing its KPI's chart in words."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from escalation.grouping import group_cases
from escalation.models import Committee, EscalationCase, EscalationEvent, TriggerSetting
from escalation.services.evaluation import evaluate_escalations
from escalation.services.events import take_step
from escalation.services.ladder import raise_case, release_special_measures
from pmf.models import AuditEvent
from reviews.models import SpecialMeasures
from tests.world import LATEST

pytestmark = pytest.mark.django_db


def _as(client, world, username):
    client.force_login(world.users[username])
    return client


def _case(world, division, code="AE-4H"):
    return EscalationCase.objects.get(division=division, kpi__code=code, status="open")


def _at_fpec(client, world, case):
    _as(client, world, "exec").post(
        reverse("escalation-escalate", args=[case.reference]), {"note": "No plan in sight."}
    )
    case.refresh_from_db()
    return case


# --- what opens a case ----------------------------------------------------------------------------------


def test_only_key_kpis_open_cases_by_default(world):
    opened = set(
        EscalationCase.objects.filter(trigger__in=["missed_plan", "special_cause_concern"]).values_list(
            "kpi__code", flat=True
        )
    )

    # Every directed KPI misses its plan in the world; only A&E four-hour is key.
    assert opened == {"AE-4H"}
    run = evaluate_escalations(month=LATEST)
    assert run.opened == 0


def test_the_performance_team_sets_a_kpi_to_open_cases_and_the_change_is_audited(client, world):
    _as(client, world, "perf")
    page = client.get(reverse("escalation-trigger", args=["RTT-18"]))
    assert page.status_code == 200 and "A trigger opens a case" in page.content.decode()
    form = {
        "opens_cases": "always",
        "special_cause_concern_on_key": "on",
        "missed_plan_months": "3",
        "trajectory_variance": "on",
        "trajectory_tolerance": "",
        "sustain_months": "3",
    }

    response = client.post(reverse("escalation-trigger", args=["RTT-18"]), form)

    assert response.status_code == 302
    assert TriggerSetting.objects.get(kpi__code="RTT-18").opens_cases == "always"
    audit = AuditEvent.objects.get(verb="escalation triggers set", actor="perf")
    assert audit.before is None and audit.after["opens_cases"] == "always"
    assert evaluate_escalations(month=LATEST).opened == 2  # RTT for Surgery and for Medicine
    assert _case(world, world.surgery, "RTT-18").trigger == "missed_plan"
    listed = client.get(reverse("escalation-triggers")).content.decode()
    assert "RTT waits within 18 weeks" in listed and "Sickness absence" in listed

    client.post(reverse("escalation-trigger", args=["RTT-18"]), {**form, "sustain_months": "0"})
    assert TriggerSetting.objects.get(kpi__code="RTT-18").sustain_months == 3  # refused: at least 1
    client.post(reverse("escalation-trigger", args=["RTT-18"]), form)  # saved unchanged: no event
    assert AuditEvent.objects.filter(verb="escalation triggers set").count() == 1


def test_a_kpi_set_never_to_open_a_case_opens_none_though_key(client, world):
    EscalationCase.objects.filter(kpi__code="AE-4H").delete()  # as before any evaluation
    _as(client, world, "perf").post(
        reverse("escalation-trigger", args=["AE-4H"]),
        {"opens_cases": "never", "missed_plan_months": "3", "sustain_months": "3"},
    )

    assert evaluate_escalations(month=LATEST).opened == 0


def test_executives_read_the_trigger_settings_and_only_the_performance_team_changes_them(client, world):
    _as(client, world, "exec")
    assert client.get(reverse("escalation-triggers")).status_code == 200
    assert "Change<span" not in client.get(reverse("escalation-triggers")).content.decode()
    assert client.get(reverse("escalation-trigger", args=["RTT-18"])).status_code == 403
    assert client.post(reverse("escalation-trigger", args=["RTT-18"]), {}).status_code == 403
    _as(client, world, "cl.surgery")
    assert client.get(reverse("escalation-triggers")).status_code == 403


def test_the_trigger_settings_page_reads_in_a_fixed_number_of_queries(client, world):
    _as(client, world, "perf")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("escalation-triggers"))
    for kpi in world.kpis.values():
        TriggerSetting.objects.create(kpi=kpi, opens_cases="always")
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("escalation-triggers"))

    assert len(more) == len(few)


# --- related cases together -----------------------------------------------------------------------------


def _stub(division, kpi, trigger):
    return SimpleNamespace(
        division=SimpleNamespace(name=division) if division else None,
        kpi=SimpleNamespace(name=kpi) if kpi else None,
        get_trigger_display=lambda: trigger,
    )


def test_group_cases_by_division_and_cause_largest_first():
    cases = [
        _stub("Medicine", "A&E", "Plan missed"),
        _stub("Surgery", "RTT", "Plan missed"),
        _stub("Surgery", "Theatres", "Raised by hand"),
        _stub("Surgery", "Cancer", "Plan missed"),
        _stub(None, "Bed occupancy", "Plan missed"),
    ]

    groups = group_cases(cases, by="division", trust="Trust")

    assert [(g.title, g.count) for g in groups] == [("Surgery", 3), ("Medicine", 1), ("Trust", 1)]
    assert [(c.title, len(c.cases)) for c in groups[0].causes] == [("Plan missed", 2), ("Raised by hand", 1)]
    by_kpi = group_cases(
        [*cases, _stub("Medicine", "RTT", "Plan missed"), _stub("Surgery", None, "X")],
        by="kpi",
        trust="Trust",
    )
    assert (by_kpi[0].title, by_kpi[0].count) == ("RTT", 2)
    assert "No KPI" in [g.title for g in by_kpi]
    with pytest.raises(ValueError, match="group by one of division, kpi"):
        group_cases(cases, by="domain", trust="Trust")  # type: ignore[arg-type]


def test_the_case_list_groups_related_cases_in_a_fixed_number_of_queries(client, world):
    _as(client, world, "perf")
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("escalation-cases")).content.decode()
    assert 'Surgery <span class="muted">(1 case)</span>' in page
    assert "Plan missed for consecutive months: 1 case" in page
    for n in range(3):
        raise_case(actor=world.users["perf"], division=world.surgery, month=LATEST, reason=f"Concern {n}")
    with CaptureQueriesContext(connection) as more:
        page = client.get(reverse("escalation-cases")).content.decode()

    assert len(more) == len(few)
    assert 'Surgery <span class="muted">(4 cases)</span>' in page
    assert "Raised by hand: 3 cases" in page
    by_kpi = client.get(reverse("escalation-cases"), {"group": "kpi"}).content.decode()
    assert 'A&amp;E four-hour performance <span class="muted">(2 cases)</span>' in by_kpi
    flat = client.get(reverse("escalation-cases"), {"group": "none"}).content.decode()
    assert "case-group" not in flat and _case(world, world.surgery).reference in flat


# --- the ladder -----------------------------------------------------------------------------------------


def test_an_executive_escalates_to_the_trusts_fpec_by_its_configured_name(client, world):
    Committee.objects.filter(code="fpec").update(name="Finance and Performance Committee")
    case = _case(world, world.surgery)
    page = _as(client, world, "exec").get(reverse("escalation-case", args=[case.reference])).content.decode()
    assert "Escalate to Finance and Performance Committee now" in page

    _at_fpec(client, world, case)

    assert case.level == "fpec" and case.committee.code == "fpec"
    escalated = case.events.get(kind=EscalationEvent.Kind.ESCALATED)
    assert escalated.by == world.users["exec"]
    assert escalated.note == (
        "Escalated to Finance and Performance Committee via the Director of Finance. No plan in sight."
    )


def test_a_manual_cases_escalation_says_critical_failure_only_when_it_is_one(client, world):
    perf = world.users["perf"]
    first = raise_case(actor=perf, division=world.surgery, month=LATEST, reason="Theatre lists cancelled.")
    second = raise_case(actor=perf, division=world.surgery, month=LATEST, reason="Never event.")
    _as(client, world, "perf")

    client.post(reverse("escalation-escalate", args=[first.reference]), {"note": "Still cancelled."})
    client.post(
        reverse("escalation-escalate", args=[second.reference]), {"note": "Never event.", "critical": "on"}
    )

    plain = first.events.get(kind="escalated").note
    assert "ritical failure" not in plain and plain.endswith("Still cancelled.")
    assert second.events.get(kind="escalated").note.endswith("A critical failure: Never event.")


def test_special_measures_are_confirmed_on_their_own_page_before_anything_is_applied(client, world):
    case = _at_fpec(client, world, _case(world, world.surgery))
    audited = AuditEvent.objects.count()
    url = reverse("escalation-decide", args=[case.reference])

    asked = client.post(url, {"decision": "special_measures", "note": "Sustained failure."})

    page = asked.content.decode()
    assert asked.status_code == 200 and "Place Surgery in special measures?" in page
    assert "review turns <strong>weekly</strong>" in page and "Sustained failure." in page
    case.refresh_from_db()
    assert case.decision == "" and not SpecialMeasures.objects.exists()
    assert AuditEvent.objects.count() == audited  # nothing applied, nothing written

    done = client.post(
        url, {"decision": "special_measures", "note": "Sustained failure.", "confirmed": "True"}
    )

    assert done.status_code == 302
    case.refresh_from_db()
    assert case.decision == "special_measures" and case.special_measures.to_month is None
    decided = AuditEvent.objects.get(verb="escalation special measures", object_id=case.reference)
    assert decided.actor == "exec" and decided.after["confirmed"] is True
    assert AuditEvent.objects.filter(verb="placed in special measures").exists()


def test_an_audit_needs_no_confirmation(client, world):
    case = _at_fpec(client, world, _case(world, world.medicine))

    client.post(
        reverse("escalation-decide", args=[case.reference]), {"decision": "audit", "note": "Check it."}
    )

    case.refresh_from_db()
    assert case.decision == "audit"


def test_special_measures_show_on_the_divisions_dashboard_and_leave_the_board_page_on_recovery(client, world):
    case = _at_fpec(client, world, _case(world, world.surgery))
    client.post(
        reverse("escalation-decide", args=[case.reference]),
        {"decision": "special_measures", "note": "Sustained failure.", "confirmed": "True"},
    )
    dashboard = reverse("division-dashboard", args=[world.surgery.code])
    board_page = reverse("committee", args=["trust-board"])

    for username in ("cl.surgery", "board"):
        page = _as(client, world, username).get(dashboard).content.decode()
        assert "Surgery is in special measures" in page, username
    assert (
        "in special measures"
        not in client.get(reverse("division-dashboard", args=[world.medicine.code])).content.decode()
    )
    assert case.reference in client.get(board_page).content.decode()

    case.refresh_from_db()
    take_step(case=case, kind="de_escalated", actor=None, note="Recovered.", status="de_escalated")
    release_special_measures(case=case, actor=None, month=LATEST)

    assert case.reference not in client.get(board_page).content.decode()


# --- the case page --------------------------------------------------------------------------------------


def test_a_case_shows_its_kpis_chart_and_its_points_in_words(client, world):
    case = _case(world, world.surgery)
    case.evidence["months"][-1]["point_type"] = "special_cause_concern"
    case.save(update_fields=["evidence"])

    page = _as(client, world, "cl.surgery").get(reverse("escalation-case", args=[case.reference]))

    body = page.content.decode()
    assert 'id="spc-chart"' in body and "What the chart tells us" in body
    assert reverse("kpi-chart", args=["AE-4H", world.surgery.code]) in body
    assert "Special cause — concern" in body and "Common cause" in body
    assert "special_cause_concern" not in body and ">common_cause<" not in body


def test_the_case_page_reads_in_a_fixed_number_of_queries(client, world):
    case = _case(world, world.surgery)
    take_step(case=case, kind="plan_due", actor=world.users["exec"], note="A person's step")
    _as(client, world, "exec")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("escalation-case", args=[case.reference]))
    for n in range(3):
        take_step(case=case, kind="plan_due", actor=world.users["exec"], note=f"Step {n}")
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("escalation-case", args=[case.reference]))

    assert len(more) == len(few)


def test_each_step_is_for_its_own_people_and_the_performance_team_closes_only_a_recovered_case(client, world):
    case = _case(world, world.surgery)
    plan = reverse("escalation-agree-plan", args=[case.reference])
    close = reverse("escalation-close", args=[case.reference])

    assert _as(client, world, "board").post(plan, {"plan": "x", "agreed_on": "2025-08-01"}).status_code == 403
    assert _as(client, world, "exec").post(plan, {"plan": "x", "agreed_on": "2025-08-01"}).status_code == 403
    _as(client, world, "perf").post(plan, {"plan": "Weekly huddles.", "agreed_on": str(case.plan_due)})
    assert client.post(close, {"note": "Done."}).status_code == 403  # still open: the executives' word
    case.refresh_from_db()
    assert case.action_plan == "Weekly huddles." and case.status == "open"

    take_step(case=case, kind="de_escalated", actor=None, note="Recovered.", status="de_escalated")
    assert client.post(close, {"note": "Recovered and sustained."}).status_code == 302
    case.refresh_from_db()
    assert case.status == "closed" and case.events.last().note == "Recovered and sustained."
