"""``python manage.py benchmark --ods CODE --kpi KPI --month YYYY-MM [--peer-group KEY] --json``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from national.catalogue import national_kpis
from national.selectors import Benchmark, benchmark_for, peer_set_for, peer_sets_for, trust_for
from pmf.formatting import format_month, format_value
from pmf.periods import parse_month


def contract(benchmark: Benchmark) -> dict[str, Any]:
    """The benchmark in the contract's shape (DESIGN §8), the trust among the peers, best first."""
    standing = benchmark.standing
    return {
        "kpi": benchmark.kpi.code,
        "month": f"{benchmark.month:%Y-%m}",
        "org_code": standing.org_code,
        "value": standing.value,
        "rank": standing.rank,
        "n": standing.n,
        "quartile": standing.quartile,
        "score": standing.score,
        "peer_group": benchmark.peer_set.name,
        "peers": [{"org_code": p.org_code, "value": p.value} for p in standing.peers],
    }


class Command(BaseCommand):
    help = (
        "A trust's standing on one national KPI in one month among its peers (rank, quartile, score), from "
        "the peer values loaded by load_peer_values or the national import."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ods", required=True, help="The trust's ODS code, e.g. RWD")
        parser.add_argument("--kpi", required=True, help="A national KPI code, e.g. AE_4HR_ALL")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument(
            "--peer-group",
            default="",
            help="type (the default: same trust type in England), region, icb, or a stored group's name",
        )
        parser.add_argument("--json", action="store_true", help="Print the contract's JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        trust = trust_for(options["ods"])
        if trust is None:
            raise CommandError(f"{options['ods']} is not a trust in the ODS reference.")
        if options["kpi"] not in national_kpis():
            raise CommandError(
                f"{options['kpi']} is not a national KPI: one of {', '.join(national_kpis())}."
            )
        try:
            month = parse_month(options["month"])
        except ValueError as error:
            raise CommandError(f"--month {options['month']!r}: {error}") from error
        peer_set = peer_set_for(trust, options["peer_group"])
        if peer_set is None:
            offered = ", ".join(s.key for s in peer_sets_for(trust))
            raise CommandError(f"No peer group {options['peer_group']!r} for {trust.code}: one of {offered}.")
        benchmark = benchmark_for(trust, options["kpi"], month, peer_set)
        if benchmark is None:
            raise CommandError(
                f"{trust.code} has no published {options['kpi']} value for {format_month(month)} among the "
                "peer values loaded (python manage.py load_peer_values --files DIR)."
            )
        if options["json"]:
            self.stdout.write(json.dumps(contract(benchmark)))
            return
        s, unit = benchmark.standing, benchmark.kpi.unit
        self.stdout.write(
            f"{trust.name} ({trust.code}), {benchmark.kpi.name}, {format_month(month)}: "
            f"{format_value(s.value, unit)}, rank {format_value(s.rank)} of {s.n} in {peer_set.name}, "
            f"quartile {s.quartile}, score {format_value(s.score, 'ratio')}; peer median "
            f"{format_value(s.median, unit)}, upper quartile {format_value(s.upper_quartile, unit)}."
        )
