"""Read-only admin for the audit trail: nobody adds, changes or deletes an event here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hoso.audit.models import AuditChain, AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = [
        "occurred_at",
        "unit",
        "seq",
        "action",
        "actor_username",
        "ip_address",
        "summary",
    ]
    list_filter = ["action"]
    search_fields = ["actor_username", "target_id", "summary", "ip_address"]
    date_hierarchy = "occurred_at"
    list_select_related = ["unit"]
    show_full_result_count = False  # COUNT(*) over a province's events is slow
    readonly_fields = [field.name for field in AuditEvent._meta.fields]
    raw_id_fields = ["actor"]


@admin.register(AuditChain)
class AuditChainAdmin(ReadOnlyAdmin):
    list_display = ["id", "unit", "last_seq", "last_hash", "created_at"]
    list_select_related = ["unit"]
    readonly_fields = [field.name for field in AuditChain._meta.fields]
