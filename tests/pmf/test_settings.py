"""Production mode refuses to start without the values it cannot safely guess."""

import os
import subprocess
import sys

import pytest

CHECK = [
    sys.executable,
    "-c",
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','pmf.settings'); django.setup()",
]


def run_with(**env):
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_DEBUG"}}
    return subprocess.run(CHECK, env=base | env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("env", "missing"),
    [({"ALLOWED_HOSTS": "pmf.example"}, "SECRET_KEY"), ({"SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS")],
)
def test_production_mode_names_the_missing_setting(env, missing):
    result = run_with(DJANGO_DEBUG="0", **env)
    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_DEBUG is off" in result.stderr


def test_production_mode_starts_with_both_set():
    result = run_with(DJANGO_DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="pmf.example")
    assert result.returncode == 0, result.stderr


def test_embedded_default_needs_nothing():
    assert run_with().returncode == 0
