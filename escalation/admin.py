"""Committees and per-KPI trigger settings are edited here by the performance team (every edit audited).
Cases and the data-quality log are worked on their own pages, so they are read-only here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pmf.admin_audit import AuditedAdmin

from .models import Committee, DataQualityIssue, EscalationCase, TriggerSetting
from .settings_forms import CommitteeForm


@admin.register(Committee)
class CommitteeAdmin(AuditedAdmin):
    list_display = ("code", "name", "meets_week", "meets_weekday", "order")
    form = CommitteeForm


@admin.register(TriggerSetting)
class TriggerSettingAdmin(AuditedAdmin):
    list_display = (
        "kpi",
        "opens_cases",
        "special_cause_concern_on_key",
        "missed_plan_months",
        "trajectory_variance",
        "sustain_months",
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EscalationCase)
class EscalationCaseAdmin(ReadOnlyAdmin):
    list_display = ("id", "kpi", "division", "level", "status", "opened_month")
    list_filter = ("status", "level")


@admin.register(DataQualityIssue)
class DataQualityIssueAdmin(ReadOnlyAdmin):
    list_display = ("id", "kpi", "org_unit", "status", "escalated_to_dqag", "raised_at")
    list_filter = ("status", "escalated_to_dqag")
