"""Peer values: every organisation's published figures kept as reference data, in bulk and idempotently."""

from __future__ import annotations

import io
import shutil
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from national.models import PeerValue
from national.peers import load_peer_values
from national.readers import read_published_file
from pmf.models import AuditEvent

from .conftest import DATA
from .peer_helpers import kpi_row, national_file

JULY = date(2025, 7, 1)


def four_hour(org: str, value: float, month: date = JULY) -> dict:
    return kpi_row(org, "AE_4HR_ALL", month, value)


@pytest.mark.django_db
def test_every_organisation_of_a_published_file_is_kept_once_and_a_second_load_writes_nothing():
    dm01 = read_published_file(DATA / "dm01_by_test_one_month.csv")
    first = load_peer_values(dm01)
    assert first.added == len(dm01.rows) and first.changed == 0
    assert PeerValue.objects.count() == len(dm01.rows)
    assert set(PeerValue.objects.values_list("org_code", flat=True)) == set(dm01.rows["org_code"])
    stored = PeerValue.objects.filter(split_kind="").first()
    assert stored is not None and stored.source_file == "dm01_by_test_one_month.csv"
    assert stored.publication == dm01.publication and stored.format == "dm01_by_test"
    events = AuditEvent.objects.filter(verb="peer values loaded").count()
    again = load_peer_values(dm01)
    assert (again.added, again.changed, again.unchanged) == (0, 0, len(dm01.rows))
    assert AuditEvent.objects.filter(verb="peer values loaded").count() == events == 1


@pytest.mark.django_db
def test_a_revised_figure_is_changed_in_place_and_audited():
    load_peer_values(national_file("ae_official", [four_hour("RTG", 70.0), four_hour("RK5", 65.0)]))
    load = load_peer_values(national_file("ae_official", [four_hour("RTG", 71.5), four_hour("RK5", 65.0)]))
    assert (load.added, load.changed, load.unchanged) == (0, 1, 1)
    assert PeerValue.objects.get(org_code="RTG").value == 71.5
    event = AuditEvent.objects.filter(verb="peer values loaded").first()
    assert event is not None and event.after["changed"] == 1


@pytest.mark.django_db
def test_the_tidy_history_never_replaces_the_official_file_but_the_official_file_replaces_it():
    load_peer_values(national_file("ae_history", [four_hour("RTG", 60.0)], "history.csv"))
    load_peer_values(national_file("ae_official", [four_hour("RTG", 62.0)], "official.csv"))
    assert PeerValue.objects.get().value == 62.0
    load = load_peer_values(national_file("ae_history", [four_hour("RTG", 60.0)], "history.csv"))
    assert load.kept_official == 1 and load.written == 0
    stored = PeerValue.objects.get()
    assert (stored.value, stored.source_file) == (62.0, "official.csv")


@pytest.mark.django_db
def test_the_same_figure_from_another_file_keeps_the_first_files_provenance():
    load_peer_values(national_file("cwt_summary", [four_hour("RTG", 60.0)], "summary.csv"))
    load = load_peer_values(national_file("cwt_extract", [four_hour("RTG", 60.0)], "extract.csv"))
    assert load.unchanged == 1
    assert PeerValue.objects.get().source_file == "summary.csv"


@pytest.mark.django_db
def test_splits_are_kept_beside_the_whole_organisation():
    whole = four_hour("RTG", 60.0)
    split = {
        **whole,
        "split_kind": "treatment_function",
        "split_code": "C_110",
        "split_name": "T&O",
        "value": 50.0,
    }
    load_peer_values(national_file("rtt", [whole, split]))
    assert sorted(PeerValue.objects.values_list("split_code", "value")) == [("", 60.0), ("C_110", 50.0)]


@pytest.mark.django_db
def test_load_peer_values_command_loads_a_folder_and_leaves_files_that_are_no_publication(tmp_path):
    for name in ("ae_official_RTG_RK5.csv", "rtt_two_months.csv", "wrong_publication_beds.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    out = _run(tmp_path)
    assert "wrong_publication_beds.csv: left, not a publication PMF reads" in out
    expected = len(read_published_file(DATA / "ae_official_RTG_RK5.csv").rows) + len(
        read_published_file(DATA / "rtt_two_months.csv").rows
    )
    assert PeerValue.objects.count() == expected
    assert f"{expected} peer values written from 2 files." in out
    assert "0 peer values written from 2 files." in _run(tmp_path)


@pytest.mark.django_db
def test_load_peer_values_command_refuses_a_folder_with_a_publication_cut_short_and_writes_nothing(tmp_path):
    for name in ("ae_official_RTG_RK5.csv", "ae_official_cut_short.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    with pytest.raises(
        CommandError, match="Nothing was loaded:\n- ae_official_cut_short.csv: The file is cut short"
    ):
        _run(tmp_path)
    assert not PeerValue.objects.exists()


@pytest.mark.django_db
def test_load_peer_values_command_names_a_missing_folder(tmp_path):
    with pytest.raises(CommandError, match="There is no file or folder"):
        _run(tmp_path / "missing")


def _run(path) -> str:
    out = io.StringIO()
    call_command("load_peer_values", "--skip-checks", files=str(path), stdout=out)
    return out.getvalue()
