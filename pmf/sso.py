"""The trust's single sign-on (OpenID Connect): off unless the trust configures it.

Sign-in with a username and password always works. When ``OIDC_RP_CLIENT_ID`` is set,
the settings module switches on the ``mozilla-django-oidc`` relying party (install the
``sso`` extra) with the values below; see docs/security.md.
"""

from __future__ import annotations

from collections.abc import Mapping

REQUIRED = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)
APP = "mozilla_django_oidc"
BACKEND = "mozilla_django_oidc.auth.OIDCAuthenticationBackend"


def oidc_settings(environ: Mapping[str, str]) -> dict[str, object]:
    """The Django settings single sign-on needs, or nothing when the trust has not set it up.

    Accounts are not created on first sign-in unless ``OIDC_CREATE_USER`` is on: people
    reach data through roles the performance team gives them, matched by e-mail address.
    """
    if not environ.get("OIDC_RP_CLIENT_ID"):
        return {}
    missing = [name for name in REQUIRED if not environ.get(name)]
    if missing:
        raise ValueError(f"single sign-on is half configured: set {', '.join(missing)}")
    return {
        **{name: environ[name] for name in REQUIRED},
        "OIDC_RP_SIGN_ALGO": environ.get("OIDC_RP_SIGN_ALGO", "RS256"),
        "OIDC_RP_SCOPES": environ.get("OIDC_RP_SCOPES", "openid email profile"),
        "OIDC_CREATE_USER": environ.get("OIDC_CREATE_USER", "").lower() in {"1", "true", "yes", "on"},
    }
