"""Production mode refuses to start without the values it cannot safely guess."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pmf import sso

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


def test_env_example_lists_every_variable_the_settings_read():
    root = Path(__file__).parents[2]
    code = [
        p for app in ("pmf", "divisions", "kpis", "reviews", "escalation") for p in (root / app).rglob("*.py")
    ]
    source = "".join(path.read_text() for path in code)
    read = set(re.findall(r'(?:env|env_flag|environ\.get)\("([A-Z_]+)"', source)) | set(sso.REQUIRED)
    assert {"DATABASE_URL", "PMF_CHROMIUM", "PMF_DEMO_PASSWORD"} <= read
    listed = set(re.findall(r"^([A-Z_]+)=", (root / ".env.example").read_text(), re.MULTILINE))
    assert read - listed == set()
