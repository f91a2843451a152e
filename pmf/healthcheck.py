"""The container health check: ``python -m pmf.healthcheck [URL]`` exits 0 only if PMF answers ``/health/``.

docker-compose.yml runs it inside the web container against gunicorn on plain http. Production settings
would refuse the request for two reasons unless the check is careful:

1. ``127.0.0.1`` is not one of ``ALLOWED_HOSTS``, so the request names the first allowed host instead
   (a leading dot, meaning "and its subdomains", is dropped; ``*`` becomes ``localhost``).
2. Plain http is redirected to https, except ``/health/`` (``SECURE_REDIRECT_EXEMPT`` in settings). A redirect
   is never followed here: following one would ask the public address, not this container.

The check itself uses the standard library only. Running it as ``python -m pmf.healthcheck`` imports the
``pmf`` package first, which holds nothing but this docstring-sized ``__init__``: Django is not set up, no
settings are read, no app is loaded and no database is opened. So the check stays cheap enough to run every
30 seconds.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/health/"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None  # urllib then raises HTTPError for the 3xx itself


def host_header(allowed_hosts: str) -> str:
    """The Host to ask for: the first of ``ALLOWED_HOSTS`` that Django will accept by name."""
    first = allowed_hosts.split(",")[0].strip().lstrip(".")
    return "localhost" if first in {"", "*"} else first


def check(url: str = DEFAULT_URL, *, allowed_hosts: str = "", timeout: float = 5) -> str:
    """The body of a healthy answer; raises ``OSError`` (``URLError``, ``HTTPError``) for anything else."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not a web address: {url}")
    # The scheme is checked just above: no file: or custom scheme reaches the opener.
    request = urllib.request.Request(url, headers={"Host": host_header(allowed_hosts)})  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(request, timeout=timeout) as response:
        return response.read().decode()


def main(argv: list[str]) -> int:
    url = argv[1] if len(argv) > 1 else DEFAULT_URL
    try:
        body = check(url, allowed_hosts=os.environ.get("ALLOWED_HOSTS", ""))
    except OSError as problem:
        print(f"unhealthy: {url}: {problem}", file=sys.stderr)
        return 1
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
