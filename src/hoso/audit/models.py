"""The append-only, hash-chained audit trail (architecture.md, Integrity; R4.3, R4.6, R14.2, R15.2).

One :class:`AuditChain` per unit — each school, and each district or province office, has its own
chain (interfaces.md) — plus one *system* chain whose ``unit`` is NULL for events that belong to
no unit (the login of an account without any role, a failed login for an unknown username).
Every :class:`AuditEvent` holds the hash of the previous event of its chain; rows are only ever
inserted, through :func:`hoso.audit.services.audit_record`. On PostgreSQL a trigger refuses UPDATE
and DELETE on the events table (migration 0002); everywhere, ``audit_verify`` recomputes the chain.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from hoso.audit.errors import AppendOnlyError

#: ``prev_hash`` of the first event of every chain.
GENESIS_HASH = "0" * 64
#: How the system chain (``unit`` NULL) is named in reports.
SYSTEM_CHAIN_NAME = "hệ thống"


class AuditChain(models.Model):
    """The head of one unit's chain: the last sequence number and hash, locked while appending."""

    # NULL = the system chain. A plain unique constraint would let several NULL rows in (NULLs
    # are distinct in SQL), so uniqueness is on COALESCE(unit_id, 0): one chain per unit and
    # exactly one system chain, on SQLite and PostgreSQL alike.
    unit = models.ForeignKey(
        "organizations.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị"),
    )
    last_seq = models.BigIntegerField(_("số thứ tự cuối"), default=0)
    last_hash = models.CharField(_("mã băm cuối"), max_length=64, default=GENESIS_HASH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                Coalesce("unit", Value(0)), name="auditchain_one_chain_per_unit"
            ),
        ]
        verbose_name = _("chuỗi nhật ký")
        verbose_name_plural = _("chuỗi nhật ký")

    def __str__(self) -> str:
        return f"{self.display_name} (#{self.last_seq})"

    @property
    def display_name(self) -> str:
        return self.unit.code if self.unit is not None else SYSTEM_CHAIN_NAME


class AuditEvent(models.Model):
    """One recorded action: who, when, from where, what, on what, before → after, why, under which
    approval. Never updated, never deleted."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No single-column indexes on chain, unit, actor: the composite indexes below lead with them.
    chain = models.ForeignKey(
        AuditChain,
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,
        verbose_name=_("chuỗi"),
    )
    # A copy of chain.unit so that browsing a school's events needs no join.
    unit = models.ForeignKey(
        "organizations.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("đơn vị"),
    )
    seq = models.BigIntegerField(_("số thứ tự trong chuỗi"))
    prev_hash = models.CharField(_("mã băm trước"), max_length=64)
    hash = models.CharField(_("mã băm"), max_length=64)
    occurred_at = models.DateTimeField(_("thời điểm"))
    # PROTECT, not SET_NULL: nulling the column would be an UPDATE (refused by the trigger) and
    # would break the hash. Accounts are disabled, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("người thực hiện"),
    )
    actor_username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    ip_address = models.CharField(_("địa chỉ IP"), max_length=45, blank=True)
    user_agent = models.CharField(_("trình duyệt/ứng dụng"), max_length=300, blank=True)
    action = models.CharField(_("loại sự kiện"), max_length=64)
    target_type = models.CharField(_("loại đối tượng"), max_length=64, blank=True)
    target_id = models.CharField(_("mã đối tượng"), max_length=128, blank=True)
    summary = models.TextField(_("tóm tắt"), blank=True)
    # [{"object": "...", "field": "...", "old": "8.5" | null, "new": "9" | null}, ...]; every value
    # a string so a Decimal mark keeps its exact text.
    changes = models.JSONField(_("các thay đổi"), default=list, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    # NULL, not "": "made under no approval" / "not tied to a school year" are facts of their own
    # that queries select with __isnull, and the hash tells them apart from an empty reference.
    approval_ref = models.CharField(  # noqa: DJ001
        _("theo phê duyệt"), max_length=128, null=True, blank=True
    )
    school_year = models.CharField(  # noqa: DJ001
        _("năm học"), max_length=16, null=True, blank=True
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="auditevent_seq_unique_in_chain")
        ]
        indexes = [
            models.Index(fields=["unit", "-occurred_at"], name="auditevent_unit_time"),
            models.Index(fields=["actor", "-occurred_at"], name="auditevent_actor_time"),
            models.Index(fields=["action", "-occurred_at"], name="auditevent_action_time"),
            models.Index(fields=["target_type", "target_id"], name="auditevent_target"),
            models.Index(fields=["-occurred_at"], name="auditevent_time"),
        ]
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký kiểm tra")

    def __str__(self) -> str:
        who = self.actor_username or "-"
        return f"#{self.pk} {self.action} {who} {self.occurred_at:%Y-%m-%d %H:%M}"

    # The ORM-level guard, on every database (SQLite has no trigger): a saved event is never
    # saved again, and never deleted. Bulk queryset.update()/delete() bypass this; on PostgreSQL
    # the trigger refuses those, and everywhere the hash chain detects them.
    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError()
