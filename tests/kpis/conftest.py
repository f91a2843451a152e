import pytest

from pmf.models import User

from .submission_helpers import load_demo_without_latest_month


@pytest.fixture(scope="module")
def module_july(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo trust without July 2025, loaded once for a whole test module (see ``module_demo``), and
    July's real rows as a CSV file to submit."""
    from tests.world import once_for_the_module

    folder = tmp_path_factory.mktemp("july")
    yield from once_for_the_module(django_db_blocker, lambda: load_demo_without_latest_month(folder))


@pytest.fixture
def july(module_july, db):
    """July's rows to submit over the demo trust without them; each test's writes are rolled back."""
    return module_july


@pytest.fixture
def perf(july):
    return User.objects.get(username="perf")
