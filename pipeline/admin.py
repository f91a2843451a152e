from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from pmf.permissions import signed_in

from .models import PipelineRun
from .services import owe_again


@admin.register(PipelineRun)
class PipelineRunAdmin(admin.ModelAdmin):
    list_display = ("created_at", "reason", "start_step", "status", "queued", "attempts", "finished_at")
    list_filter = ("status", "start_step")
    readonly_fields = [f.name for f in PipelineRun._meta.fields]
    actions = ["owe_again_action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description="Owe again (failed runs): the next catch-up does them")
    def owe_again_action(self, request: HttpRequest, queryset: QuerySet[PipelineRun]) -> None:
        count = owe_again(runs=list(queryset), actor=signed_in(request))
        self.message_user(request, f"{count} failed runs are owed again.", messages.SUCCESS)
