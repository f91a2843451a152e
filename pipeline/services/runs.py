"""Running and catching up the publish pipeline: the passes over owed runs (its steps are in
``pipeline.steps``; the runs are owed, and workers told, by ``pipeline.services.queueing``).

The guarantees, and how they are kept:

- **Nothing is lost.** A publish records what it owes (a ``PipelineRun``) in its own transaction, and only
  then, once committed, tells a worker. If the broker cannot be reached the publish still stands and says so;
  the run stays owed, and ``catch_up`` (every few minutes from beat, and as each worker starts) does it.
- **One pass at a time, and the later data wins.** Passes hold the pipeline's lock (a PostgreSQL advisory
  lock, released by the database if its holder dies). The holder keeps taking owed runs until none is left,
  so a publish that commits while a pass is under way is done by the next pass, on its data.
- **A dead worker's work is done again.** Holding the lock, a run still marked running has no live holder:
  it is owed again (up to ``MAX_ATTEMPTS`` times), and its step's ``JobRun`` is marked failed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pmf.locks import is_exclusive_across_processes, try_hold
from pmf.services.jobs import fail_stale_jobs, run_job

from ..models import PipelineRun
from ..steps import STEP_NAMES, Plan, merge, steps_from

logger = logging.getLogger(__name__)

LOCK = "pmf:publish-pipeline"
MAX_ATTEMPTS = 3  # a run that failed this often waits for the performance team (it is shown to them)
Status = PipelineRun.Status


@dataclass(frozen=True)
class PassResult:
    runs: list[int]
    plan: Plan
    steps: dict[str, Any]
    failed: str = ""


@dataclass(frozen=True)
class CatchUpResult:
    stale_jobs: int
    retried: int
    passes: list[PassResult]
    locked_out: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "stale_jobs": self.stale_jobs,
            "retried": self.retried,
            "runs": sorted(r for p in self.passes for r in p.runs),
            "failed": [p.failed for p in self.passes if p.failed],
            "locked_out": self.locked_out,
        }


def record_run(
    *, reason: str, kpi_ids: list[int] | None, first_month: date | None, start: str, queued: bool
) -> PipelineRun:
    return PipelineRun.objects.create(
        reason=reason[:200],
        kpi_ids=None if kpi_ids is None else sorted(int(k) for k in kpi_ids),
        first_month=first_month,
        start_step=start,
        queued=queued,
    )


def run_owed() -> list[PassResult] | None:
    """Do every owed run, pass after pass, until none is left; None when another holds the lock (it will
    take what is owed now, since it looks again before it lets go).

    Steps:
    1. Take the lock, or leave it to its holder.
    2. Runs still marked running have lost their worker: they are owed again (failed, once they have had
       ``MAX_ATTEMPTS``, so a run that kills its worker is not retried for ever).
    3. Take every owed run, merge them into one plan, run its steps in order, and mark the runs done (or
       failed, with the error, after the first step that fails). Repeat while any run is owed.
    4. Let go of the lock, then look once more: a run recorded just as the last pass ended is not left.
    """
    passes: list[PassResult] = []
    while True:
        with try_hold(LOCK) as held:
            if not held:
                return passes or None
            _recover_orphans()
            while (result := _one_pass()) is not None:
                passes.append(result)
        if not PipelineRun.objects.filter(status=Status.OWED).exists():
            return passes


def _recover_orphans() -> None:
    """Runs marked running while the lock is free have lost their worker: owed again, or failed once they
    have had their attempts; their steps' jobs are marked failed. Where the lock holds only within this
    process (SQLite), a run counts as lost only after running far longer than a pass takes."""
    orphans = PipelineRun.objects.filter(status=Status.RUNNING)
    if not is_exclusive_across_processes():
        orphans = orphans.filter(started_at__lt=timezone.now() - settings.PMF_JOB_STALE_AFTER)
    lost = "The worker stopped during this run"
    gave_up = orphans.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Status.FAILED, finished_at=timezone.now(), message=f"{lost}, {MAX_ATTEMPTS} times."
    )
    owed = orphans.update(status=Status.OWED, message=f"{lost}; it is owed again.")
    if gave_up or owed:
        fail_stale_jobs(
            older_than=timedelta(0) if is_exclusive_across_processes() else settings.PMF_JOB_STALE_AFTER,
            names=[f"pipeline:{name}" for name in STEP_NAMES],
        )


def _one_pass() -> PassResult | None:
    with transaction.atomic():
        claimed = list(PipelineRun.objects.select_for_update().filter(status=Status.OWED).order_by("pk"))
        if not claimed:
            return None
        ids = [run.pk for run in claimed]
        PipelineRun.objects.filter(pk__in=ids).update(
            status=Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
        )
    plan = merge(
        Plan(
            start=run.start_step,
            kpi_ids=None if run.kpi_ids is None else tuple(run.kpi_ids),
            first_month=run.first_month,
        )
        for run in claimed
    )
    results: dict[str, Any] = {}
    step_name = ""
    try:
        for step in steps_from(plan.start):
            step_name = step.name
            with run_job(name=f"pipeline:{step.name}", arguments={"runs": ids}) as job:
                job.result = results[step.name] = step.run(plan)
    except Exception as error:
        reference = f"pipeline runs {', '.join(map(str, ids))}"
        logger.exception("The %s step failed (%s)", step_name, reference)
        message = f"The {step_name} step failed: {type(error).__name__}: {error}"
        PipelineRun.objects.filter(pk__in=ids).update(
            status=Status.FAILED,
            finished_at=timezone.now(),
            message=message[:2000],
            result=_in_order(results),
        )
        if settings.PMF_RAISE_BACKGROUND_ERRORS:
            raise
        return PassResult(runs=ids, plan=plan, steps=results, failed=message)
    PipelineRun.objects.filter(pk__in=ids).update(
        status=Status.DONE, finished_at=timezone.now(), message="", result=_in_order(results)
    )
    return PassResult(runs=ids, plan=plan, steps=results)


def _in_order(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The steps' results as stored: a list, so the order they ran in survives a JSON column."""
    return [{"step": name, "result": result} for name, result in results.items()]


def retry_failed() -> int:
    """Failed runs are owed again, up to ``MAX_ATTEMPTS`` attempts each (a passing fault, a deadlock, a
    database restart); after that they wait, shown to the performance team, for someone to look."""
    return PipelineRun.objects.filter(status=Status.FAILED, attempts__lt=MAX_ATTEMPTS).update(
        status=Status.OWED, finished_at=None
    )


def catch_up() -> CatchUpResult:
    """Bring everything in line with the published data: what beat runs every few minutes, a worker runs as
    it starts, and an operator runs by hand (``python manage.py catch_up``). Safe to run at any time.

    1. Jobs marked running for longer than any job takes lost their worker: they are marked failed.
    2. Failed pipeline runs with attempts left are owed again.
    3. Every owed run is done (``run_owed``).
    """
    stale = fail_stale_jobs(older_than=settings.PMF_JOB_STALE_AFTER)
    retried = retry_failed()
    passes = run_owed()
    return CatchUpResult(stale_jobs=stale, retried=retried, passes=passes or [], locked_out=passes is None)


def run_now(
    *, reason: str, start: str = "spc", kpi_ids: list[int] | None = None, first_month: date | None = None
) -> list[PassResult] | None:
    """Owe a pass from ``start`` and do it now, in this process: the commands' way, so that a step run by
    hand is followed by every step after it. None when another process's pass holds the lock (it takes
    this run too)."""
    record_run(reason=reason, kpi_ids=kpi_ids, first_month=first_month, start=start, queued=True)
    return run_owed()


def unfinished_runs() -> list[PipelineRun]:
    """The runs owed, running or failed, oldest first, in one query: what the performance team is told."""
    return list(
        PipelineRun.objects.filter(status__in=[Status.OWED, Status.RUNNING, Status.FAILED]).order_by("pk")[
            :50
        ]
    )


def recent_runs(*, done: int = 20) -> list[PipelineRun]:
    """The runs owed, running or failed, then the latest ``done`` finished ones (two queries)."""
    finished = PipelineRun.objects.filter(status=Status.DONE).order_by("-finished_at", "-pk")[:done]
    return unfinished_runs() + list(finished)
