import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Order the tests, and skip browser tests when there is no browser.

    1. pytest-django's order is kept (tests in a transaction first, transactional ones last), but within
       each stretch of one module's tests those on the demo trust go last, so the module's other tests never
       see it (it is loaded once a module: ``module_demo``).
    2. Browser tests need the system Chromium; CI sets PMF_REQUIRE_BROWSER so a missing one fails.
    """
    stretch, module, order = 0, None, {}
    for item in items:
        if getattr(item, "module", None) is not module:
            stretch, module = stretch + 1, getattr(item, "module", None)
        order[id(item)] = (stretch, _uses_demo(item))
    items.sort(key=lambda item: order[id(item)])
    if os.path.exists("/usr/bin/chromium") or os.environ.get("PMF_REQUIRE_BROWSER"):
        return
    skip = pytest.mark.skip(
        reason="needs the system Chromium at /usr/bin/chromium (apt-get install chromium)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _uses_demo(item: pytest.Item) -> bool:
    return "module_demo" in getattr(item, "fixturenames", ())


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL the test connections may empty the audit table: the runner truncates every table
    between transactional tests, which the audit trigger otherwise refuses (pmf migration 0003).

    Set at connection start, so no test's rolled-back transaction can take it away.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c pmf.allow_audit_truncate=on".strip()


@pytest.fixture(autouse=True)
def tasks_run_in_process():
    """Tests run queued work in-process so they can assert on its results; the worker test opts out."""
    from pmf.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs a fifth of a second a user; the tests are not about its strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def media_in_a_temporary_folder(tmp_path_factory):
    """Uploaded files and generated packs go to a folder pytest removes, not the repository's media/.

    Session-wide, so that fixtures loading the demo once for a module are covered too.
    """
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


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


@pytest.fixture
def demo(module_demo, db):
    """The demonstration trust, loaded through the real services with its on-commit work done, once for the
    test module (``module_demo``); each test's writes are rolled back at its end."""
    return module_demo
