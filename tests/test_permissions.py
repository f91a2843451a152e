"""Who may see what: every URL in the URL configuration × every persona, plus the rules behind them.

A new URL that is missing from MATRIX fails ``test_every_url_is_in_the_matrix``, so no page can be
added without deciding who may see it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from divisions.models import OrgUnit
from pmf.models import User
from pmf.navigation import MAIN_MENU, menu_for
from pmf.permissions import Access, access_for

pytestmark = pytest.mark.django_db

PERSONAS = {
    "anonymous": None,
    "performance": "perf",
    "executive": "exec",
    "board": "board",
    "surgery_clinical_lead": "cl.surgery",
    "medicine_managing_director": "md.medicine",
    "commissioner": "commissioner",
    # A ward manager in Surgery (a person with an individual scorecard), their line manager (General
    # surgery's service manager) and a peer (the other surgical ward's manager, with the same line manager).
    "ward_manager": "wm.lincoln",
    "service_manager": "sm.gensurg",
    "peer_ward_manager": "wm.boston",
}
SIGN_IN, OK, FORBIDDEN, NOT_ALLOWED = 302, 200, 403, 405
INTERNAL = {
    "performance": OK,
    "executive": OK,
    "board": OK,
    "surgery_clinical_lead": OK,
    "medicine_managing_director": OK,
    "anonymous": SIGN_IN,
    "commissioner": FORBIDDEN,
    "ward_manager": OK,
    "service_manager": OK,
    "peer_ward_manager": OK,
}
# Service and ward managers are read-only above their own unit: a division's meetings, actions, cases and
# papers are not theirs.
MANAGERS = ("ward_manager", "service_manager", "peer_ward_manager")
NOT_MANAGERS = {p: FORBIDDEN for p in MANAGERS}
AUDITORS = {**{p: FORBIDDEN for p in PERSONAS}, "anonymous": SIGN_IN, "performance": OK, "executive": OK}
EVERYONE = {p: OK for p in PERSONAS}
# The admin sends anyone who is not staff to its own sign-in page.
ADMIN = {**{p: SIGN_IN for p in PERSONAS}, "performance": OK}
TRUST_WIDE = {**{p: FORBIDDEN for p in PERSONAS}, "performance": OK, "executive": OK, "board": OK}
CONTRACT_EXCEPTIONS = {**AUDITORS, "commissioner": OK}

# Meetings, packs and actions: the performance team, executives and the division's own triumvirate.
SURGERY_MEETINGS = {**INTERNAL, "board": FORBIDDEN, "medicine_managing_director": FORBIDDEN, **NOT_MANAGERS}
NO_PACK_YET = {**SURGERY_MEETINGS, "performance": 404, "executive": 404, "surgery_clinical_lead": 404}
FPEC_READERS = {
    **INTERNAL,
    "surgery_clinical_lead": FORBIDDEN,
    "medicine_managing_director": FORBIDDEN,
    **NOT_MANAGERS,
}
# An individual scorecard (the Surgery ward manager's): the person, their line manager and the performance
# team read it; the person and the line manager change it. Nobody else: not a peer, not another division's
# director, not an executive who is not the line manager.
SCORECARD_READERS = {
    **{p: FORBIDDEN for p in PERSONAS},
    "anonymous": SIGN_IN,
    "performance": OK,
    "ward_manager": OK,
    "service_manager": OK,
}
SCORECARD_EDITORS = {**SCORECARD_READERS, "performance": FORBIDDEN}


class SurgeryPk:
    """Surgery's first row of a model, looked up when the URL is reversed (ids differ between databases)."""

    def __init__(self, label):
        self.label = label

    def __str__(self):
        from django.apps import apps

        rows = apps.get_model(self.label).objects.filter(division__code="RWD-SUR").order_by("pk")
        return str(rows.values_list("pk", flat=True)[0])


class DemoRow:
    """The pk of the demo's row of a model matching ``lookup``, found when the URL is reversed."""

    def __init__(self, label, **lookup):
        self.label, self.lookup = label, lookup

    def pk(self):
        """The row's pk, or None where the database holds no such row (a world other than the demo)."""
        from django.apps import apps

        return apps.get_model(self.label).objects.filter(**self.lookup).values_list("pk", flat=True).first()

    def __str__(self):
        return str(self.pk())


# The Board's priorities: every internal reader reads them; the performance team and executives set them and
# their milestones; the owner (the demo's executive) and the performance team write the monthly update.
WAITS = DemoRow("strategy.Priority", year=2025, title="Reduce long waits for planned care")
WAITS_THEATRE = DemoRow("strategy.Milestone", title="Elective hub's second theatre in use")
PRIORITY_SETTERS = {
    **{p: FORBIDDEN for p in PERSONAS},
    "anonymous": SIGN_IN,
    "performance": OK,
    "executive": OK,
}
PRIORITY_UPDATERS = PRIORITY_SETTERS  # the demo's priorities are all the executive's


# An unpublished IPR's exception pages are not found for readers who do not prepare it; no pack is built yet.
IPR_PREPARERS_ONLY_UNTIL_PUBLISHED = {
    **INTERNAL,
    "board": 404,
    "surgery_clinical_lead": 404,
    "medicine_managing_director": 404,
    **{p: 404 for p in MANAGERS},
}
IPR_PACK_NOT_BUILT = {**{p: 404 for p in INTERNAL}, "anonymous": SIGN_IN, "commissioner": FORBIDDEN}
# url name → (example kwargs, expected status by persona)
MATRIX: dict[str, tuple[dict[str, str | SurgeryPk | DemoRow], dict[str, int]]] = {
    # Each lands on their own work (roof.landing): a commissioner on the exception report, an executive on
    # their next meeting, a triumvirate on its dashboard; the demo has no published IPR, so the Board and
    # the performance team read the overview here.
    "home": (
        {},
        {
            **INTERNAL,
            "commissioner": SIGN_IN,
            "executive": SIGN_IN,
            "surgery_clinical_lead": SIGN_IN,
            "medicine_managing_director": SIGN_IN,
            **{p: SIGN_IN for p in MANAGERS},  # on their service's or ward's dashboard
        },
    ),
    "overview": ({}, INTERNAL),
    "login": ({}, {**EVERYONE, **{p: SIGN_IN for p in PERSONAS if p != "anonymous"}}),
    "logout": ({}, {p: NOT_ALLOWED for p in PERSONAS}),  # signing out is a POST
    "health": ({}, EVERYONE),
    "plotly-js": ({}, EVERYONE),  # a library file; the public IPR page needs it too
    "kpi-chart": ({"code": "AE-4H", "unit_code": "RWD"}, INTERNAL),
    # Lead and lag: every internal reader reads the relationships and a pair's correlation; the performance
    # team alone sees the suggestions and records relationships.
    "kpi-relationships": ({}, INTERNAL),
    "kpi-relationship": ({"lead_code": "AE-DTA-12H", "lag_code": "AE-4H"}, INTERNAL),
    "relationship-suggestions": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "relationship-record": ({}, {p: NOT_ALLOWED for p in PERSONAS}),  # a POST
    "audit": ({}, AUDITORS),
    "audit-export": ({}, AUDITORS),
    "admin:index": ({}, ADMIN),
    # The IPR: drafts are for the performance team and executives; board members and divisions read
    # published reports; the public page is the only page besides sign-in and health anonymous users see.
    "ipr-latest": ({}, {**INTERNAL, "performance": SIGN_IN, "executive": SIGN_IN}),  # redirects to the month
    "ipr": ({"month": "2025-07"}, INTERNAL),  # unpublished: a notice for those who do not prepare it
    "ipr-archive": ({}, INTERNAL),  # the published months, and drafts for those who prepare them
    # The trust's commentary on a KPI, from the draft IPR: the performance team and executives.
    "ipr-commentary": ({"month": "2025-07", "code": "AE-4H"}, {**AUDITORS}),
    "ipr-exceptions": ({"month": "2025-07"}, IPR_PREPARERS_ONLY_UNTIL_PUBLISHED),
    "ipr-matrix": ({"month": "2025-07"}, IPR_PREPARERS_ONLY_UNTIL_PUBLISHED),
    "ipr-save": ({"month": "2025-07"}, {p: NOT_ALLOWED for p in PERSONAS}),
    "ipr-approve": ({"month": "2025-07"}, {p: NOT_ALLOWED for p in PERSONAS}),
    "ipr-publish": ({"month": "2025-07"}, {p: NOT_ALLOWED for p in PERSONAS}),
    "ipr-build-pack": ({"month": "2025-07"}, {p: NOT_ALLOWED for p in PERSONAS}),
    "ipr-pack": ({"month": "2025-07"}, IPR_PACK_NOT_BUILT),
    "public-ipr": ({}, EVERYONE),
    "ratings": ({}, INTERNAL),
    "division": ({"code": "RWD-SUR"}, INTERNAL),
    "division-dashboard": ({"code": "RWD-SUR"}, INTERNAL),  # actions and cases only for the division's own
    "division-commentary": (  # writing commentary: the division's own triumvirate and the performance team
        {"code": "RWD-SUR", "kpi_code": "RTT-18W", "month": "2025-07"},
        {
            **{p: FORBIDDEN for p in PERSONAS},
            "anonymous": SIGN_IN,
            "performance": OK,
            "surgery_clinical_lead": OK,
        },
    ),
    "accountability-review": ({"code": "RWD-SUR"}, {p: NOT_ALLOWED for p in PERSONAS}),  # a POST
    "escalation-cases": ({}, INTERNAL),  # a division's triumvirate sees its own cases only
    "escalation-case": (
        {"reference": "RWD-MED-AE-4H-2025-07"},
        {**INTERNAL, "surgery_clinical_lead": FORBIDDEN, **NOT_MANAGERS},
    ),
    "escalation-raise": ({}, {p: NOT_ALLOWED for p in PERSONAS}),  # a POST
    "escalation-agree-plan": ({"reference": "RWD-MED-AE-4H-2025-07"}, {p: NOT_ALLOWED for p in PERSONAS}),
    "escalation-escalate": ({"reference": "RWD-MED-AE-4H-2025-07"}, {p: NOT_ALLOWED for p in PERSONAS}),
    "escalation-decide": ({"reference": "RWD-MED-AE-4H-2025-07"}, {p: NOT_ALLOWED for p in PERSONAS}),
    "escalation-close": ({"reference": "RWD-MED-AE-4H-2025-07"}, {p: NOT_ALLOWED for p in PERSONAS}),
    # What opens a case: the performance team and executives read it; only the performance team sets it.
    "escalation-triggers": ({}, AUDITORS),
    "escalation-trigger": ({"code": "AE-4H"}, {**AUDITORS, "executive": FORBIDDEN}),
    "committees": ({}, {**TRUST_WIDE, "anonymous": SIGN_IN}),
    "committee": ({"code": "fpec"}, {**TRUST_WIDE, "anonymous": SIGN_IN}),
    "exception-report": ({}, CONTRACT_EXCEPTIONS),  # the only pages a commissioner sees
    "exception-report-pdf": ({}, CONTRACT_EXCEPTIONS),
    "exception-report-csv": ({}, CONTRACT_EXCEPTIONS),
    "dq-issues": ({}, AUDITORS),
    "dq-raise": ({}, {p: NOT_ALLOWED for p in PERSONAS}),
    "dq-update": ({"pk": "1"}, {p: NOT_ALLOWED for p in PERSONAS}),
    "calendar": ({}, INTERNAL),
    "division-calendar": ({"code": "RWD-SUR"}, INTERNAL),
    # The feed is keyed by a signed token, not a session: a bad token is simply not found.
    "calendar-feed": ({"token": "not-a-token"}, {p: 404 for p in PERSONAS}),
    "calendar-address-reset": ({}, {p: NOT_ALLOWED for p in PERSONAS}),  # a POST
    "meeting": ({"pk": SurgeryPk("reviews.Meeting")}, SURGERY_MEETINGS),
    "meeting-record": ({"pk": SurgeryPk("reviews.Meeting")}, {p: NOT_ALLOWED for p in PERSONAS}),
    # The demo builds no pack: readers are told it is not there (404); tests/reviews cover a built pack.
    "pack": ({"pk": SurgeryPk("reviews.Meeting")}, NO_PACK_YET),
    "pack-pdf": ({"pk": SurgeryPk("reviews.Meeting")}, NO_PACK_YET),
    "pack-print": ({"pk": SurgeryPk("reviews.Meeting")}, {p: NOT_ALLOWED for p in PERSONAS}),  # a POST
    "pack-build": ({"pk": SurgeryPk("reviews.Meeting")}, {p: NOT_ALLOWED for p in PERSONAS}),
    "pack-edit": ({"pk": SurgeryPk("reviews.Meeting")}, {p: NOT_ALLOWED for p in PERSONAS}),
    "pack-issue": ({"pk": SurgeryPk("reviews.Meeting")}, {p: NOT_ALLOWED for p in PERSONAS}),
    "pack-circulate": ({"pk": SurgeryPk("reviews.Meeting")}, {p: NOT_ALLOWED for p in PERSONAS}),
    "actions": ({}, {**INTERNAL, "board": FORBIDDEN, **NOT_MANAGERS}),
    "actions-csv": ({}, {**INTERNAL, "board": FORBIDDEN, **NOT_MANAGERS}),
    "actions-xlsx": ({}, {**INTERNAL, "board": FORBIDDEN, **NOT_MANAGERS}),
    "action-create": ({}, {p: NOT_ALLOWED for p in PERSONAS}),
    "action": ({"pk": SurgeryPk("reviews.Action")}, SURGERY_MEETINGS),
    "action-update": ({"pk": SurgeryPk("reviews.Action")}, {p: NOT_ALLOWED for p in PERSONAS}),
    "fpec": ({"month": "2025-09"}, FPEC_READERS),
    "fpec-pdf": ({"month": "2025-09"}, FPEC_READERS),
    "uploads": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "national-import": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "benchmarking": ({}, {**TRUST_WIDE, "anonymous": SIGN_IN}),
    "peer-groups": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "upload-template": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "upload-template-xlsx": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    # No such upload: the permission test runs before the look-up, so only the performance team sees 404.
    "upload-detail": ({"pk": "999999"}, {**AUDITORS, "executive": FORBIDDEN, "performance": 404}),
    "upload-progress": ({"pk": "999999"}, {**AUDITORS, "executive": FORBIDDEN, "performance": 404}),
    "upload-problems": ({"pk": "999999"}, {**AUDITORS, "executive": FORBIDDEN, "performance": 404}),
    "upload-confirm": ({"pk": "999999"}, {p: NOT_ALLOWED for p in PERSONAS}),  # a POST
    "upload-publish": ({"pk": "999999"}, {p: NOT_ALLOWED for p in PERSONAS}),  # a POST
    "upload-recheck": ({"pk": "999999"}, {p: NOT_ALLOWED for p in PERSONAS}),  # a POST
    "pipeline-runs": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "pipeline-owe-again": ({"pk": "999999"}, {p: NOT_ALLOWED for p in PERSONAS}),  # a POST
    # Setting up and keeping up the trust: the performance team alone (no superuser needed).
    "setup": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-organisation": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-unit-add": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-unit-move": ({"code": "RWD-SUR"}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-unit-retire": ({"code": "RWD-SUR"}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-people": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-person-add": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-person": ({"pk": "999999"}, {**AUDITORS, "executive": FORBIDDEN, "performance": 404}),
    "setup-role-add": ({"pk": "999999"}, {p: NOT_ALLOWED for p in PERSONAS}),  # a POST
    "setup-role-end": ({"pk": "999999"}, {p: NOT_ALLOWED for p in PERSONAS}),  # a POST
    "setup-lockouts": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-lockout-lift": ({"pk": "999999"}, {p: NOT_ALLOWED for p in PERSONAS}),  # a POST
    # Everyone changes their own password; a reset by e-mail is there only with a mail server (none here).
    "password_change": ({}, {**EVERYONE, "anonymous": SIGN_IN}),
    "password_change_done": ({}, {**EVERYONE, "anonymous": SIGN_IN}),
    "password_reset": ({}, {p: 404 for p in PERSONAS}),
    "password_reset_done": ({}, {p: 404 for p in PERSONAS}),
    "password_reset_confirm": ({"uidb64": "MQ", "token": "set-token"}, {p: 404 for p in PERSONAS}),
    "password_reset_complete": ({}, {p: 404 for p in PERSONAS}),
    # Keeping up the catalogue, the year's plans and the review settings: the performance team alone.
    "setup-kpis": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-kpi-add": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-kpi": ({"code": "AE-4H"}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-suites": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-suite-copy": ({}, {p: NOT_ALLOWED for p in PERSONAS}),  # a POST
    "setup-suite": ({"year": "2025-26"}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-suite-approve": ({"year": "2025-26"}, {p: NOT_ALLOWED for p in PERSONAS}),  # a POST
    "setup-plans": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-reviews": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-criterion": ({"code": "FIN"}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-freedom-add": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-freedom": ({"pk": "999999"}, {**AUDITORS, "executive": FORBIDDEN, "performance": 404}),
    "setup-freedom-remove": ({"pk": "999999"}, {p: NOT_ALLOWED for p in PERSONAS}),  # a POST
    "setup-committee-add": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-committee": ({"code": "fpec"}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-terms": ({"kind": "prm"}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-prm-slot": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    # The setup workbook: the performance team alone; no such upload is not found (the rule runs first).
    "setup-workbook": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-workbook-download": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-workbook-template": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "setup-workbook-import": ({"pk": "999999"}, {**AUDITORS, "executive": FORBIDDEN, "performance": 404}),
    "setup-workbook-apply": ({"pk": "999999"}, {p: NOT_ALLOWED for p in PERSONAS}),  # a POST
    # Individual scorecards: everyone inside the trust keeps their own and reads their team's list; a
    # person's scorecard is for them, their line manager and the performance team alone.
    "my-scorecard": ({}, INTERNAL),
    "team-scorecards": ({}, INTERNAL),
    "person-scorecard": ({"username": "wm.lincoln"}, SCORECARD_READERS),
    "objective-add": ({"username": "wm.lincoln"}, SCORECARD_EDITORS),
    "objective-edit": (
        {"pk": DemoRow("scorecards.Objective", person__username="wm.lincoln")},
        SCORECARD_EDITORS,
    ),
    "objective-progress": (
        {"pk": DemoRow("scorecards.Objective", person__username="wm.lincoln")},
        {p: NOT_ALLOWED for p in PERSONAS},
    ),
    "line-managers": ({}, {**AUDITORS, "executive": FORBIDDEN}),
    "priorities": ({}, INTERNAL),
    "priority": ({"pk": WAITS}, INTERNAL),
    "your-priorities": ({}, INTERNAL),
    "priority-new": ({}, PRIORITY_SETTERS),
    "priority-edit": ({"pk": WAITS}, PRIORITY_SETTERS),
    "milestone-new": ({"pk": WAITS}, PRIORITY_SETTERS),
    "milestone-edit": ({"pk": WAITS, "milestone_pk": WAITS_THEATRE}, PRIORITY_SETTERS),
    "priority-update": ({"pk": WAITS}, PRIORITY_UPDATERS),
    "board-update": ({"quarter": "2025-q2"}, INTERNAL),
    "board-update-pdf": ({"quarter": "2025-q2"}, INTERNAL),
}


def url_names(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def mismatches(client) -> list[str]:
    """Every (URL, persona) whose status differs from the matrix."""
    found = []
    for persona, username in PERSONAS.items():
        client.logout()
        if username:
            client.force_login(User.objects.get(username=username))
        for name, (kwargs, expected) in MATRIX.items():
            status = client.get(reverse(name, kwargs=kwargs)).status_code
            if status != expected[persona]:
                found.append(f"{name} as {persona}: {status}, expected {expected[persona]}")
    return found


def test_every_url_is_in_the_matrix():
    # The admin's own pages are covered by its index: it lets in staff with model permissions only.
    names = {n for n in url_names() if not n.startswith("admin:")}
    assert names <= set(MATRIX), f"decide who may see: {sorted(names - set(MATRIX))}"


def test_every_url_answers_every_persona_as_the_matrix_says(client, demo):
    assert mismatches(client) == []


def test_the_matrix_catches_a_loosened_rule(client, demo, monkeypatch):
    monkeypatch.setattr(Access, "reads_published_data", property(lambda self: True))
    assert "kpi-chart as commissioner: 200, expected 403" in mismatches(client)


def test_the_menu_offers_each_persona_exactly_the_main_pages_the_matrix_opens_for_it(client, demo):
    expected_for = {reverse(name, kwargs=kwargs): expected for name, (kwargs, expected) in MATRIX.items()}
    for persona, username in PERSONAS.items():
        if username is None:
            continue
        offered = menu_for(access(username))
        for label, name in MAIN_MENU:
            path, status = reverse(name), expected_for[reverse(name)][persona]
            if (label, path) in offered:  # opens, or sends on to the latest month
                assert status in (OK, SIGN_IN), f"{label} offered to {persona}, who gets {status}"
            else:
                assert status != OK, f"{label} not offered to {persona}, who may open it"
    assert [label for label, _ in menu_for(access("commissioner"))] == ["Contract exceptions"]
    client.force_login(User.objects.get(username="board"))
    body = client.get(reverse("overview")).content.decode()
    assert '<a href="/overview/" aria-current="page">Overview</a>' in body and "Audit trail" not in body


@pytest.fixture
def units(demo):
    parents = dict(OrgUnit.objects.values_list("id", "parent_id"))
    ward = OrgUnit.objects.filter(level="team", parent__parent__code="RWD-MED").first()
    return {
        "medicine": OrgUnit.objects.get(code="RWD-MED"),
        "surgery": OrgUnit.objects.get(code="RWD-SUR"),
        "medicine_ward": ward,
        "parents": parents,
    }


def access(username):
    return access_for(User.objects.get(username=username))


def test_surgery_clinical_lead_cannot_see_or_write_for_medicine(units):
    lead, parents = access("cl.surgery"), units["parents"]
    assert not lead.can_view_unpublished(units["medicine"], parents)
    assert not lead.can_view_unpublished(units["medicine_ward"], parents)
    assert not lead.can_write_for(units["medicine"], parents)
    assert lead.can_view_unpublished(units["surgery"], parents) and lead.can_write_for(
        units["surgery"], parents
    )


def test_medicine_managing_director_reaches_everything_under_medicine(units):
    director, parents = access("md.medicine"), units["parents"]
    assert director.can_write_for(units["medicine_ward"], parents)
    assert not director.can_write_for(units["surgery"], parents)


def test_unpublished_data_is_for_performance_executives_and_the_division(units):
    parents = units["parents"]
    assert access("perf").can_view_unpublished(units["medicine"], parents)
    assert access("exec").can_view_unpublished(units["medicine"], parents)
    assert not access("board").can_view_unpublished(units["medicine"], parents)
    assert not access("commissioner").can_view_unpublished(units["medicine"], parents)


def test_only_the_performance_team_manages_data_and_only_it_and_executives_read_the_audit(units):
    assert access("perf").can_manage_data and not access("exec").can_manage_data
    assert access("exec").can_view_audit and not access("board").can_view_audit


def test_commissioners_are_commissioners_only(units):
    assert access("commissioner").is_commissioner_only and not access("commissioner").reads_published_data


def test_an_ended_role_no_longer_counts(units):
    from datetime import date

    from divisions.models import RoleAssignment

    RoleAssignment.objects.filter(user__username="cl.surgery").update(end=date(2020, 1, 1))
    assert not access("cl.surgery").reads_published_data
