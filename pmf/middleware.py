"""Responses to signed-in people are never kept by a browser or a proxy.

Pages behind sign-in show unpublished figures, other divisions' commentary and the audit trail. A shared
ward computer's browser cache, or a caching proxy on the trust network, must not keep a copy that the next
person at the keyboard can open with the Back button or from history after the session has ended.
Anonymous pages (the public IPR summary, sign-in) and static files keep their normal caching: WhiteNoise
answers static files before this middleware runs, and a response a view has marked ``public`` (plotly.js,
served from its package with a versioned address) is the same for everyone, so it keeps its own header.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class NoStoreForSignedInMiddleware:
    """Mark every response to a signed-in user ``Cache-Control: no-store``.

    It replaces any other caching header a view set: a page a signed-in person saw is theirs alone. The user
    is read after the view, so the response to signing in is covered and the one to signing out is not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not _is_public(response):
            response["Cache-Control"] = "no-store"
        return response


def _is_public(response: HttpResponse) -> bool:
    directives = (part.split("=")[0].strip().lower() for part in response.get("Cache-Control", "").split(","))
    return "public" in directives
