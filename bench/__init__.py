"""Benchmarks, run by ``make bench``. Each part times the product's code and a baseline in the
same run and reports the ratio, because the machines it runs on are shared and noisy."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    part: str
    what: str
    seconds: float
    baseline: str
    baseline_seconds: float
    goal: str

    @property
    def ratio(self) -> float:
        return self.seconds / self.baseline_seconds if self.baseline_seconds else float("inf")


def best_of(repeats: int, work: Callable[[], object]) -> float:
    """The fastest of ``repeats`` runs: the least disturbed by other work on the machine."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)
