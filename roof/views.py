"""The home page and the health check."""

from datetime import date

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from divisions.models import OrgUnit
from divisions.selectors import default_trust, divisions_of, trusts
from kpis.selectors import latest_values
from pmf.permissions import internal_reader, request_access, require, signed_in

from .landing import landing_url


def home(request: HttpRequest) -> HttpResponseBase:
    """Where signing in lands: each person on their own work (`roof.landing`), else the overview."""
    if request.user.is_authenticated and (
        url := landing_url(request_access(request), signed_in(request), date.today())
    ):
        return redirect(url)
    return overview(request)


@require(internal_reader)
def overview(request: HttpRequest) -> HttpResponse:
    """The trust, its divisions, and every KPI's latest trust value against its plan."""
    trust = None
    if code := request.GET.get("trust"):
        trust = OrgUnit.objects.filter(code=code, level="trust").first()
    trust = trust or default_trust()
    context: dict[str, object] = {"trust": trust, "trusts": list(trusts())}
    if trust is not None:
        rows = latest_values(trust)
        context.update(
            divisions=list(divisions_of(trust)),
            rows=rows,
            domains=_group_by_domain(rows),
            has_synthetic=any(r.measurement and r.measurement.is_synthetic for r in rows),
            data_as_at=max((r.measurement.month for r in rows if r.measurement), default=None),
        )
    return render(request, "roof/home.html", context)


# The menu offers "Overview" to the people the overview itself lets in.
home.access_test = overview.access_test  # type: ignore[attr-defined]


def _group_by_domain(rows: list) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.kpi.domain.name, []).append(row)
    return list(groups.items())


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and `docker compose`: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
