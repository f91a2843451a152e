"""plotly.js, served from the installed plotly package: no CDN (the product runs inside trust networks) and no
copy of the library in the repository, so upgrading plotly upgrades the browser side too.

Link to it with a version in the query string (`?v={{ plotly_js_version }}`), so that the year-long cache is
refreshed when plotly is upgraded.
"""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe
from plotly.offline import get_plotlyjs_version

from kpis.charts import PLOTLY_JS_PATH

ONE_YEAR = 365 * 24 * 60 * 60


def plotly_js_version() -> str:
    """The version of the plotly.js bundled with the installed plotly package."""
    return get_plotlyjs_version()


def _etag(request: HttpRequest) -> str:
    return f'"plotly-{plotly_js_version()}"'


@require_safe
@condition(etag_func=_etag)
def plotly_js(request: HttpRequest) -> FileResponse:
    """plotly.min.js with a long, immutable cache; a repeat request with its ETag gets 304 Not Modified."""
    response = FileResponse(PLOTLY_JS_PATH.open("rb"), content_type="application/javascript; charset=utf-8")
    patch_cache_control(response, public=True, max_age=ONE_YEAR, immutable=True)
    return response
