"""Admin edits are changes like any other: they go in the audit trail."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from pmf.services.audit import record_audit, record_change, snapshot


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        before = None
        if change and obj.pk:
            before = snapshot(type(obj)._default_manager.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        record_change(actor=request.user, instance=obj, before=before, note="edited in the admin")

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        before = snapshot(obj)
        super().delete_model(request, obj)
        record_audit(
            actor=request.user,
            verb="deleted",
            object_type=obj._meta.label,
            object_id=before.get("id", ""),
            before=before,
            note="deleted in the admin",
        )
