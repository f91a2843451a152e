"""The KPI catalogue and each year's suite, kept up by the performance team without the admin.

Every write goes through a ``kpis`` service, which audits it with its before and after.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kpis.models import Kpi, KpiSuite
from kpis.services.catalogue import approve_suite, save_kpi
from kpis.services.suites import copy_suite, set_suite_kpis
from pmf.feedback import tell
from pmf.periods import FinancialYear
from pmf.permissions import can_maintain_catalogue, require, signed_in

from ..forms.catalogue import CopySuiteForm, KpiForm, SuiteKpisForm


@require(can_maintain_catalogue)
def kpi_list(request: HttpRequest) -> HttpResponse:
    kpis = Kpi.objects.select_related("domain").order_by("domain__order", "code")
    return render(request, "trust_setup/catalogue/kpi_list.html", {"kpis": kpis})


@require(can_maintain_catalogue)
def kpi_add(request: HttpRequest) -> HttpResponse:
    return _kpi_form(request, Kpi())


@require(can_maintain_catalogue)
def kpi_edit(request: HttpRequest, code: str) -> HttpResponse:
    return _kpi_form(request, get_object_or_404(Kpi, code=code))


def _kpi_form(request: HttpRequest, kpi: Kpi) -> HttpResponse:
    """Show the KPI's form; a valid post is saved through ``save_kpi`` and audited field by field."""
    is_new = kpi.pk is None
    form = KpiForm(request.POST or None, instance=kpi)
    if request.method == "POST" and form.is_valid():
        fields: dict[str, Any] = dict(form.cleaned_data)
        code = kpi.code if not is_new else fields["code"]
        fields.pop("code", None)
        tags = [tag.slug for tag in fields.pop("tags")]
        saved = save_kpi(actor=signed_in(request), code=code, tags=tags, **fields)
        messages.success(request, f"{saved.code} {'added to' if is_new else 'saved in'} the catalogue.")
        return redirect("setup-kpis")
    title = "Add a KPI" if is_new else f"Edit {kpi.code}"
    return render(request, "trust_setup/catalogue/kpi_form.html", {"form": form, "title": title, "kpi": kpi})


def _suite(year: str) -> KpiSuite:
    try:
        label = FinancialYear.parse(year.replace("-", "/")).label
    except ValueError as error:
        raise Http404(str(error)) from error
    return get_object_or_404(KpiSuite, financial_year=label)


def _suite_url_year(suite: KpiSuite) -> str:
    return suite.financial_year.replace("/", "-")


@require(can_maintain_catalogue)
def suite_list(request: HttpRequest) -> HttpResponse:
    suites = KpiSuite.objects.select_related("approved_by").annotate(kpi_count=Count("entries"))
    latest = suites.first()
    initial = {"source": latest.financial_year, "financial_year": _next_year(latest)} if latest else {}
    rows = [(suite, _suite_url_year(suite)) for suite in suites]
    return render(
        request,
        "trust_setup/catalogue/suite_list.html",
        {"rows": rows, "copy_form": CopySuiteForm(initial=initial)},
    )


def _next_year(suite: KpiSuite) -> str:
    return FinancialYear.parse(suite.financial_year).next().label


@require_POST
@require(can_maintain_catalogue)
def suite_copy(request: HttpRequest) -> HttpResponse:
    form = CopySuiteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(str(e) for e in errors) for errors in form.errors.values()))
        return redirect("setup-suites")
    data = form.cleaned_data
    copied = tell(
        request,
        lambda: copy_suite(
            actor=signed_in(request), source=data["source"], financial_year=data["financial_year"]
        ),
        done=lambda suite: (
            f"The {suite.financial_year} draft holds {suite.entries.count()} KPIs: review and approve it."
        ),
    )
    if copied:
        return redirect("setup-suite", year=data["financial_year"].replace("/", "-"))
    return redirect("setup-suites")


@require(can_maintain_catalogue)
def suite_detail(request: HttpRequest, year: str) -> HttpResponse:
    """A suite's KPIs; a draft's are chosen here, an approved one is shown as it was agreed."""
    suite = _suite(year)
    entries = suite.entries.select_related("kpi", "kpi__domain").order_by("kpi__domain__order", "kpi__code")
    in_suite = [entry.kpi for entry in entries]
    initial = {"kpis": in_suite, "key": [entry.kpi for entry in entries if entry.is_key]}
    form = SuiteKpisForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        kpis, key = form.cleaned_data["kpis"], form.cleaned_data["key"]
        saved = tell(
            request,
            lambda: set_suite_kpis(actor=signed_in(request), suite=suite, kpis=kpis, key=key),
            done=lambda counts: (
                f"The {suite.financial_year} suite is saved: "
                f"{counts[0]} KPI(s) entered or changed, {counts[1]} removed."
            ),
        )
        if saved:
            return redirect("setup-suite", year=year)
    context = {
        "suite": suite,
        "entries": entries,
        "form": form,
        "choices": list(zip(form["kpis"], form["key"], strict=True)),  # the same KPIs in the same order
        "url_year": _suite_url_year(suite),
    }
    return render(request, "trust_setup/catalogue/suite_detail.html", context)


@require_POST
@require(can_maintain_catalogue)
def suite_approve(request: HttpRequest, year: str) -> HttpResponse:
    suite = _suite(year)
    tell(
        request,
        lambda: approve_suite(actor=signed_in(request), suite=suite),
        done=f"The {suite.financial_year} suite is approved; from now on it is kept as it was agreed.",
    )
    return redirect("setup-suite", year=year)
