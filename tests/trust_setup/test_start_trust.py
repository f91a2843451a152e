"""``start_trust --ods CODE``: an empty deployment for one NHS trust, or a refusal with the reason."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from divisions.models import LevelLabel, OrgUnit, RoleAssignment, TrustProfile
from escalation.models import Committee
from kpis.models import Domain
from pmf.models import AuditEvent, User
from reviews.models import Criterion, Freedom, TermsOfReference

pytestmark = pytest.mark.django_db


def start(*args: str) -> str:
    out = StringIO()
    call_command("start_trust", *args, stdout=out)
    return out.getvalue()


def labels() -> dict[str, str]:
    return dict(LevelLabel.objects.values_list("level", "singular"))


def test_start_makes_the_trust_with_its_profile_and_every_default():
    out = start("--ods", "rth", "--performance-lead", "perf.lead", "--email", "perf@example.nhs.uk")
    trust = OrgUnit.objects.get()
    assert (trust.code, trust.name, trust.level) == (
        "RTH",
        "Oxford University Hospitals NHS Foundation Trust",
        "trust",
    )
    profile = TrustProfile.objects.get(trust=trust)
    assert (profile.ods_code, profile.trust_type, profile.region_name, profile.icb_code) == (
        "RTH",
        "acute",
        "South East",
        "QU9",
    )
    assert (profile.prm_weekday, profile.prm_week_of_month) == (1, 2)
    assert labels() == {"trust": "Trust", "division": "Division", "service": "Specialty", "team": "Ward"}
    assert set(Domain.objects.values_list("code", flat=True)) == {
        "finance",
        "workforce",
        "quality",
        "operational",
    }
    assert list(Criterion.objects.values_list("code", flat=True)) == ["FIN", "QUAL", "PERF", "POL"]
    assert Freedom.objects.count() == 6
    assert Committee.objects.count() == 5
    assert set(TermsOfReference.objects.values_list("kind", flat=True)) == {"prm", "accountability_review"}
    lead = User.objects.get(username="perf.lead")
    assert not lead.has_usable_password()
    assert RoleAssignment.objects.filter(user=lead, role="performance_team", org_unit=None).exists()
    started = AuditEvent.objects.get(verb="trust started")
    assert started.after["ods_code"] == "RTH" and "the user perf.lead" in started.after["created"]
    assert "Started Oxford University Hospitals NHS Foundation Trust (RTH)" in out
    assert "  - rating criteria FIN, QUAL, PERF, POL\n  - 6 freedoms\n" in out
    assert "Next steps" in out and "import_setup" in out and "/uploads/" in out and "/calendar/" in out


def test_running_twice_changes_nothing_and_says_so():
    start("--ods", "RTH", "--performance-lead", "perf.lead")
    events = AuditEvent.objects.count()
    out = start("--ods", "RTH", "--performance-lead", "perf.lead")
    assert "already set up here: nothing changed" in out
    assert AuditEvent.objects.count() == events
    assert OrgUnit.objects.count() == 1 and Criterion.objects.count() == 4


def test_the_performance_teams_edits_survive_a_second_run():
    start("--ods", "RTH")
    LevelLabel.objects.filter(level="team").update(singular="Unit", plural="Units")
    Criterion.objects.filter(code="FIN").update(name="Financial plan")
    start("--ods", "RTH")
    assert labels()["team"] == "Unit"
    assert Criterion.objects.get(code="FIN").name == "Financial plan"


def test_an_ambulance_trust_starts_in_its_own_words():
    start("--ods", "RX6")
    assert labels() == {
        "trust": "Trust",
        "division": "Directorate",
        "service": "Service line",
        "team": "Team",
    }
    profile = TrustProfile.objects.get()
    assert profile.trust_type == "ambulance"
    assert profile.position_names["3"] == "Performance under review"
    # Its defaults say what it calls its levels, the committees seeded with the database among them.
    defaults = [
        *Freedom.objects.values_list("detail", flat=True),
        *Committee.objects.values_list("purpose", flat=True),
        *TermsOfReference.objects.values_list("purpose", "quorum"),
    ]
    text = " ".join(str(d) for d in defaults)
    assert "directorate's budget" in text and "Is told of directorates in special measures" in text
    assert "division" not in text.lower()


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("QJM", "integrated care board's code"),
        ("RT3", "closed on 31 Jan 2021"),
        ("ZZZ", "not an NHS trust in the ODS reference"),
        ("RT4", "PMF serves NHS trusts in England"),
    ],
)
def test_a_code_that_is_not_an_open_nhs_trust_is_refused_with_the_reason_and_nothing_written(code, reason):
    with pytest.raises(CommandError, match=reason):
        start("--ods", code)
    assert not OrgUnit.objects.exists() and not AuditEvent.objects.exists()


def test_a_deployment_serving_another_trust_refuses_a_second():
    start("--ods", "RTH")
    with pytest.raises(
        CommandError, match=r"already serves Oxford University Hospitals .*\(RTH\); one deployment"
    ):
        start("--ods", "RWD")
    assert list(OrgUnit.objects.values_list("code", flat=True)) == ["RTH"]


def test_a_deployment_whose_tree_has_another_trust_but_no_profile_refuses_too():
    OrgUnit.objects.create(code="WLD", name="World Trust", level="trust")
    with pytest.raises(CommandError, match=r"already serves World Trust \(WLD\)"):
        start("--ods", "RTH")
    assert not TrustProfile.objects.exists()
