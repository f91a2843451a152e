"""Single sign-on stays off until the trust configures it, and then really sends people to the provider."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pmf.sso import REQUIRED, oidc_settings

PROVIDER = {
    "OIDC_RP_CLIENT_ID": "pmf",
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.example.nhs.uk/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.example.nhs.uk/token",
    "OIDC_OP_USER_ENDPOINT": "https://login.example.nhs.uk/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.example.nhs.uk/keys",
}


def test_off_without_a_client_id():
    assert oidc_settings({}) == {}


def test_a_half_configured_provider_names_what_is_missing():
    with pytest.raises(ValueError, match="OIDC_OP_JWKS_ENDPOINT"):
        oidc_settings({k: v for k, v in PROVIDER.items() if k != "OIDC_OP_JWKS_ENDPOINT"})


def test_accounts_are_not_created_on_first_sign_in_unless_asked():
    assert oidc_settings(PROVIDER)["OIDC_CREATE_USER"] is False
    assert oidc_settings({**PROVIDER, "OIDC_CREATE_USER": "yes"})["OIDC_CREATE_USER"] is True
    assert set(REQUIRED) <= set(oidc_settings(PROVIDER))


SIGN_IN_WITH_PROVIDER = """
import django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client()
print(client.get("/login/").content.decode().count("Sign in with your trust account"))
print(client.get("/oidc/authenticate/")["Location"].split("?")[0])
"""


def test_configured_sign_in_redirects_to_the_trusts_provider(tmp_path):
    env = {
        **os.environ,
        **PROVIDER,
        "DJANGO_SETTINGS_MODULE": "pmf.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", SIGN_IN_WITH_PROVIDER],
        env=env,
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["1", PROVIDER["OIDC_OP_AUTHORIZATION_ENDPOINT"]]
