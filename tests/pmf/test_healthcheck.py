"""The container health check stays cheap: running it does not set Django up."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_health_check_reads_no_settings_and_loads_no_app():
    probe = (
        "import sys, pmf.healthcheck\n"
        "from django.apps import apps\n"
        "from django.conf import settings\n"
        "print(apps.ready, settings.configured, 'pmf.settings' in sys.modules)\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert shown.stdout.split() == ["False", "False", "False"]
