"""National peers: every organisation's values loaded from all the shipped published files, then every
KPI × month × peer-group ranking, against a bare pandas ``groupby().rank()`` of the same values."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from django.db import transaction

from bench.large_trust import LargeTrust
from divisions import ods
from national.catalogue import national_kpis
from national.models import PeerValue
from national.peers import is_publication, load_peer_values
from national.ranking import Direction, rank_frame
from national.readers import read_published_file

from . import Measure, best_of

SHIPPED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "nhs"
KEYS = ["group", "kpi_code", "month"]


def published_paths(folder: Path = SHIPPED) -> list[Path]:
    """The files that are publications PMF reads (the others are left, as load_peer_values does)."""
    return [path for path in sorted(folder.glob("*.csv")) if is_publication(path)]


def peer_groups() -> pd.DataFrame:
    """Every standard peer group of every English trust (its type, its region, its ICB) with its members."""
    rows = [
        (f"{kind}:{criterion}", trust.code)
        for trust in ods.all_trusts()
        if trust.in_england
        for kind, criterion in (
            ("type", trust.trust_type),
            ("region", trust.region_code),
            ("icb", trust.icb_code),
        )
        if criterion
    ]
    return pd.DataFrame(rows, columns=["group", "org_code"])


def stored_values() -> pd.DataFrame:
    rows = PeerValue.objects.filter(split_kind="").values_list("org_code", "kpi_code", "month", "value")
    return pd.DataFrame(list(rows), columns=["org_code", "kpi_code", "month", "value"])


def directions() -> dict[str, Direction]:
    return {
        code: "higher_is_better" if k.higher_is_better else "lower_is_better"
        for code, k in national_kpis().items()
    }


def load_and_rank(paths: list[Path], groups: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read and load every file into an empty peer table, read the whole-organisation values back and rank
    them in every group; all rolled back at the end, so each repeat starts from the same database."""
    with transaction.atomic():
        PeerValue.objects.all().delete()
        for path in paths:
            load_peer_values(read_published_file(path))
        values = stored_values().merge(groups, on="org_code")
        ranked = rank_frame(values, directions())
        transaction.set_rollback(True)
    return values, ranked


def run(trust: LargeTrust | None, *, folder: Path = SHIPPED) -> list[Measure]:
    """Time the load and the rankings of every published file in ``folder`` (the shipped files; a test
    passes a few small ones)."""
    del trust  # peers come from the shipped national files, not the generated trust
    if not folder.is_dir():
        sys.stderr.write(f"[national] skipped: no shipped national files at {folder}\n")
        return []
    paths = published_paths(folder)
    groups = peer_groups()
    values, ranked = load_and_rank(paths, groups)
    assert len(ranked) == len(values) > 0
    rankings = ranked.groupby(KEYS, sort=False).ngroups

    def bare_rank() -> None:
        values.groupby(KEYS, sort=False)["value"].rank(method="average")

    baseline = best_of(3, bare_rank)
    return [
        Measure(
            part="national",
            what=(
                f"loading {len(paths)} published files and ranking {len(values):,} values in "
                f"{rankings:,} KPI × month × peer-group rankings"
            ),
            seconds=best_of(2, lambda: load_and_rank(paths, groups)),
            baseline="a bare pandas groupby().rank() of the same values",
            baseline_seconds=baseline,
            goal="reading and loading the files dominate; see the ranking alone below",
        ),
        Measure(
            part="national",
            what=f"the {rankings:,} rankings alone (rank, n, quartile and score)",
            seconds=best_of(3, lambda: rank_frame(values, directions())),
            baseline="a bare pandas groupby().rank() of the same values",
            baseline_seconds=baseline,
            goal="a small multiple of the bare rank",
        ),
    ]
