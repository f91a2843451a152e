"""Production mode refuses to start without the values it cannot safely guess, and its health check works."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from pmf import healthcheck, sso
from pmf.settings import DEVELOPMENT_SECRET_KEY, FORMER_BUILD_SECRET_KEY

ROOT = Path(__file__).parents[2]
# What `openssl rand -hex 32` gives, as CI's deploy check uses: long and random enough.
GOOD_KEY = secrets.token_hex(32)

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
    [({"ALLOWED_HOSTS": "pmf.example"}, "SECRET_KEY"), ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS")],
)
def test_production_mode_names_the_missing_setting(env, missing):
    result = run_with(DJANGO_DEBUG="0", **env)
    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_DEBUG is off" in result.stderr


def test_production_mode_starts_with_both_set():
    result = run_with(DJANGO_DEBUG="0", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="pmf.example")
    assert result.returncode == 0, result.stderr


def test_production_mode_refuses_the_published_development_key():
    result = run_with(DJANGO_DEBUG="0", SECRET_KEY=DEVELOPMENT_SECRET_KEY, ALLOWED_HOSTS="pmf.example")
    assert result.returncode != 0
    assert "SECRET_KEY is the development key published in pmf/settings.py" in result.stderr
    assert "openssl rand -hex 50" in result.stderr  # says what to do


@pytest.mark.parametrize("key", [GOOD_KEY[:49], "ab" * 40])
def test_production_mode_refuses_a_short_or_simple_key(key):
    result = run_with(DJANGO_DEBUG="0", SECRET_KEY=key, ALLOWED_HOSTS="pmf.example")
    assert result.returncode != 0
    assert "SECRET_KEY is too short or too simple" in result.stderr
    assert "openssl rand -hex 50" in result.stderr


@pytest.mark.parametrize(
    "key", [FORMER_BUILD_SECRET_KEY, "django-insecure-" + GOOD_KEY], ids=["former build key", "startproject"]
)
def test_production_mode_refuses_a_published_placeholder_key(key):
    assert len(key) >= 50 and len(set(key)) >= 5  # refused for being known, not for its length

    result = run_with(DJANGO_DEBUG="0", SECRET_KEY=key, ALLOWED_HOSTS="pmf.example")

    assert result.returncode != 0
    assert "SECRET_KEY is a published placeholder" in result.stderr
    assert "openssl rand -hex 50" in result.stderr


def test_the_docker_build_collects_static_files_with_a_key_of_its_own_that_production_accepts():
    """The image's collectstatic runs under production settings: its key must pass them, new each build."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert FORMER_BUILD_SECRET_KEY not in dockerfile
    expression = re.search(r'DJANGO_DEBUG=0 SECRET_KEY=("\$\(.+?\)")', dockerfile)
    assert expression, "the Dockerfile's collectstatic step sets SECRET_KEY from a command"
    path = f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"  # its `python` is this one
    keys = [
        subprocess.run(
            ["sh", "-c", f"printf %s {expression[1]}"],
            env=os.environ | {"PATH": path},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for _ in range(2)
    ]
    assert keys[0] != keys[1]

    result = run_with(DJANGO_DEBUG="0", SECRET_KEY=keys[0], ALLOWED_HOSTS="localhost")

    assert result.returncode == 0, result.stderr


def _env_example_passwords() -> dict[str, str]:
    text = (ROOT / ".env.example").read_text()
    return dict(re.findall(r"^((?:POSTGRES|PMF_DB_\w+)_PASSWORD)=(.*)$", text, re.MULTILINE))


def test_env_example_still_gives_every_database_password_compose_needs():
    """CI copies .env.example to .env and validates docker-compose.yml, which refuses blank passwords."""
    passwords = _env_example_passwords()
    assert set(passwords) == {"POSTGRES_PASSWORD", "PMF_DB_OWNER_PASSWORD", "PMF_DB_APP_PASSWORD"}
    assert all(passwords.values())


@pytest.mark.parametrize("name", ["PMF_DB_OWNER_PASSWORD", "PMF_DB_APP_PASSWORD", "POSTGRES_PASSWORD"])
def test_production_mode_refuses_a_database_password_left_as_in_env_example(name):
    password = _env_example_passwords()[name]
    url = f"postgres://pmf_app:{password}@postgres:5432/pmf"  # as docker-compose.yml builds it

    result = run_with(DJANGO_DEBUG="0", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="pmf.example", DATABASE_URL=url)

    assert result.returncode != 0
    assert "DATABASE_URL's password is a placeholder from .env.example" in result.stderr
    assert "PMF_DB_APP_PASSWORD" in result.stderr and "openssl rand" in result.stderr  # says what to do
    assert password not in result.stderr  # and does not print it


def test_production_mode_accepts_a_database_password_of_its_own():
    url = f"postgres://pmf_app:{secrets.token_hex(16)}@postgres:5432/pmf"
    result = run_with(DJANGO_DEBUG="0", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="pmf.example", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr


def test_development_mode_lets_a_placeholder_database_password_through():
    """A laptop may point at a throwaway database with the example's password; only production refuses."""
    url = f"postgres://pmf_app:{_env_example_passwords()['PMF_DB_APP_PASSWORD']}@postgres:5432/pmf"
    assert run_with(DJANGO_DEBUG="1", DATABASE_URL=url).returncode == 0


def test_a_key_of_exactly_50_varied_characters_is_accepted():
    result = run_with(DJANGO_DEBUG="0", SECRET_KEY=GOOD_KEY[:50], ALLOWED_HOSTS="pmf.example")
    assert result.returncode == 0, result.stderr


def test_embedded_default_needs_nothing():
    assert run_with().returncode == 0


def test_env_example_lists_every_variable_the_settings_read():
    root = Path(__file__).parents[2]
    apps = [path.parent for path in root.glob("*/apps.py")]  # every app of the project, roof included
    assert {"pmf", "kpis", "pipeline", "demo"} <= {app.name for app in apps}
    code = [p for app in apps for p in app.rglob("*.py")]
    source = "".join(path.read_text() for path in code)
    read = set(re.findall(r'(?:env|env_flag|environ\.get)\("([A-Z_]+)"', source)) | set(sso.REQUIRED)
    assert {"DATABASE_URL", "PMF_CHROMIUM", "PMF_DEMO_PASSWORD"} <= read
    listed = set(re.findall(r"^([A-Z_]+)=", (root / ".env.example").read_text(), re.MULTILINE))
    assert read - listed == set()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """gunicorn serving PMF with production settings on plain http, as the web container runs it.

    Ready once its worker has answered a first request (loading Django takes a while on a busy machine).
    """
    port = _free_port()
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_DEBUG"}}
    env = base | {
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "pmf.example.nhs.uk",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('production') / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "roof.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                healthcheck.check(f"{url}/", allowed_hosts="pmf.example.nhs.uk", timeout=60)
                break
            except urllib.error.HTTPError:
                break  # it answered (a redirect to https, as it should)
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    raise AssertionError(
                        f"gunicorn did not start: {server.communicate()[1].decode()}"
                    ) from None
                time.sleep(0.5)
        yield url, env
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_compose_health_check_passes_under_production_settings(production_server):
    url, env = production_server
    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["healthcheck"][
        "test"
    ]
    assert command[:4] == ["CMD", "python", "-m", "pmf.healthcheck"]  # what runs below, bar the address

    result = subprocess.run(
        [sys.executable, "-m", "pmf.healthcheck", f"{url}/health/"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '{"status": "ok"}'  # nothing about the database, versions or settings


def test_production_still_sends_every_other_plain_http_request_to_https(production_server):
    url, _ = production_server
    with pytest.raises(urllib.error.HTTPError) as refused:
        healthcheck.check(f"{url}/login/", allowed_hosts="pmf.example.nhs.uk")
    assert refused.value.code == 301
    assert refused.value.headers["Location"] == "https://pmf.example.nhs.uk/login/"


def test_the_health_check_fails_when_nothing_answers():
    result = subprocess.run(
        [sys.executable, "-m", "pmf.healthcheck", f"http://127.0.0.1:{_free_port()}/health/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "unhealthy" in result.stderr


@pytest.mark.parametrize(
    ("allowed", "host"),
    [
        ("pmf.example.nhs.uk,other", "pmf.example.nhs.uk"),
        (".trust.nhs.uk", "trust.nhs.uk"),
        ("*", "localhost"),
    ],
)
def test_the_health_check_asks_for_a_host_django_accepts(allowed, host):
    assert healthcheck.host_header(allowed) == host
