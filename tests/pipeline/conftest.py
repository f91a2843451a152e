import pytest

from .small_trust import set_up


@pytest.fixture(scope="module")
def small_trust(django_db_setup, django_db_blocker):
    """The small generated trust with all but its last month published, once for a module, rolled back
    after it (as ``module_demo`` does for the demo)."""
    from django.db import transaction

    from pipeline.models import PipelineRun
    from roof.celery import app

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = True
        try:
            trust = set_up()
            from tests.pipeline.small_trust import rebuilt

            rebuilt()  # the published months' charts, ratings and content, as the pipeline leaves them
            PipelineRun.objects.all().delete()  # the set-up's own run: done by the rebuild
            yield trust
        finally:
            app.conf.task_always_eager = eager
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
