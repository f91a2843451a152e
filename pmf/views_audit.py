"""The audit trail: every decision and data change, for executives and the performance team."""

import json

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .exports import csv_response
from .filters import AuditEventFilter
from .models import AuditEvent
from .permissions import Access, require

PAGE_SIZE = 50


def _can_view_audit(access: Access) -> bool:
    return access.can_view_audit


@require(_can_view_audit)
def audit_log(request: HttpRequest) -> HttpResponse:
    events = AuditEventFilter(request.GET, queryset=AuditEvent.objects.all())
    page = Paginator(events.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "pmf/audit_log.html", {"filter": events, "page": page, "query": query.urlencode()})


@require(_can_view_audit)
def audit_export(request: HttpRequest) -> HttpResponse:
    events = AuditEventFilter(request.GET, queryset=AuditEvent.objects.all()).qs
    rows = (
        (
            e.at.isoformat(),
            e.actor or "system",
            e.verb,
            e.object_type,
            e.object_id,
            json.dumps(e.before, sort_keys=True) if e.before is not None else "",
            json.dumps(e.after, sort_keys=True) if e.after is not None else "",
            e.note,
        )
        for e in events.iterator()
    )
    header = ["at", "actor", "verb", "object_type", "object_id", "before", "after", "note"]
    return csv_response(filename="pmf-audit.csv", header=header, rows=rows)
