from django.contrib import admin

from pmf.admin_audit import AuditedAdmin

from .models import LevelLabel, OrgUnit, OrgUnitMove, RoleAssignment


class LevelLabelInline(admin.TabularInline):
    model = LevelLabel
    extra = 0


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
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
    list_display = ("user", "role", "org_unit", "start", "end")
    list_filter = ("role", "org_unit")
    search_fields = ("user__username",)
