from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from .models import AuditEvent, JobRun, User


@admin.register(User)
class PmfUserAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Organisation", {"fields": ("job_title",)}))
    list_display = ("username", "get_full_name", "job_title", "is_active", "is_staff")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "verb", "object_type", "object_id")
    list_filter = ("verb", "object_type")
    search_fields = ("actor", "object_id", "note")


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = ("name", "status", "progress", "started_at", "finished_at")
    list_filter = ("name", "status")
