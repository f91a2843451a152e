"""The pipeline's background work. Thin: each task calls one service; the steps record their own runs."""

from celery import shared_task

from .services.runs import catch_up, run_owed


@shared_task(acks_late=True)
def run_pipeline_task(run_id: int | None = None) -> dict[str, object]:
    """Do what is owed after a publish (``run_id`` is the run that asked; any owed run is taken with it).
    Safe to run twice or at once: a second copy finds the work done, or leaves it to the lock's holder."""
    passes = run_owed()
    if passes is None:
        return {"run": run_id, "left_to": "the pass under way"}
    return {"run": run_id, "runs": sorted(r for p in passes for r in p.runs)}


@shared_task(acks_late=True)
def catch_up_task() -> dict[str, object]:
    """Beat's and each starting worker's look for anything owed (``python manage.py catch_up``)."""
    return catch_up().as_dict()
