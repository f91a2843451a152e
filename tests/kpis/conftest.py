import pytest

from pmf.models import User

from .submission_helpers import loading_the_demo_without_latest_month


@pytest.fixture(scope="module")
def module_july(data_sets, tmp_path_factory):
    """The demo trust without July 2025 for a whole test module, loaded once a session (see ``module_demo``),
    and July's real rows as a CSV file to submit."""
    yield from data_sets.for_the_module("july", loading_the_demo_without_latest_month(tmp_path_factory))


@pytest.fixture
def july(module_july, db):
    """July's rows to submit over the demo trust without them; each test's writes are rolled back."""
    return module_july


@pytest.fixture
def perf(july):
    return User.objects.get(username="perf")
