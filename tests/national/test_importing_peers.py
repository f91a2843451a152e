"""The national import keeps every organisation's values as peer values in its own transaction, so the
benchmarking page has the trust's peers after an import; a publication date in a file's name is recorded."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from divisions.models import Role, TrustProfile
from divisions.services.roles import assign_role
from kpis.models import Measurement, Upload
from national.importing import NationalImportError, import_national_files
from national.models import PeerValue
from national.readers import published_on_in
from pmf.models import AuditEvent, User
from reviews.models import Criterion

from .conftest import DATA, OPENED, published_file

OFFICIAL = "ae_official_RTG_RK5.csv"


def organisations_by_hand() -> set[tuple[str, date]]:
    """Every organisation and month in the official file, read from its raw columns."""
    with (DATA / OFFICIAL).open(newline="") as handle:
        return {(line["Org Code"], date.fromisoformat(line["period"])) for line in csv.DictReader(handle)}


def test_an_import_keeps_every_organisations_values_as_peer_values_once(national_world):
    outcome = import_national_files(actor=national_world.perf, ods="RTG", files=[published_file(OFFICIAL)])[0]

    four_hour = PeerValue.objects.filter(kpi_code="AE_4HR_ALL", split_kind="")
    assert set(four_hour.values_list("org_code", "month")) == organisations_by_hand()
    assert {"RTG", "RK5"} <= set(four_hour.values_list("org_code", flat=True))
    assert outcome.peers is not None and outcome.peers.added == PeerValue.objects.count()
    assert set(four_hour.values_list("source_file", flat=True)) == {OFFICIAL}
    assert set(four_hour.values_list("published_on", flat=True)) == {None}  # the name gives no date
    assert AuditEvent.objects.filter(verb="peer values loaded", object_id=OFFICIAL).count() == 1

    again = import_national_files(actor=national_world.perf, ods="RTG", files=[published_file(OFFICIAL)])[0]
    assert again.peers is not None and (again.peers.written, again.peers.unchanged) == (
        0,
        outcome.peers.added,
    )
    assert AuditEvent.objects.filter(verb="peer values loaded").count() == 1


def test_a_refused_import_keeps_no_peer_values(national_world):
    with pytest.raises(NationalImportError, match="cut short"):
        import_national_files(
            actor=national_world.perf,
            ods="RTG",
            files=[published_file(OFFICIAL), published_file("ae_official_cut_short.csv")],
        )
    with pytest.raises(NationalImportError, match="XYZ is not in this"):
        import_national_files(actor=national_world.perf, ods="XYZ", files=[published_file(OFFICIAL)])
    assert not PeerValue.objects.exists()


@pytest.mark.parametrize(
    ("name", "published_on"),
    [
        ("AE-published-2025-08-14.csv", date(2025, 8, 14)),
        ("rtt_2025_09_11.xlsx", date(2025, 9, 11)),
        ("Monthly-AE-April-2025.csv", None),  # the month of the data, not the day it was published
        ("Monthly-AE-2025-02-30.csv", None),  # no such day
        ("ref-12025-08-14.csv", None),
    ],
)
def test_the_publication_date_is_read_from_a_name_that_gives_one(name, published_on):
    assert published_on_in(name) == published_on


def test_a_publication_date_in_the_name_is_kept_on_each_peer_value(national_world):
    content = (DATA / OFFICIAL).read_bytes()
    import_national_files(
        actor=national_world.perf, ods="RTG", files=[("AE-published-2025-08-14.csv", content)]
    )
    assert set(PeerValue.objects.values_list("published_on", flat=True)) == {date(2025, 8, 14)}


def test_the_command_says_what_it_kept_as_peers(national_world, tmp_path):
    (tmp_path / OFFICIAL).write_bytes((DATA / OFFICIAL).read_bytes())
    out = io.StringIO()
    call_command("import_national", "--ods", "RK5", "--files", str(tmp_path), stdout=out)
    added = PeerValue.objects.count()
    assert f"  peers: {OFFICIAL}: {added} peer values added, 0 changed, 0 unchanged" in out.getvalue()


def test_the_benchmarking_page_has_the_peers_after_the_import_page(national_world, client):
    """Tried as a new user would: the trust's profile, one file dropped on the import page, then the
    benchmarking page ranks the trust among the organisations of that file."""
    TrustProfile.objects.create(trust=national_world.trust, ods_code="RTG", trust_type="acute")
    board = User.objects.create(username="board.peers")
    assign_role(actor=None, user=board, role=Role.BOARD_MEMBER, org_unit=None, start=OPENED)
    client.force_login(national_world.perf)
    with (DATA / OFFICIAL).open("rb") as handle:
        client.post(reverse("national-import"), {"ods": "RTG", "file": handle})

    client.force_login(board)
    markup = client.get(reverse("benchmarking")).content.decode()

    assert PeerValue.objects.filter(org_code="RK5").exists()
    assert "RK5" in markup and OFFICIAL in markup
    assert "No national figures have been loaded" not in markup


def test_an_import_to_publish_without_the_four_criteria_is_refused_with_what_to_set_up_and_writes_nothing(
    national_world,
):
    """Every publish path asks the same first (architecture.md): the national import publishes an upload."""
    Criterion.objects.filter(code="POL").delete()
    with pytest.raises(NationalImportError, match="need exactly 4 rating criteria"):
        import_national_files(
            actor=national_world.perf, ods="RTG", files=[published_file(OFFICIAL)], publish=True
        )
    assert not PeerValue.objects.exists() and not Upload.objects.exists() and not Measurement.objects.exists()
