"""Every write service records exactly one registered audit event (style.md, interfaces.md;
R4.3, R15.2). One row per service: ``prepare`` builds what the call needs (its own events are
not counted), ``call`` is the service call under test. Add a row for each new write service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from hoso.assessment.models import BookLock, LockScope
from hoso.assessment.services import (
    CellInput,
    book_lock,
    book_unlock,
    deadline_extend,
    deadline_set,
    marks_save,
    marks_submit,
    midterm_test_record,
)
from hoso.audit.browser import AuditFilters
from hoso.audit.browser_services import audit_export, audit_view_record
from hoso.audit.models import AuditEvent
from hoso.audit.registry import ACTIONS
from hoso.workflow.models import ApprovalDelegation, CorrectionRequest
from hoso.workflow.services import (
    ItemInput,
    approval_delegate,
    approval_delegation_revoke,
    correction_apply,
    correction_request_approve,
    correction_request_reject,
    correction_request_submit,
    workflow_settings_set,
)
from tests.workflow.conftest import TODAY, Corrections, png_evidence

Step = Callable[[Corrections, dict[str, Any]], object]


def nothing(corr: Corrections, ctx: dict[str, Any]) -> None:
    return None


@dataclass(frozen=True)
class ServiceCase:
    name: str
    call: Step
    prepare: Step = nothing


def _save(corr: Corrections, ctx: dict[str, Any]) -> object:
    return marks_save(
        actor=corr.world.teacher_a,
        assignment=corr.world.assignment_a,
        semester=1,
        cells=[
            CellInput(corr.enrollment.id, "regular", 2, "5"),
            CellInput(corr.enrollment.id, "regular", 3, "6,5"),
        ],
        today=TODAY,
    )


def _lock(corr: Corrections, ctx: dict[str, Any]) -> BookLock:
    w = corr.world
    return book_lock(
        actor=w.principal_a,
        school=w.school_a,
        year=w.year,
        semester=1,
        scope=LockScope.CLASS,
        school_class=w.class_a1,
    )


def _submit(corr: Corrections, ctx: dict[str, Any]) -> CorrectionRequest:
    request = correction_request_submit(
        actor=corr.world.teacher_a,
        assignment=corr.world.assignment_a,
        semester=1,
        items=[ItemInput(corr.tx1.id, "8,5"), ItemInput(corr.gk.id, "7,5")],
        reason="Nhầm điểm",
        evidence=[png_evidence()],
        today=TODAY,
    )
    ctx["request"] = request
    return request


def _by_admin_and_approved(corr: Corrections, ctx: dict[str, Any]) -> None:
    workflow_settings_set(
        actor=corr.world.principal_a, school=corr.world.school_a, apply_mode="by_admin"
    )
    _submit(corr, ctx)
    correction_request_approve(actor=corr.world.principal_a, request=ctx["request"])


def _delegate(corr: Corrections, ctx: dict[str, Any]) -> ApprovalDelegation:
    delegation = approval_delegate(
        actor=corr.world.principal_a,
        school=corr.world.school_a,
        delegate=corr.vp_a,
        valid_from=dt.date(2025, 9, 1),
    )
    ctx["delegation"] = delegation
    return delegation


CASES = [
    # assessment (issue 4)
    ServiceCase("marks_save", _save),
    ServiceCase(
        "marks_submit",
        lambda c, x: marks_submit(
            actor=c.world.teacher_a, assignment=c.world.assignment_a, semester=1
        ),
        prepare=_save,
    ),
    ServiceCase("book_lock", _lock),
    ServiceCase(
        "book_unlock",
        lambda c, x: book_unlock(actor=c.world.principal_a, lock=x["lock"]),
        prepare=lambda c, x: x.update(lock=_lock(c, x)),
    ),
    ServiceCase(
        "deadline_set",
        lambda c, x: deadline_set(
            actor=c.world.principal_a,
            school=c.world.school_a,
            year=c.world.year,
            semester=1,
            kind="regular",
            due_on=dt.date(2025, 12, 1),
        ),
    ),
    ServiceCase(
        "deadline_extend",
        lambda c, x: deadline_extend(
            actor=c.world.principal_a,
            school=c.world.school_a,
            year=c.world.year,
            semester=1,
            until=dt.date(2025, 12, 10),
            reason="Giáo viên ốm",
            teacher=c.world.teacher_a,
        ),
    ),
    ServiceCase(
        "midterm_test_record",
        lambda c, x: midterm_test_record(
            actor=c.world.teacher_a,
            assignment=c.world.assignment_a,
            semester=1,
            test_date=dt.date(2025, 11, 1),
        ),
    ),
    # workflow (issue 6)
    ServiceCase("correction_request_submit", _submit),
    ServiceCase(
        "correction_request_approve (applies at once)",
        lambda c, x: correction_request_approve(actor=c.world.principal_a, request=x["request"]),
        prepare=_submit,
    ),
    ServiceCase(
        "correction_request_approve (admin applies)",
        lambda c, x: correction_request_approve(actor=c.world.principal_a, request=x["request"]),
        prepare=lambda c, x: (
            workflow_settings_set(
                actor=c.world.principal_a, school=c.world.school_a, apply_mode="by_admin"
            ),
            _submit(c, x),
        ),
    ),
    ServiceCase(
        "correction_request_reject",
        lambda c, x: correction_request_reject(
            actor=c.world.principal_a, request=x["request"], comment="Thiếu minh chứng"
        ),
        prepare=_submit,
    ),
    ServiceCase(
        "correction_apply",
        lambda c, x: correction_apply(actor=c.admin_a, request=x["request"]),
        prepare=_by_admin_and_approved,
    ),
    ServiceCase("approval_delegate", _delegate),
    ServiceCase(
        "approval_delegation_revoke",
        lambda c, x: approval_delegation_revoke(
            actor=c.world.principal_a, delegation=x["delegation"]
        ),
        prepare=_delegate,
    ),
    ServiceCase(
        "workflow_settings_set",
        lambda c, x: workflow_settings_set(
            actor=c.world.principal_a, school=c.world.school_a, apply_mode="by_admin"
        ),
    ),
    # audit browser (issue 6)
    ServiceCase(
        "audit_view_record",
        lambda c, x: audit_view_record(
            actor=c.world.inspector, filters=AuditFilters(school="THPT-A"), what="list"
        ),
    ),
    ServiceCase(
        "audit_export",
        lambda c, x: audit_export(actor=c.world.principal_a, filters=AuditFilters()),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_write_service_records_exactly_one_registered_event(
    corr: Corrections, case: ServiceCase
) -> None:
    ctx: dict[str, Any] = {}
    case.prepare(corr, ctx)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    case.call(corr, ctx)
    new = list(AuditEvent.objects.filter(id__gt=last).values_list("action", flat=True))
    assert len(new) == 1, f"{case.name} recorded {new}"
    assert new[0] in ACTIONS
