import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Order the tests, and skip browser tests when there is no browser.

    1. pytest-django's order is kept (tests in a transaction first, transactional ones last), but within
       each stretch of one module's tests those on a data set loaded once a module (the demo trust, the demo
       without July, the small world: ``MODULE_DATA``) go last, so the module's other tests never see it.
       Two such data sets in one module would stand on each other, so that is refused.
    2. Browser tests need the system Chromium; CI sets PMF_REQUIRE_BROWSER so a missing one fails.
    """
    stretch, module, order = 0, None, {}
    data_sets: dict[str, set[str]] = {}
    for item in items:
        if getattr(item, "module", None) is not module:
            stretch, module = stretch + 1, getattr(item, "module", None)
        data = _module_data(item)
        order[id(item)] = (stretch, data is not None)
        if data is not None:
            data_sets.setdefault(item.nodeid.split("::")[0], set()).add(data)
    if mixed := {path: names for path, names in data_sets.items() if len(names) > 1}:
        raise pytest.UsageError(f"a test module stands on one module-wide data set at most: {mixed}")
    items.sort(key=lambda item: order[id(item)])
    if os.path.exists("/usr/bin/chromium") or os.environ.get("PMF_REQUIRE_BROWSER"):
        return
    skip = pytest.mark.skip(
        reason="needs the system Chromium at /usr/bin/chromium (apt-get install chromium)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


# The data sets loaded once a module (``tests.world.once_for_the_module``). A module uses one at most.
MODULE_DATA = ("module_demo", "module_july", "module_world")


def _module_data(item: pytest.Item) -> str | None:
    """The module-wide data set the test stands on, if any."""
    names = getattr(item, "fixturenames", ())
    return next((name for name in MODULE_DATA if name in names), None)


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
    from roof.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = eager


@pytest.fixture
def unreachable_broker(tasks_run_in_process):
    """Tasks are sent to a broker at a closed port, as when Redis is down (and, with it, the result store)."""
    app = tasks_run_in_process
    app.conf.task_always_eager = False
    app.conf.broker_write_url = "redis://127.0.0.1:9/0"  # the address messages are sent to
    _forget_connections(app)
    yield app
    app.conf.broker_write_url = None
    _forget_connections(app)
    app.conf.task_always_eager = True


def _forget_connections(app):
    """The next message opens a connection to the broker now configured (Celery keeps its pools)."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def pipeline_errors_raise(settings):
    """Background work that fails after a commit is recorded and shown in production; a test fails on it."""
    settings.PMF_RAISE_BACKGROUND_ERRORS = True


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated; and, kept beside it, a copy of it as migrated, on which the session's
    data sets are loaded (``tests.data_sets``), each at most once a session."""
    from tests.data_sets import DataSets

    data_sets = DataSets(django_db_blocker)
    yield data_sets
    data_sets.close()


@pytest.fixture(scope="session")
def data_sets(django_db_setup):
    """The session's data sets (``tests.data_sets.DataSets``)."""
    return django_db_setup


@pytest.fixture
def committed_july(data_sets, transactional_db, tmp_path_factory):
    """The demonstration trust without July 2025 committed, for a test in a transaction of its own, and
    July's real rows as a CSV file to submit (see ``committed_demo``)."""
    from tests.kpis.submission_helpers import loading_the_demo_without_latest_month

    with data_sets.committed("july", loading_the_demo_without_latest_month(tmp_path_factory)) as result:
        yield result


@pytest.fixture(scope="module")
def module_demo(data_sets):
    """The demonstration trust for a whole test module, loaded once a session and lent to each module that
    asks (``tests.data_sets``).

    Given back after the module's last test; each test's own writes are rolled back at its end. Ask for
    ``db`` (or use the ``django_db`` mark) alongside this.
    """
    from tests.data_sets import DEMO

    yield from data_sets.for_the_module(*DEMO)


@pytest.fixture
def committed_demo(data_sets, transactional_db):
    """The demonstration trust committed, for a test in a transaction of its own (a browser test, whose live
    server reads it); the test database is as before once the test ends."""
    from tests.data_sets import DEMO

    with data_sets.committed(*DEMO) as result:
        yield result


@pytest.fixture
def demo(module_demo, db):
    """The demonstration trust, loaded through the real services with its on-commit work done, lent to the
    test module (``module_demo``); each test's writes are rolled back at its end."""
    return module_demo


@pytest.fixture(scope="module")
def module_world(data_sets):
    """The small world (``tests.world``) for a whole test module, built once a session; as ``module_demo``."""
    from tests.world import build_world

    yield from data_sets.for_the_module("world", build_world)


@pytest.fixture
def world(module_world, db):
    """The small world: one trust, two divisions, four KPIs, six published months and one person a role.

    For tests that do not need the demonstration trust's real data; each test's writes are rolled back.
    """
    return module_world
