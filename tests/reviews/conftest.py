import pytest


@pytest.fixture(scope="module")
def module_demo(django_db_setup, django_db_blocker):
    """The demonstration trust loaded once for a whole test module, not once a test.

    It is loaded inside a transaction that is rolled back after the module's last test, so no other module
    sees it. Each test still runs in its own savepoint within that transaction (the ``db`` fixture), so the
    tests cannot see each other's writes. Ask for ``db`` (or use the ``django_db`` mark) alongside this.
    """
    from django.db import transaction
    from django.test import TestCase, override_settings

    from pmf.celery import app
    from pmf.services.demo import load_demo_trust

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        eager = app.conf.task_always_eager
        try:
            app.conf.task_always_eager = True
            with (
                override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
                TestCase.captureOnCommitCallbacks(execute=True),
            ):
                result = load_demo_trust(trust="rwd")
            app.conf.task_always_eager = eager
            yield result
        finally:
            app.conf.task_always_eager = eager
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
