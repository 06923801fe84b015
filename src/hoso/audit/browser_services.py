"""Writes of the audit browser: an inspector's view of the trail is itself recorded
(``audit.viewed``, R15), and every export is (``export.created``). One event per call, in the
chain of the school the reader filtered on, or else the reader's own unit's chain."""

from __future__ import annotations

import io

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from hoso.accounts.access import Actor, scope_of
from hoso.accounts.models import Role, User
from hoso.audit.browser import AuditFilters, audit_events_browse, audit_unit_ids
from hoso.audit.models import SYSTEM_CHAIN_NAME, AuditEvent
from hoso.audit.registry import ACTIONS, register
from hoso.audit.selectors import audit_home_unit
from hoso.audit.services import ClientInfo, audit_record
from hoso.core.errors import PermissionDeniedError
from hoso.organizations.models import Unit

AUDIT_VIEWED = register("audit.viewed", "Xem nhật ký hệ thống")
EXPORT_MAX_ROWS = 100_000
EXPORT_COLUMNS = (
    "Mã sự kiện",
    "Chuỗi (đơn vị)",
    "Số thứ tự",
    "Thời điểm",
    "Tài khoản",
    "Địa chỉ IP",
    "Loại sự kiện",
    "Mô tả loại",
    "Đối tượng",
    "Tóm tắt",
    "Thay đổi (đối tượng | trường | cũ → mới)",
    "Lí do",
    "Theo phê duyệt",
    "Năm học",
    "Mã băm",
)


def is_inspector(actor: Actor) -> bool:
    return Role.INSPECTOR in scope_of(actor).roles


def _chain_unit(actor: User, filters: AuditFilters) -> Unit | None:
    if filters.school:
        unit = Unit.objects.filter(code=filters.school, id__in=audit_unit_ids(actor)).first()
        if unit is not None:
            return unit
    return audit_home_unit(user=actor)


@transaction.atomic
def audit_view_record(
    *, actor: User, filters: AuditFilters, what: str, client: ClientInfo | None = None
) -> AuditEvent:
    """Record that ``actor`` read the trail (``what``: "list" or "mark:<id>")."""
    if not audit_unit_ids(actor):
        raise PermissionDeniedError()
    return audit_record(
        actor=actor,
        action=AUDIT_VIEWED,
        unit=_chain_unit(actor, filters),
        target_type="audit",
        target_id=what[:128],
        summary=f"Xem nhật ký ({what}): {filters.describe()}",
        client=client,
    )


def _changes_text(changes: object) -> str:
    if not isinstance(changes, list):
        return ""
    return "\n".join(
        f"{c.get('object', '')} | {c.get('field', '')} | {c.get('old')} → {c.get('new')}"
        for c in changes
        if isinstance(c, dict)
    )


@transaction.atomic
def audit_export(
    *, actor: User, filters: AuditFilters, client: ClientInfo | None = None
) -> tuple[bytes, int]:
    """The filtered events as an Excel workbook (at most ``EXPORT_MAX_ROWS`` rows, newest
    first); returns the file's bytes and the number of events. Recorded as ``export.created``."""
    if not audit_unit_ids(actor):
        raise PermissionDeniedError()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Nhật ký")
    sheet.append(list(EXPORT_COLUMNS))
    count = 0
    events = audit_events_browse(actor=actor, filters=filters)[:EXPORT_MAX_ROWS]
    for event in events.iterator(chunk_size=2000):
        count += 1
        sheet.append(
            [
                event.id,
                event.unit.code if event.unit else SYSTEM_CHAIN_NAME,
                event.seq,
                timezone.localtime(event.occurred_at).strftime("%d/%m/%Y %H:%M:%S"),
                event.actor_username,
                event.ip_address,
                event.action,
                ACTIONS.get(event.action, ""),
                f"{event.target_type}:{event.target_id}",
                event.summary,
                _changes_text(event.changes),
                event.reason,
                event.approval_ref or "",
                event.school_year or "",
                event.hash,
            ]
        )
    output = io.BytesIO()
    book.save(output)
    audit_record(
        actor=actor,
        action="export.created",
        unit=_chain_unit(actor, filters),
        target_type="audit",
        target_id="xlsx",
        summary=f"Xuất {count} sự kiện nhật ký ra Excel: {filters.describe()}",
        client=client,
    )
    return output.getvalue(), count
