"""The only code that writes correction requests and the marks they correct (issue 6; R4.3,
R4.6a, R4.6b, R5.4, R14.6).

Each service runs in one transaction, checks permission and state, writes, and records exactly
one audit event (``approval_ref`` = the request's UUID, so every event of one request is found
together). ``correction_apply`` is the one place besides the assessment services that writes
``Mark`` rows: the assessment services refuse submitted marks by design (R4.2), and an approved
correction is exactly the exception the regulation makes (R4.3, R4.6a).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from hoso.academics.models import Enrollment, SchoolClass, TeachingAssignment
from hoso.accounts.access import can, is_principal_of
from hoso.accounts.models import Role, User
from hoso.accounts.permissions import Perm
from hoso.assessment.errors import MarkInputError
from hoso.assessment.mark_input import parse_typed_comment, parse_typed_score
from hoso.assessment.models import Mark, MarkRevision, MarkState
from hoso.assessment.selectors import group_enrollments
from hoso.assessment.services import mark_object
from hoso.audit.models import AuditEvent
from hoso.audit.registry import register
from hoso.audit.services import ClientInfo, audit_record
from hoso.core.errors import PermissionDeniedError
from hoso.core.formatting import date_vi, decimal_vi
from hoso.organizations.models import Unit
from hoso.workflow.errors import (
    MSG_ADMIN_REQUIRED,
    MSG_BAD_SEMESTER,
    MSG_DELEGATE_NOT_VP,
    MSG_EVIDENCE_KIND,
    MSG_MARK_CHANGED,
    MSG_NO_EVIDENCE,
    MSG_NO_ITEMS,
    MSG_NO_REASON,
    MSG_NOT_AN_ADMIN,
    MSG_NOT_APPLIER,
    MSG_NOT_APPROVED,
    MSG_NOT_APPROVER,
    MSG_NOT_SUBMITTED,
    MSG_NOT_WAITING,
    MSG_NOT_YOUR_MARK,
    MSG_ONLY_PRINCIPAL,
    MSG_OWN_REQUEST,
    MSG_PENDING,
    MSG_R46A_CLOSED,
    MSG_REJECT_COMMENT,
    MSG_SAME_VALUE,
    CorrectionError,
    EvidenceError,
)
from hoso.workflow.evidence import (
    MAX_EVIDENCE_FILES,
    CheckedEvidence,
    EvidenceInput,
    check_evidence,
)
from hoso.workflow.models import (
    ApplyMode,
    ApprovalDelegation,
    CorrectionEvidence,
    CorrectionItem,
    CorrectionPath,
    CorrectionRequest,
    CorrectionStatus,
    EvidenceKind,
    ReissueFlag,
    ReissueWhat,
    WorkflowSettings,
)
from hoso.workflow.policy import (
    apply_mode as school_apply_mode,
)
from hoso.workflow.policy import (
    has_role_at,
    is_school_admin,
    may_approve,
    open_path,
)

# correction.requested / approved / rejected / applied are registered by the audit app.
CORRECTION_DELEGATED = register("correction.delegated", "Ủy quyền duyệt đề nghị sửa điểm")
CORRECTION_DELEGATION_REVOKED = register(
    "correction.delegation_revoked", "Thu hồi ủy quyền duyệt đề nghị sửa điểm"
)
CORRECTION_SETTINGS_UPDATED = register(
    "correction.settings_updated", "Đổi cách sửa điểm sau khi duyệt"
)


@dataclass(frozen=True)
class ItemInput:
    """One mark to correct and the new value as the teacher typed it (``"8,5"``, ``"Đ"``;
    empty = the mark should not have been entered)."""

    mark_id: int
    text: str


@dataclass(frozen=True)
class ItemProblem:
    mark_id: int
    message: str


class CorrectionRefused(CorrectionError):
    """The request was refused as a whole; ``problems`` names each bad mark."""

    def __init__(self, problems: list[ItemProblem]) -> None:
        self.problems = problems
        super().__init__(problems[0].message if problems else None)


def _request_object(request: CorrectionRequest) -> str:
    return f"correction:{request.uuid}"


def _mark_label(mark: Mark) -> str:
    return mark_object(mark, mark.enrollment)


def _parse(text: str, *, comment_subject: bool) -> tuple[Decimal | None, str]:
    if comment_subject:
        return None, parse_typed_comment(text)
    return parse_typed_score(text), ""


def _lock_marks(ids: Sequence[int]) -> dict[int, Mark]:
    # Rows locked in id order (deadlock-free against concurrent saves, as marks_save does);
    # of=("self",) so PostgreSQL does not lock the joined enrolment and student rows too.
    return {
        mark.id: mark
        for mark in Mark.objects.select_for_update(of=("self",))
        .filter(id__in=ids)
        .select_related("enrollment__student", "enrollment__school_class", "subject")
        .order_by("id")
    }


@transaction.atomic
def correction_request_submit(
    *,
    actor: User,
    assignment: TeachingAssignment,
    semester: int,
    items: Sequence[ItemInput],
    reason: str,
    evidence: Sequence[EvidenceInput],
    admin_in_charge: User | None = None,
    path: str | None = None,
    client: ClientInfo | None = None,
    today: dt.date | None = None,
) -> CorrectionRequest:
    """The subject teacher files a correction request for submitted or locked marks of their
    own assignment, with the reason and evidence (R4.6a). The path is R4.6a until one week
    before the end-of-semester test while the book is open, R4.3 afterwards (it then needs the
    admin in charge, R4.3). Refused as a whole (``CorrectionRefused``, ``EvidenceError``,
    ``CorrectionError``); nothing is written then."""
    if not (can(actor, Perm.REQUEST_CORRECTION, assignment) and assignment.teacher_id == actor.id):
        raise PermissionDeniedError()
    if semester not in (1, 2):
        raise CorrectionError(MSG_BAD_SEMESTER)
    day = today or timezone.localdate()
    if not items:
        raise CorrectionError(MSG_NO_ITEMS)
    if not reason.strip():
        raise CorrectionError(MSG_NO_REASON)
    if not evidence:
        raise EvidenceError(MSG_NO_EVIDENCE)
    if len(evidence) > MAX_EVIDENCE_FILES:
        raise EvidenceError(f"Tối đa {MAX_EVIDENCE_FILES} tệp minh chứng.")
    for upload in evidence:
        if upload.kind not in EvidenceKind.values:
            raise EvidenceError(MSG_EVIDENCE_KIND)
    checked = [check_evidence(upload) for upload in evidence]

    school = assignment.school
    group_ids = set(group_enrollments(assignment.group).values_list("id", flat=True))
    marks = _lock_marks([item.mark_id for item in items])
    pending = set(
        CorrectionItem.objects.filter(
            mark_id__in=list(marks),
            request__status__in=[CorrectionStatus.SUBMITTED, CorrectionStatus.APPROVED],
        ).values_list("mark_id", flat=True)
    )
    comment_subject = assignment.subject.assessment == "comment"
    problems: list[ItemProblem] = []
    parsed: list[tuple[Mark, ItemInput, Decimal | None, str]] = []
    seen: set[int] = set()
    for item in items:
        mark = marks.get(item.mark_id)
        if (
            mark is None
            or item.mark_id in seen
            or mark.subject_id != assignment.subject_id
            or mark.semester != semester
            or mark.year_id != assignment.year_id
            or mark.enrollment_id not in group_ids
        ):
            problems.append(ItemProblem(item.mark_id, MSG_NOT_YOUR_MARK))
            continue
        seen.add(item.mark_id)
        if not (mark.state == MarkState.SUBMITTED or mark.locked):
            problems.append(ItemProblem(item.mark_id, MSG_NOT_SUBMITTED))
            continue
        if mark.id in pending:
            problems.append(ItemProblem(item.mark_id, MSG_PENDING))
            continue
        try:
            value, comment = _parse(item.text, comment_subject=comment_subject)
        except MarkInputError as error:
            problems.append(ItemProblem(item.mark_id, error.message))
            continue
        new_text = decimal_vi(value) if value is not None else comment
        if new_text == mark.display:
            problems.append(ItemProblem(item.mark_id, MSG_SAME_VALUE))
            continue
        parsed.append((mark, item, value, comment))
    if problems:
        raise CorrectionRefused(problems)

    classes = {m.enrollment.school_class_id: m.enrollment.school_class for m, *_ in parsed}
    open_now, last_day = open_path(
        school=school,
        year=assignment.year,
        semester=semester,
        classes=list(classes.values()),
        on=day,
    )
    chosen = path or open_now
    if chosen not in CorrectionPath.values or (
        chosen == CorrectionPath.TEACHER_REQUEST and open_now == CorrectionPath.CORRECTION_RECORD
    ):
        raise CorrectionError(MSG_R46A_CLOSED.format(cutoff=date_vi(last_day) or "—"))
    if chosen == CorrectionPath.CORRECTION_RECORD and admin_in_charge is None:
        raise CorrectionError(MSG_ADMIN_REQUIRED)
    if admin_in_charge is not None and not is_school_admin(admin_in_charge, school):
        raise CorrectionError(MSG_NOT_AN_ADMIN)

    now = timezone.now()
    request = CorrectionRequest.objects.create(
        school=school,
        year=assignment.year,
        semester=semester,
        assignment=assignment,
        requester=actor,
        status=CorrectionStatus.SUBMITTED,
        path=chosen,
        reason=reason.strip(),
        submitted_at=now,
        admin_in_charge=admin_in_charge,
    )
    CorrectionItem.objects.bulk_create(
        [
            CorrectionItem(
                request=request,
                mark=mark,
                old_text=mark.display,
                new_text=item.text.strip()[:16],
                new_value=value,
                new_comment=comment,
                base_version=mark.version,
            )
            for mark, item, value, comment in parsed
        ]
    )
    stored = _store_evidence(request, checked)
    try:
        changes: list[dict[str, str | None]] = [
            {
                "object": _mark_label(mark),
                "field": "value",
                "old": mark.display,
                "new": decimal_vi(value) if value is not None else comment,
            }
            for mark, _item, value, comment in parsed
        ]
        changes += [
            {
                "object": f"evidence:{row.uuid}",
                "field": "sha256",
                "old": None,
                "new": row.sha256,
            }
            for row in stored
        ]
        changes.append(
            {"object": _request_object(request), "field": "status", "old": None, "new": "submitted"}
        )
        audit_record(
            actor=actor,
            action="correction.requested",
            unit=school,
            target=request,
            summary=(
                f"Đề nghị sửa {len(parsed)} điểm — {assignment.subject.name} — "
                f"{assignment.group.name} — HK{semester} ({chosen}), {len(stored)} minh chứng"
            ),
            changes=changes,
            reason=request.reason,
            approval_ref=str(request.uuid),
            client=client,
            school_year=assignment.year.name,
        )
    except Exception:
        _delete_files(stored)
        raise
    return request


def _store_evidence(
    request: CorrectionRequest, checked: Sequence[CheckedEvidence]
) -> list[CorrectionEvidence]:
    """Write the files, then their rows; on any failure remove what was written (a file
    must not outlive its rolled-back row)."""
    stored: list[CorrectionEvidence] = []
    try:
        for item in checked:
            row = CorrectionEvidence(
                request=request,
                kind=item.source.kind,
                original_name=item.original_name,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
            )
            handle = item.source.file
            content = handle if isinstance(handle, File) else File(handle)
            row.file.save("minh-chung", content, save=False)
            stored.append(row)
            row.save()
    except Exception:
        _delete_files(stored)
        raise
    return stored


def _delete_files(rows: Sequence[CorrectionEvidence]) -> None:
    for row in rows:
        if row.file.name:
            row.file.storage.delete(row.file.name)


def _locked_request(request: CorrectionRequest) -> CorrectionRequest:
    return (
        CorrectionRequest.objects.select_for_update(of=("self",))
        .select_related("school", "year", "assignment__subject", "assignment__group", "requester")
        .get(pk=request.pk)
    )


@transaction.atomic
def correction_request_approve(
    *,
    actor: User,
    request: CorrectionRequest,
    comment: str = "",
    client: ClientInfo | None = None,
    today: dt.date | None = None,
) -> CorrectionRequest:
    """The principal (or a vice principal the principal delegated to) approves (R4.3, R4.6a).

    Where the school applies corrections on approval (the default), the marks change in this
    same transaction and the one event recorded is ``correction.applied`` (approval included);
    where the admin in charge applies them (R14.6), the event is ``correction.approved`` and
    ``correction_apply`` follows.
    """
    day = today or timezone.localdate()
    request = _locked_request(request)
    if not may_approve(actor, request.school, on=day):
        raise PermissionDeniedError(MSG_NOT_APPROVER)
    if request.requester_id == actor.id:
        raise PermissionDeniedError(MSG_OWN_REQUEST)
    if request.status != CorrectionStatus.SUBMITTED:
        raise CorrectionError(MSG_NOT_WAITING)
    request.approver = actor
    request.approver_comment = comment.strip()
    request.decided_at = timezone.now()
    if school_apply_mode(request.school) == ApplyMode.ON_APPROVAL:
        _apply(request=request, actor=actor, client=client, approved_now=True)
        return request
    request.status = CorrectionStatus.APPROVED
    request.save(
        update_fields=["approver", "approver_comment", "decided_at", "status", "updated_at"]
    )
    audit_record(
        actor=actor,
        action="correction.approved",
        unit=request.school,
        target=request,
        summary=f"Duyệt phiếu {request.reference}; chờ Ban Quản trị sửa (R14.6)",
        changes=[
            {
                "object": _request_object(request),
                "field": "status",
                "old": CorrectionStatus.SUBMITTED,
                "new": CorrectionStatus.APPROVED,
            }
        ],
        reason=request.approver_comment,
        approval_ref=str(request.uuid),
        client=client,
        school_year=request.year.name,
    )
    return request


@transaction.atomic
def correction_request_reject(
    *,
    actor: User,
    request: CorrectionRequest,
    comment: str,
    client: ClientInfo | None = None,
    today: dt.date | None = None,
) -> CorrectionRequest:
    """The principal (or delegated vice principal) refuses, saying why."""
    day = today or timezone.localdate()
    request = _locked_request(request)
    if not may_approve(actor, request.school, on=day):
        raise PermissionDeniedError(MSG_NOT_APPROVER)
    if request.status != CorrectionStatus.SUBMITTED:
        raise CorrectionError(MSG_NOT_WAITING)
    if not comment.strip():
        raise CorrectionError(MSG_REJECT_COMMENT)
    request.approver = actor
    request.approver_comment = comment.strip()
    request.decided_at = timezone.now()
    request.status = CorrectionStatus.REJECTED
    request.save(
        update_fields=["approver", "approver_comment", "decided_at", "status", "updated_at"]
    )
    audit_record(
        actor=actor,
        action="correction.rejected",
        unit=request.school,
        target=request,
        summary=f"Không duyệt phiếu {request.reference}",
        changes=[
            {
                "object": _request_object(request),
                "field": "status",
                "old": CorrectionStatus.SUBMITTED,
                "new": CorrectionStatus.REJECTED,
            }
        ],
        reason=request.approver_comment,
        approval_ref=str(request.uuid),
        client=client,
        school_year=request.year.name,
    )
    return request


def may_apply(actor: User, request: CorrectionRequest) -> bool:
    """R14.6: the admin in charge named on the request — or, when none is named, any admin of
    the school — applies an approved correction; the principal may always."""
    if is_principal_of(actor, request.school):
        return True
    if not is_school_admin(actor, request.school):
        return False
    return request.admin_in_charge_id in (None, actor.id)


@transaction.atomic
def correction_apply(
    *,
    actor: User,
    request: CorrectionRequest,
    client: ClientInfo | None = None,
) -> CorrectionRequest:
    """Write an approved correction (where the school has the admin in charge do it, R14.6)."""
    request = _locked_request(request)
    if not may_apply(actor, request):
        raise PermissionDeniedError(MSG_NOT_APPLIER)
    if request.status != CorrectionStatus.APPROVED:
        raise CorrectionError(MSG_NOT_APPROVED)
    if request.admin_in_charge_id is None and is_school_admin(actor, request.school):
        request.admin_in_charge = actor
    _apply(request=request, actor=actor, client=client, approved_now=False)
    return request


def _apply(
    *, request: CorrectionRequest, actor: User, client: ClientInfo | None, approved_now: bool
) -> AuditEvent:
    """In the caller's transaction: the new values into the marks (version + 1, a revision each,
    locked again at once — R4.6a), the re-issue flags (R4.6b), the request applied, one event."""
    items = list(request.items.order_by("id"))
    marks = _lock_marks([item.mark_id for item in items])
    for item in items:
        mark = marks[item.mark_id]
        if mark.version != item.base_version:
            raise CorrectionError(
                MSG_MARK_CHANGED.format(what=_mark_label(mark), current=mark.display or "trống")
            )
    now = timezone.now()
    changes: list[dict[str, str | None]] = []
    revisions: list[tuple[Mark, str, str, str]] = []
    for item in items:
        mark = marks[item.mark_id]
        old_text, old_state, was_locked = mark.display, mark.state, mark.locked
        mark.value = item.new_value
        mark.comment = item.new_comment
        mark.state = MarkState.SUBMITTED
        mark.locked = True  # R4.6a: "khóa lại ngay" — a class unlock does not open it
        mark.version += 1
        revisions.append((mark, old_text, mark.display, old_state))
        changes.append(
            {"object": _mark_label(mark), "field": "value", "old": old_text, "new": mark.display}
        )
        if not was_locked:
            changes.append(
                {"object": _mark_label(mark), "field": "locked", "old": "false", "new": "true"}
            )
    Mark.objects.bulk_update(
        list(marks.values()), ["value", "comment", "state", "locked", "version"]
    )

    _flag_reissue(request, [m.enrollment for m in marks.values()])

    previous = request.status
    request.status = CorrectionStatus.APPLIED
    request.applied_by = actor
    request.applied_at = now
    request.save(
        update_fields=[
            "approver",
            "approver_comment",
            "decided_at",
            "admin_in_charge",
            "status",
            "applied_by",
            "applied_at",
            "updated_at",
        ]
    )
    changes.append(
        {
            "object": _request_object(request),
            "field": "status",
            "old": previous,
            "new": CorrectionStatus.APPLIED,
        }
    )
    assignment = request.assignment
    how = "Duyệt và sửa" if approved_now else "Sửa"
    event = audit_record(
        actor=actor,
        action="correction.applied",
        unit=request.school,
        target=request,
        summary=(
            f"{how} {len(items)} điểm theo phiếu {request.reference} ({request.path}) — "
            f"{assignment.subject.name} — {assignment.group.name} — HK{request.semester}"
        ),
        changes=changes,
        reason=request.approver_comment if approved_now else request.reason,
        approval_ref=str(request.uuid),
        client=client,
        school_year=request.year.name,
    )
    revision_reason = f"Sửa theo phiếu {request.reference} ({request.uuid}, {request.path})"
    MarkRevision.objects.bulk_create(
        [
            MarkRevision(
                mark=mark,
                school_id=mark.school_id,
                old_text=old,
                new_text=new,
                old_state=old_state,
                new_state=MarkState.SUBMITTED,
                version=mark.version,
                changed_by=actor,
                changed_at=now,
                event_id=event.id,
                reason=revision_reason[:300],
            )
            for mark, old, new, old_state in revisions
        ]
    )
    return event


def _flag_reissue(request: CorrectionRequest, enrollments: Sequence[Enrollment]) -> None:
    """R4.6b: "the same correction carried into every related book" — the class's results, each
    student's transcript page and the data sent to the province are marked to be re-issued."""
    classes: dict[int, SchoolClass] = {e.school_class_id: e.school_class for e in enrollments}
    students = {e.id: e for e in enrollments}
    why = f"Sửa điểm theo phiếu {request.reference}"
    flags = [
        ReissueFlag(
            school=request.school,
            year=request.year,
            what=what,
            school_class=school_class,
            reason=why,
            correction=request,
        )
        for school_class in classes.values()
        for what in (ReissueWhat.CLASS_RESULTS, ReissueWhat.PROVINCE_SUBMISSION)
    ]
    flags += [
        ReissueFlag(
            school=request.school,
            year=request.year,
            what=ReissueWhat.TRANSCRIPT,
            school_class=enrollment.school_class,
            enrollment=enrollment,
            reason=why,
            correction=request,
        )
        for enrollment in students.values()
    ]
    ReissueFlag.objects.bulk_create(flags)


@transaction.atomic
def approval_delegate(
    *,
    actor: User,
    school: Unit,
    delegate: User,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    note: str = "",
    client: ClientInfo | None = None,
) -> ApprovalDelegation:
    """The principal lets a vice principal of the school approve correction requests."""
    if not is_principal_of(actor, school):
        raise PermissionDeniedError(MSG_ONLY_PRINCIPAL)
    if not has_role_at(delegate, Role.VICE_PRINCIPAL, school):
        raise CorrectionError(MSG_DELEGATE_NOT_VP)
    if valid_to is not None and valid_to < valid_from:
        raise CorrectionError("Ngày kết thúc phải sau ngày bắt đầu.")
    delegation = ApprovalDelegation.objects.create(
        school=school,
        principal=actor,
        delegate=delegate,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note.strip()[:300],
    )
    until = f" đến {date_vi(valid_to)}" if valid_to else ""
    audit_record(
        actor=actor,
        action=CORRECTION_DELEGATED,
        unit=school,
        target=delegation,
        summary=(
            f"Ủy quyền duyệt đề nghị sửa điểm cho {delegate.display_name} "
            f"từ {date_vi(valid_from)}{until}"
        ),
        changes=[
            {
                "object": f"delegation:{delegation.uuid}",
                "field": "delegate",
                "old": None,
                "new": delegate.username,
            }
        ],
        reason=delegation.note,
        client=client,
    )
    return delegation


@transaction.atomic
def approval_delegation_revoke(
    *, actor: User, delegation: ApprovalDelegation, client: ClientInfo | None = None
) -> ApprovalDelegation:
    if not is_principal_of(actor, delegation.school):
        raise PermissionDeniedError(MSG_ONLY_PRINCIPAL)
    if delegation.revoked_at is not None:
        raise CorrectionError("Ủy quyền này đã được thu hồi.")
    delegation.revoked_at = timezone.now()
    delegation.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        actor=actor,
        action=CORRECTION_DELEGATION_REVOKED,
        unit=delegation.school,
        target=delegation,
        summary=f"Thu hồi ủy quyền duyệt đề nghị sửa điểm của {delegation.delegate.display_name}",
        changes=[
            {
                "object": f"delegation:{delegation.uuid}",
                "field": "revoked",
                "old": "false",
                "new": "true",
            }
        ],
        client=client,
    )
    return delegation


@transaction.atomic
def workflow_settings_set(
    *, actor: User, school: Unit, apply_mode: str, client: ClientInfo | None = None
) -> WorkflowSettings:
    """The principal chooses who writes approved corrections (R11.3, R14.6)."""
    if not is_principal_of(actor, school):
        raise PermissionDeniedError(MSG_ONLY_PRINCIPAL)
    if apply_mode not in ApplyMode.values:
        raise CorrectionError("Cách sửa điểm không hợp lệ.")
    row, _ = WorkflowSettings.objects.select_for_update().get_or_create(school=school)
    old = row.apply_mode if row.pk else ApplyMode.ON_APPROVAL
    row.apply_mode = apply_mode
    row.save()
    audit_record(
        actor=actor,
        action=CORRECTION_SETTINGS_UPDATED,
        unit=school,
        target=row,
        summary=f"Cách sửa điểm sau khi duyệt: {row.get_apply_mode_display()}",
        changes=[
            {
                "object": f"school:{school.code}",
                "field": "apply_mode",
                "old": old,
                "new": apply_mode,
            }
        ],
        client=client,
    )
    return row
