from django.contrib import admin
from django.http import HttpRequest

from .models import PipelineRun


@admin.register(PipelineRun)
class PipelineRunAdmin(admin.ModelAdmin):
    """Read only: a run is owed again from its page (``pipeline-runs``), which audits it."""

    list_display = ("created_at", "reason", "start_step", "status", "queued", "attempts", "finished_at")
    list_filter = ("status", "start_step")
    readonly_fields = [f.name for f in PipelineRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
