from typing import Any

from django import forms
from django.contrib import admin

from pmf.admin_audit import AuditedAdmin

from .models import LevelLabel, OrgUnit, OrgUnitMove, RoleAssignment
from .services.org import check_placement, check_retirement
from .services.roles import check_assignment


class OrgUnitAdminForm(forms.ModelForm):
    """The admin keeps the tree's rules: one trust, strictly level by level, moves only with a date."""

    class Meta:
        model = OrgUnit
        fields = ("code", "name", "level", "parent", "active_from", "active_to", "is_synthetic")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if {"code", "level"} <= data.keys():
            existing = self.instance if self.instance.pk else None
            check_placement(unit=existing, code=data["code"], level=data["level"], parent=data.get("parent"))
            ends = data.get("active_to")
            if existing is not None and ends is not None and ends != existing.active_to:
                check_retirement(existing, ends)
        return data


class RoleAssignmentAdminForm(forms.ModelForm):
    """Divisional roles need a division; trust-wide roles have none; a role ends after it starts."""

    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "org_unit", "start", "end")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if {"role", "start"} <= data.keys():
            check_assignment(
                role=data["role"], org_unit=data.get("org_unit"), start=data["start"], end=data.get("end")
            )
        return data


class LevelLabelInline(admin.TabularInline):
    model = LevelLabel
    extra = 0


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    form = OrgUnitAdminForm
    list_display = ("code", "name", "level", "parent", "active_from", "active_to", "is_synthetic")
    list_filter = ("level", "is_synthetic")
    search_fields = ("code", "name")
    inlines = [LevelLabelInline]


@admin.register(OrgUnitMove)
class OrgUnitMoveAdmin(admin.ModelAdmin):
    list_display = ("unit", "from_parent", "to_parent", "effective_from")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # moves are history; record a new one through the service instead


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    form = RoleAssignmentAdminForm
    list_display = ("user", "role", "org_unit", "start", "end")
    list_filter = ("role", "org_unit")
    search_fields = ("user__username",)
