import pytest

from pmf.models import User

from .submission_helpers import load_demo_without_latest_month


@pytest.fixture
def july(tmp_path, django_capture_on_commit_callbacks):
    """The demo trust without July 2025, and July's real rows as a CSV file to submit."""
    with django_capture_on_commit_callbacks(execute=True):
        return load_demo_without_latest_month(tmp_path)


@pytest.fixture
def perf(july):
    return User.objects.get(username="perf")
