"""The only code that writes marks, locks and deadlines (issue 4; R4.1–R4.5, R14.2).

Each service runs in one transaction, checks permission, the book's state (draft / submitted /
locked) and the deadline, writes, and records exactly one audit event listing everything it
changed; every mark change also appends a ``MarkRevision``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from hoso.academics.models import Enrollment, SchoolClass, SchoolYear, TeachingAssignment
from hoso.accounts.access import can, is_principal_of
from hoso.accounts.models import User
from hoso.accounts.permissions import Perm
from hoso.assessment.computation import refuse_primary
from hoso.assessment.deadlines import DeadlineContext
from hoso.assessment.errors import (
    MSG_CELL_LOCKED,
    MSG_LOCKED,
    MSG_NO_SUCH_COLUMN,
    MSG_NOT_IN_GROUP,
    MSG_STALE,
    MSG_SUBMITTED,
    CellProblem,
    MarkEntryError,
    MarkInputError,
    MarkSaveRefused,
)
from hoso.assessment.locks import lock_covering, open_locks
from hoso.assessment.mark_input import parse_typed_comment, parse_typed_score
from hoso.assessment.models import (
    AssessmentSettings,
    BookLock,
    DeadlineExtension,
    DeadlineKind,
    EntryDeadline,
    LockScope,
    Mark,
    MarkKind,
    MarkRevision,
    MarkState,
    MidtermTest,
)
from hoso.assessment.selectors import DEFAULT_MAX_REGULAR, can_enter_marks, group_enrollments
from hoso.audit.registry import register
from hoso.audit.services import ClientInfo, audit_record
from hoso.core.errors import PermissionDeniedError
from hoso.core.formatting import date_vi, decimal_vi
from hoso.organizations.models import Unit

MIDTERM_DATE_RECORDED = register("deadline.midterm_date", "Ghi ngày kiểm tra giữa kì")


@dataclass(frozen=True)
class CellInput:
    """One cell of a save: what the person typed and the version their screen showed."""

    enrollment_id: int
    kind: str
    index: int
    text: str
    base_version: int = 0
    # From an import: the value is already a recorded mark (rounded by the importer, D20).
    value: Decimal | None = None


@dataclass(frozen=True)
class SavedCell:
    enrollment_id: int
    kind: str
    index: int
    text: str
    version: int


@dataclass(frozen=True)
class SaveResult:
    saved: list[SavedCell]
    unchanged: int
    event_id: int | None


def _may_enter(actor: User, assignment: TeachingAssignment) -> bool:
    """R5.1: the subject teacher enters their own marks; the school's admins may import them on
    the teacher's behalf (issue 4, ``import_marks`` for admins). One rule for grid and service."""
    return can_enter_marks(actor, assignment)


def _cell_key(kind: str, index: int, enrollment_id: int) -> tuple[int, str, int]:
    return (enrollment_id, kind, index)


def _read_cell(cell: CellInput, comment_subject: bool) -> tuple[Decimal | None, str]:
    if cell.value is not None:
        return cell.value, ""
    if comment_subject:
        return None, parse_typed_comment(cell.text)
    return parse_typed_score(cell.text), ""


def mark_object(mark: Mark, enrollment: Enrollment) -> str:
    """How an audit event names a cell: class, student id, subject, semester and column."""
    return (
        f"mark:{enrollment.school_class.name}:{enrollment.student.national_id}:"
        f"{mark.subject.code}:HK{mark.semester}:{mark.kind}{mark.index}"
    )


def _text(value: Decimal | None, comment: str) -> str:
    return decimal_vi(value) if value is not None else comment


SAVED_FIELDS = ("value", "comment", "state", "version", "entered_by", "entered_at")


def _update_saved_marks(marks: list[Mark]) -> None:
    """Write the saved cells' new values in one statement.

    ``bulk_update`` builds a ``CASE WHEN id = … THEN …`` per field and row — about two thirds of
    a 45-mark column save's CPU (issue 9, bench). On PostgreSQL the same rows go as one
    ``UPDATE … FROM (VALUES …)``; elsewhere ``bulk_update`` as before. Same rows, same values.
    """
    if not marks:
        return
    if connection.vendor != "postgresql":
        Mark.objects.bulk_update(marks, list(SAVED_FIELDS))
        return
    columns = ["value", "comment", "state", "version", "entered_by_id", "entered_at"]
    casts = ("numeric", "varchar", "varchar", "integer", "bigint", "timestamptz")
    row = "(%s::bigint, " + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    params: list[Any] = []
    for mark in marks:
        params += [
            mark.pk,
            mark.value,
            mark.comment,
            mark.state,
            mark.version,
            mark.entered_by_id,
            mark.entered_at,
        ]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in columns)
    names = ", ".join(quote(c) for c in ["id", *columns])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Mark._meta.db_table)} AS m SET {assignments} "
            f"FROM (VALUES {', '.join([row] * len(marks))}) AS v({names}) WHERE m.id = v.id",
            params,
        )


@transaction.atomic
def marks_save(
    *,
    actor: User,
    assignment: TeachingAssignment,
    semester: int,
    cells: Sequence[CellInput],
    client: ClientInfo | None = None,
    today: dt.date | None = None,
    source: str = "grid",
    reason: str = "",
) -> SaveResult:
    """Save cells of one teaching assignment's grid, all or nothing (R4.2, R4.5).

    Refused as a whole (``MarkSaveRefused`` listing every bad cell) when a cell is not a valid
    mark, is submitted, locked or past its deadline, or was changed since ``base_version``.
    """
    if not _may_enter(actor, assignment):
        raise PermissionDeniedError()
    if semester not in (1, 2):
        raise MarkEntryError("Học kì phải là 1 hoặc 2.")
    refuse_primary(grade=assignment.subject.grade)
    day = today or timezone.localdate()
    subject = assignment.subject
    comment_subject = subject.assessment == "comment"
    enrollments = {e.id: e for e in group_enrollments(assignment.group)}
    settings_row = AssessmentSettings.objects.filter(school_id=assignment.school_id).first()
    max_regular = settings_row.max_regular_marks if settings_row else DEFAULT_MAX_REGULAR
    max_regular = max(max_regular, subject.regular_marks or 0)
    problems: list[CellProblem] = []
    wanted: dict[tuple[int, str, int], tuple[CellInput, Decimal | None, str]] = {}
    for cell in cells:

        def problem(message: str, suggestion: str = "", cell: CellInput = cell) -> None:
            problems.append(
                CellProblem(cell.enrollment_id, cell.kind, cell.index, message, suggestion)
            )

        if cell.enrollment_id not in enrollments:
            problem(MSG_NOT_IN_GROUP)
            continue
        valid_column = (cell.kind == MarkKind.REGULAR and 1 <= cell.index <= max_regular) or (
            cell.kind in (MarkKind.MIDTERM, MarkKind.FINAL) and cell.index == 1
        )
        if not valid_column:
            problem(MSG_NO_SUCH_COLUMN)
            continue
        try:
            value, comment = _read_cell(cell, comment_subject)
        except MarkInputError as error:
            problem(error.message, decimal_vi(error.suggestion) if error.suggestion else "")
            continue
        wanted[_cell_key(cell.kind, cell.index, cell.enrollment_id)] = (cell, value, comment)
    if problems:
        raise MarkSaveRefused(problems)

    # Lock the rows we may change, in a fixed order (deadlock-free under concurrent saves).
    existing = {
        _cell_key(m.kind, m.index, m.enrollment_id): m
        for m in Mark.objects.select_for_update()
        .filter(
            enrollment_id__in={key[0] for key in wanted},
            subject=subject,
            semester=semester,
        )
        .order_by("id")
    }
    for held in existing.values():
        # The subject is the assignment's: no query per mark when the event names the cells
        # (issue 9, bench: 45 of the 59 queries of a column save).
        held.subject = subject
    locks = open_locks(school_id=assignment.school_id, year_id=assignment.year_id)
    deadlines = DeadlineContext.load(
        group=assignment.group, subject=subject, teacher=assignment.teacher
    )
    now = timezone.now()
    to_create: list[Mark] = []
    to_update: list[Mark] = []
    changes: list[dict[str, str]] = []
    revisions: list[tuple[Mark, str, str, str, str]] = []
    unchanged = 0
    for key, (cell, value, comment) in sorted(wanted.items()):
        enrollment = enrollments[cell.enrollment_id]
        mark = existing.get(key)
        old_text = mark.display if mark else ""
        new_text = _text(value, comment)

        def refuse(message: str, cell: CellInput = cell, mark: Mark | None = mark) -> None:
            problems.append(
                CellProblem(
                    cell.enrollment_id,
                    cell.kind,
                    cell.index,
                    message,
                    current_text=mark.display if mark else "",
                    current_version=mark.version if mark else 0,
                )
            )

        current_version = mark.version if mark else 0
        if cell.base_version != current_version:
            refuse(MSG_STALE.format(current=old_text or "trống"))
            continue
        if old_text == new_text:
            unchanged += 1
            continue
        if lock_covering(locks, school_class=enrollment.school_class, semester=semester):
            refuse(MSG_LOCKED)
            continue
        if mark is not None and mark.locked:
            refuse(MSG_CELL_LOCKED)
            continue
        if mark is not None and mark.state == MarkState.SUBMITTED and mark.is_entered:
            refuse(MSG_SUBMITTED)
            continue
        closed = deadlines.refusal(
            today=day,
            semester=semester,
            kind=cell.kind,
            teacher=assignment.teacher,
            school_class=enrollment.school_class,
            subject=subject,
        )
        if closed:
            refuse(closed)
            continue
        if mark is None:
            mark = Mark(
                school_id=enrollment.school_id,
                year_id=enrollment.year_id,
                enrollment=enrollment,
                subject=subject,
                semester=semester,
                kind=cell.kind,
                index=cell.index,
            )
            to_create.append(mark)
        else:
            to_update.append(mark)
        old_state = mark.state
        mark.value = value
        mark.comment = comment
        mark.state = MarkState.DRAFT
        mark.version = current_version + 1
        mark.entered_by = actor
        mark.entered_at = now
        revisions.append((mark, old_text, new_text, old_state, MarkState.DRAFT))
        changes.append(
            {
                "object": mark_object(mark, enrollment),
                "field": "value",
                "old": old_text,
                "new": new_text,
            }
        )
    if problems:
        raise MarkSaveRefused(problems)
    if not revisions:
        return SaveResult(saved=[], unchanged=unchanged, event_id=None)
    Mark.objects.bulk_create(to_create)
    _update_saved_marks(to_update)
    event = audit_record(
        actor=actor,
        action="marks.saved",
        unit=assignment.school,
        target_type="teaching_assignment",
        target_id=str(assignment.uuid),
        summary=(
            f"{subject.name} — {assignment.group.name} — HK{semester}: "
            f"lưu {len(changes)} điểm ({source})"
        ),
        changes=changes,
        reason=reason,
        client=client,
        school_year=assignment.year.name,
    )
    MarkRevision.objects.bulk_create(
        [
            MarkRevision(
                mark=mark,
                school_id=mark.school_id,
                old_text=old,
                new_text=new,
                old_state=old_state,
                new_state=new_state,
                version=mark.version,
                changed_by=actor,
                changed_at=now,
                event_id=event.id,
                reason=reason,
            )
            for mark, old, new, old_state, new_state in revisions
        ]
    )
    saved = [
        SavedCell(m.enrollment_id, m.kind, m.index, m.display, m.version) for m, *_ in revisions
    ]
    return SaveResult(saved=saved, unchanged=unchanged, event_id=event.id)


@transaction.atomic
def marks_submit(
    *,
    actor: User,
    assignment: TeachingAssignment,
    semester: int,
    kind: str | None = None,
    index: int | None = None,
    client: ClientInfo | None = None,
) -> int:
    """ "Hoàn tất" (R4.2): the entered draft marks of a column (or the whole semester's book of
    this assignment) become submitted; the teacher can no longer change them. Returns how many."""
    if not _may_enter(actor, assignment):
        raise PermissionDeniedError()
    refuse_primary(grade=assignment.subject.grade)
    enrollment_ids = list(group_enrollments(assignment.group).values_list("id", flat=True))
    queryset = Mark.objects.select_for_update().filter(
        enrollment_id__in=enrollment_ids,
        subject=assignment.subject,
        semester=semester,
        state=MarkState.DRAFT,
    )
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    if index is not None:
        queryset = queryset.filter(index=index)
    marks = [
        m
        for m in queryset.select_related(
            "enrollment__student", "enrollment__school_class"
        ).order_by("id")
        if m.is_entered
    ]
    if not marks:
        return 0
    now = timezone.now()
    for mark in marks:
        mark.subject = assignment.subject  # the event names each cell: no query per mark
        mark.state = MarkState.SUBMITTED
        mark.submitted_at = now
        mark.version += 1
    Mark.objects.bulk_update(marks, ["state", "submitted_at", "version"])
    column = f"{kind}{index or ''}" if kind else "tất cả các cột"
    event = audit_record(
        actor=actor,
        action="marks.submitted",
        unit=assignment.school,
        target_type="teaching_assignment",
        target_id=str(assignment.uuid),
        summary=(
            f"Hoàn tất {len(marks)} điểm — {assignment.subject.name} — {assignment.group.name} "
            f"— HK{semester} — {column}"
        ),
        changes=[
            {
                "object": mark_object(m, m.enrollment),
                "field": "state",
                "old": MarkState.DRAFT,
                "new": MarkState.SUBMITTED,
            }
            for m in marks
        ],
        client=client,
        school_year=assignment.year.name,
    )
    MarkRevision.objects.bulk_create(
        [
            MarkRevision(
                mark=m,
                school_id=m.school_id,
                old_text=m.display,
                new_text=m.display,
                old_state=MarkState.DRAFT,
                new_state=MarkState.SUBMITTED,
                version=m.version,
                changed_by=actor,
                changed_at=now,
                event_id=event.id,
            )
            for m in marks
        ]
    )
    return len(marks)


def _principal_decision(actor: User, school: Unit, decided_by: User | None, note: str) -> User:
    """R4.4 / R14.2: the principal decides; an admin acts only on the principal's recorded
    request, which must name the principal and say what was asked."""
    if not can(actor, Perm.LOCK_BOOK, school):
        raise PermissionDeniedError()
    if is_principal_of(actor, school) and decided_by in (None, actor):
        return actor
    if decided_by is None or not note.strip():
        raise MarkEntryError(
            "Ban Quản trị chỉ khóa/mở sổ theo yêu cầu của Hiệu trưởng: cần ghi rõ Hiệu trưởng "
            "và nội dung yêu cầu (R14.2)."
        )
    if not is_principal_of(decided_by, school):
        raise MarkEntryError("Người quyết định khóa/mở sổ phải là Hiệu trưởng của trường (R4.4).")
    return decided_by


def _lock_label(lock: BookLock) -> str:
    period = f"HK{lock.semester}" if lock.semester else "cả năm"
    if lock.scope == LockScope.SCHOOL:
        return f"toàn trường — {period}"
    if lock.scope == LockScope.GRADE:
        return f"khối {lock.grade} — {period}"
    return f"lớp {lock.school_class.name if lock.school_class else ''} — {period}"


@transaction.atomic
def book_lock(
    *,
    actor: User,
    school: Unit,
    year: SchoolYear,
    semester: int | None,
    scope: str,
    grade: int | None = None,
    school_class: SchoolClass | None = None,
    decided_by: User | None = None,
    note: str = "",
    client: ClientInfo | None = None,
) -> BookLock:
    """Lock a class, a grade or the school for a semester or the year (R4.4): no write from any
    path reaches a locked book."""
    principal = _principal_decision(actor, school, decided_by, note)
    if scope == LockScope.GRADE and grade is None:
        raise MarkEntryError("Cần chọn khối để khóa.")
    if scope == LockScope.CLASS and (school_class is None or school_class.school_id != school.id):
        raise MarkEntryError("Cần chọn lớp của trường để khóa.")
    lock = BookLock.objects.create(
        school=school,
        year=year,
        semester=semester,
        scope=scope,
        grade=grade if scope == LockScope.GRADE else None,
        school_class=school_class if scope == LockScope.CLASS else None,
        decided_by=principal,
        locked_by=actor,
        note=note,
    )
    audit_record(
        actor=actor,
        action="book.locked",
        unit=school,
        target_type="book_lock",
        target_id=str(lock.uuid),
        summary=f"Khóa sổ {_lock_label(lock)}; quyết định của {principal.display_name}",
        changes=[{"object": f"lock:{lock.uuid}", "field": "state", "old": "open", "new": "locked"}],
        reason=note,
        approval_ref=f"principal:{principal.username}",
        client=client,
        school_year=year.name,
    )
    return lock


@transaction.atomic
def book_unlock(
    *,
    actor: User,
    lock: BookLock,
    decided_by: User | None = None,
    note: str = "",
    client: ClientInfo | None = None,
) -> BookLock:
    """Open a lock again (R14.2). Cells locked on their own after a correction stay locked."""
    principal = _principal_decision(actor, lock.school, decided_by, note)
    if lock.unlocked_at is not None:
        raise MarkEntryError("Sổ này đã được mở.")
    lock.unlocked_at = timezone.now()
    lock.unlocked_by = actor
    lock.unlock_decided_by = principal
    lock.unlock_note = note
    lock.save(
        update_fields=[
            "unlocked_at",
            "unlocked_by",
            "unlock_decided_by",
            "unlock_note",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="book.unlocked",
        unit=lock.school,
        target_type="book_lock",
        target_id=str(lock.uuid),
        summary=f"Mở sổ {_lock_label(lock)}; quyết định của {principal.display_name}",
        changes=[{"object": f"lock:{lock.uuid}", "field": "state", "old": "locked", "new": "open"}],
        reason=note,
        approval_ref=f"principal:{principal.username}",
        client=client,
        school_year=lock.year.name,
    )
    return lock


@transaction.atomic
def deadline_set(
    *,
    actor: User,
    school: Unit,
    year: SchoolYear,
    semester: int,
    kind: str,
    due_on: dt.date,
    opens_on: dt.date | None = None,
    client: ClientInfo | None = None,
) -> EntryDeadline:
    """The principal sets the deadline for regular marks or the end-of-term period (R4.5a, c)."""
    if not is_principal_of(actor, school):
        raise PermissionDeniedError()
    if kind not in DeadlineKind.values:
        raise MarkEntryError("Loại hạn nhập không hợp lệ.")
    previous = EntryDeadline.objects.filter(
        school=school, year=year, semester=semester, kind=kind
    ).first()
    deadline, _ = EntryDeadline.objects.update_or_create(
        school=school,
        year=year,
        semester=semester,
        kind=kind,
        defaults={"due_on": due_on, "opens_on": opens_on, "set_by": actor},
    )
    audit_record(
        actor=actor,
        action="deadline.set",
        unit=school,
        target_type="deadline",
        target_id=str(deadline.uuid),
        summary=f"{deadline.get_kind_display()} HK{semester}: {date_vi(due_on)}",
        changes=[
            {
                "object": f"deadline:{kind}:{semester}",
                "field": "due_on",
                "old": previous.due_on.isoformat() if previous else "",
                "new": due_on.isoformat(),
            }
        ],
        client=client,
        school_year=year.name,
    )
    return deadline


@transaction.atomic
def deadline_extend(
    *,
    actor: User,
    school: Unit,
    year: SchoolYear,
    semester: int,
    until: dt.date,
    reason: str,
    kind: str = "",
    teacher: User | None = None,
    school_class: SchoolClass | None = None,
    client: ClientInfo | None = None,
) -> DeadlineExtension:
    """The principal extends a deadline for a teacher, a class or a column, with a reason."""
    if not is_principal_of(actor, school):
        raise PermissionDeniedError()
    if not reason.strip():
        raise MarkEntryError("Cần ghi lí do gia hạn.")
    extension = DeadlineExtension.objects.create(
        school=school,
        year=year,
        semester=semester,
        kind=kind,
        teacher=teacher,
        school_class=school_class,
        until=until,
        reason=reason,
        granted_by=actor,
    )
    who = (
        teacher.display_name if teacher else (school_class.name if school_class else "toàn trường")
    )
    audit_record(
        actor=actor,
        action="deadline.extended",
        unit=school,
        target_type="deadline_extension",
        target_id=str(extension.uuid),
        summary=f"Gia hạn nhập điểm HK{semester} cho {who} đến {date_vi(until)}",
        changes=[
            {
                "object": f"extension:{extension.uuid}",
                "field": "until",
                "old": "",
                "new": until.isoformat(),
            }
        ],
        reason=reason,
        client=client,
        school_year=year.name,
    )
    return extension


@transaction.atomic
def midterm_test_record(
    *,
    actor: User,
    assignment: TeachingAssignment,
    semester: int,
    test_date: dt.date,
    client: ClientInfo | None = None,
) -> MidtermTest:
    """The teacher records the mid-term test date; its marks are due within 7 days (R4.5b)."""
    if not _may_enter(actor, assignment):
        raise PermissionDeniedError()
    previous = MidtermTest.objects.filter(
        group=assignment.group, subject=assignment.subject, semester=semester
    ).first()
    test, _ = MidtermTest.objects.update_or_create(
        group=assignment.group,
        subject=assignment.subject,
        semester=semester,
        defaults={"school": assignment.school, "test_date": test_date, "recorded_by": actor},
    )
    audit_record(
        actor=actor,
        action=MIDTERM_DATE_RECORDED,
        unit=assignment.school,
        target_type="teaching_assignment",
        target_id=str(assignment.uuid),
        summary=(
            f"Ngày kiểm tra giữa kì {assignment.subject.name} — {assignment.group.name} — "
            f"HK{semester}: {date_vi(test_date)}"
        ),
        changes=[
            {
                "object": f"midterm:{assignment.uuid}:{semester}",
                "field": "test_date",
                "old": previous.test_date.isoformat() if previous else "",
                "new": test_date.isoformat(),
            }
        ],
        client=client,
        school_year=assignment.year.name,
    )
    return test
