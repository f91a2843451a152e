import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests need the system Chromium; CI sets PMF_REQUIRE_BROWSER so a missing one fails."""
    if os.path.exists("/usr/bin/chromium") or os.environ.get("PMF_REQUIRE_BROWSER"):
        return
    skip = pytest.mark.skip(
        reason="needs the system Chromium at /usr/bin/chromium (apt-get install chromium)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


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


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    """The demonstration trust, loaded through the real services, with its on-commit work done."""
    from pmf.services.demo import load_demo_trust

    with django_capture_on_commit_callbacks(execute=True):
        return load_demo_trust(trust="rwd")
