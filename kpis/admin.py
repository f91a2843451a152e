"""The catalogue is edited here by the performance team; every edit keeps its history."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from pmf.admin_audit import AuditedAdmin
from pmf.permissions import signed_in

from .catalogue_forms import KpiForm, SuiteForm, TargetForm, TrajectoryForm
from .models import (
    Commentary,
    Domain,
    Kitemark,
    Kpi,
    KpiSuite,
    KpiSuiteEntry,
    Measurement,
    StrategicObjective,
    Tag,
    Target,
    Trajectory,
    Upload,
)
from .services.catalogue import approve_suite


class CatalogueAdmin(AuditedAdmin, SimpleHistoryAdmin):
    pass


@admin.register(Domain)
class DomainAdmin(CatalogueAdmin):
    list_display = ("name", "code", "order")


@admin.register(StrategicObjective)
class StrategicObjectiveAdmin(CatalogueAdmin):
    list_display = ("code", "name")


admin.site.register(Tag)


@admin.register(Kpi)
class KpiAdmin(CatalogueAdmin):
    list_display = ("code", "name", "domain", "unit", "direction", "aggregation", "is_key", "source")
    list_filter = ("domain", "is_key", "source", "direction", "aggregation", "data_is_synthetic")
    search_fields = ("code", "name", "definition")
    filter_horizontal = ("tags",)
    form = KpiForm


def _is_approved(suite: KpiSuite | None) -> bool:
    return suite is not None and suite.status == KpiSuite.Status.APPROVED


class KpiSuiteEntryInline(admin.TabularInline):
    model = KpiSuiteEntry
    extra = 0
    autocomplete_fields = ("kpi",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_approved(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_approved(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_approved(obj) and super().has_delete_permission(request, obj)


@admin.register(KpiSuite)
class KpiSuiteAdmin(CatalogueAdmin):
    """Choosing "approved" approves the suite through the service, which records who and when; an approved
    suite is read-only (a new year's draft is copied from it on the catalogue's suites page)."""

    list_display = ("financial_year", "status", "approved_at", "approved_by")
    inlines = [KpiSuiteEntryInline]
    readonly_fields = ("approved_at", "approved_by")
    form = SuiteForm

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_approved(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_approved(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if obj.status == KpiSuite.Status.APPROVED and obj.approved_at is None:
            obj.status = KpiSuite.Status.DRAFT  # approved once its KPIs are saved, in save_related
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("status") == KpiSuite.Status.APPROVED and not _is_approved(form.instance):
            approve_suite(actor=signed_in(request), suite=form.instance)


@admin.register(Target)
class TargetAdmin(CatalogueAdmin):
    list_display = ("kpi", "org_unit", "financial_year", "value", "tolerance", "set_by", "effective_from")
    list_filter = ("financial_year", "set_by")
    search_fields = ("kpi__code", "kpi__name")
    form = TargetForm


@admin.register(Trajectory)
class TrajectoryAdmin(CatalogueAdmin):
    list_display = ("kpi", "org_unit", "month", "value")
    search_fields = ("kpi__code",)
    form = TrajectoryForm


@admin.register(Commentary)
class CommentaryAdmin(AuditedAdmin):
    """The KPI owner's commentary; the IPR and data packs show it beside the chart."""

    list_display = ("kpi", "org_unit", "month", "author", "recovery_date", "updated_at")
    list_filter = ("month", "kpi__domain")
    search_fields = ("kpi__code", "org_unit__code")


@admin.register(Kitemark)
class KitemarkAdmin(AuditedAdmin):
    list_display = ("kpi", "dimension", "rating", "assessed_on", "assessed_by")
    list_filter = ("dimension", "rating")


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    """Uploads are read here; they change only through the submission workflow."""

    list_display = ("original_name", "status", "row_count", "uploaded_by", "uploaded_at", "published_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Upload._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    """Published history is never edited by hand: a correction is a new upload (a restatement)."""

    list_display = ("kpi", "org_unit", "month", "value", "status", "is_rollup", "revision", "is_synthetic")
    list_filter = ("status", "is_rollup", "is_synthetic", "kpi__domain")
    search_fields = ("kpi__code", "org_unit__code")
    date_hierarchy = "month"

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
