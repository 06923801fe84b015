"""Import of a class's (or a teaching group's) marks for one subject from Excel (issue 4).

Plan → validate → apply:

* **plan** reads the workbook (``teacher_workbook``: the real teacher's book or a template hoso
  exported), maps its columns to the book's columns, matches every row to a student, finds the
  teaching assignment the student belongs to for that subject, and reads the current version of
  every cell it would change;
* **validate** collects every problem with its sheet, row, column and a Vietnamese reason;
* **apply** calls ``marks_save`` once per teaching assignment inside ONE outer transaction, so
  the whole file is all or nothing (R4.2); a cell changed by someone between plan and apply is
  refused by ``marks_save`` like any stale save, and nothing is written.

Rules (``docs/import-export.md``):

* ``TX1…TXn`` → ĐĐGtx 1…n; ``GK`` or its parts ``GKTN`` + ``GKTH`` → ĐĐGgk; ``CK`` or ``CKTN`` +
  ``CKTH`` → ĐĐGck. Parts are added exactly, then rounded once (D18, D1).
* A mark with more than one decimal is recorded rounded half up to one decimal and reported with
  the original (D20). Out of 0–10 or not a number → an error.
* A blank cell is "not entered" (never 0, D6) and never erases a mark already in the book: an
  import only adds and changes marks (to clear a mark, use the grid).
* ``Điểm cộng/trừ`` is in no circular's formula: ignored and reported; so are unknown columns.
* Students are matched by Mã định danh, else by (full name, birth date); ``Tên lớp`` — not the
  sheet's name — must be the student's class.
* A submitted (R4.2) or locked (R4.4, R4.6a) cell is never overwritten: a different value there is
  an error; the same value is simply unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import IO

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from hoso.academics.models import (
    Enrollment,
    EnrollmentStatus,
    SchoolYear,
    Subject,
    TeachingAssignment,
    TeachingGroup,
)
from hoso.accounts.access import can
from hoso.accounts.models import User
from hoso.accounts.permissions import Perm
from hoso.assessment.deadlines import DeadlineContext
from hoso.assessment.errors import (
    MSG_CELL_LOCKED,
    MSG_LOCKED,
    MSG_SUBMITTED,
    MarkSaveRefused,
)
from hoso.assessment.locks import lock_covering, open_locks
from hoso.assessment.models import AssessmentSettings, BookLock, Mark, MarkKind, MarkState
from hoso.assessment.selectors import DEFAULT_MAX_REGULAR
from hoso.assessment.services import CellInput, marks_save
from hoso.audit.services import ClientInfo
from hoso.core.errors import PermissionDeniedError
from hoso.core.formatting import date_vi, decimal_vi
from hoso.interchange import errors as E
from hoso.interchange.mark_export import SEMESTER_ROMAN, TITLE_SEMESTER, TITLE_SUBJECT
from hoso.interchange.teacher_workbook import (
    BONUS,
    MarkRow,
    MarkSheet,
    TeacherWorkbook,
    WorkbookError,
    WorkbookProblem,
    clean_text,
    read_teacher_workbook,
)
from hoso.organizations.models import Unit, UnitKind
from hoso.rules.catalogue import code_for_name, raw_catalogue
from hoso.rules.values import round_half_up_1

TEN = Decimal(10)
TENTH = Decimal("0.1")
AVERAGE_HEADERS = frozenset({"đtbmhk", "đtbmcn", "đtbhk", "đtbcn", "tbm", "đtb"})
KIND_LABEL = {MarkKind.REGULAR: "TX{index}", MarkKind.MIDTERM: "GK", MarkKind.FINAL: "CK"}
# How each book column may be written in a sheet: whole, or as parts that add up (D18).
_PERIODIC = {
    MarkKind.MIDTERM: ("GK", ("GKTN", "GKTH")),
    MarkKind.FINAL: ("CK", ("CKTN", "CKTH")),
}


# --- what the plan holds ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedChange:
    """One cell the import writes: where it came from, the book cell, old → new."""

    sheet: str
    row: int
    column: str  # as in the sheet: "TX1", "GK", "CKTN+CKTH"
    class_name: str
    student_name: str
    assignment_id: int
    enrollment_id: int
    kind: str
    index: int
    value: Decimal | None  # score subjects (rounded, D20)
    comment: str  # comment subjects
    base_version: int
    old_text: str

    @property
    def new_text(self) -> str:
        return decimal_vi(self.value) if self.value is not None else self.comment

    @property
    def book_column(self) -> str:
        return KIND_LABEL[MarkKind(self.kind)].format(index=self.index)

    def __str__(self) -> str:
        old = self.old_text or "trống"
        return (
            f"{self.class_name}, {self.student_name}, {self.book_column}: {old} → {self.new_text}"
        )


@dataclass(frozen=True)
class RoundedMark:
    """A mark recorded rounded (D18, D20), with what the file said."""

    sheet: str
    row: int
    column: str
    class_name: str
    student_name: str
    original: str  # "9,75" or "4,75 + 1,5 = 6,25"
    recorded: Decimal

    def __str__(self) -> str:
        return (
            f"{self.sheet}, dòng {self.row}, {self.column} ({self.class_name}, "
            f"{self.student_name}): {self.original} → {decimal_vi(self.recorded)}"
        )


@dataclass(frozen=True)
class IgnoredColumn:
    sheet: str
    column: str
    reason: str

    def __str__(self) -> str:
        if not self.column:
            return f"{self.sheet}: {self.reason}"
        return f"{self.sheet}, cột “{self.column}”: {self.reason}"


@dataclass(frozen=True)
class ColumnCount:
    """Per class and book column: marks added, changed and already identical."""

    class_name: str
    column: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class GroupSummary:
    assignment_id: int
    assignment_uuid: str
    group: str
    teacher: str
    cells: int


@dataclass(frozen=True)
class ImportReport:
    """What an import would do (a plan / dry run) or did (``applied``). Frozen: it is shown,
    printed and compared, never edited."""

    file_name: str
    school_code: str
    year: str
    semester: int
    subject: str
    students: int
    changes: tuple[PlannedChange, ...]
    unchanged: int
    counts: tuple[ColumnCount, ...]
    groups: tuple[GroupSummary, ...]
    rounded: tuple[RoundedMark, ...]
    ignored: tuple[IgnoredColumn, ...]
    errors: tuple[WorkbookProblem, ...]
    applied: bool = False
    event_ids: tuple[int, ...] = ()
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def fingerprint(self) -> str:
        """Identifies exactly what would be written, from which versions: a preview confirmed on
        the web is applied only if the book has not changed since (else shown again)."""
        digest = hashlib.sha256()
        for c in sorted(self.changes, key=lambda c: (c.enrollment_id, c.kind, c.index)):
            digest.update(
                f"{c.assignment_id}|{c.enrollment_id}|{c.kind}|{c.index}|{c.base_version}|"
                f"{c.new_text}\n".encode()
            )
        return digest.hexdigest()


class _Rollback(Exception):
    pass


# --- helpers ----------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """Names compare in NFC, case-insensitive, inner spaces collapsed."""
    return clean_text(name).casefold()


def may_import(actor: User, assignment: TeachingAssignment) -> bool:
    # The same rule as ``marks_save`` (which checks it again): the assignment's own teacher, or
    # an admin of the school with the import permission (issue 4).
    if can(actor, Perm.ENTER_MARKS, assignment) and assignment.teacher_id == actor.id:
        return True
    return can(actor, Perm.IMPORT_MARKS, assignment.school)


def _resolve_school(code: str) -> Unit:
    school = Unit.objects.filter(code=code, kind=UnitKind.SCHOOL).first()
    if school is None:
        raise E.ImportUsageError(E.MSG_NO_SCHOOL.format(code=code))
    return school


def _resolve_year(name: str) -> SchoolYear:
    year = SchoolYear.objects.filter(name=name.strip()).first()
    if year is None:
        raise E.ImportUsageError(E.MSG_NO_YEAR.format(year=name))
    return year


@dataclass
class _Context:
    """Everything the plan reads from the database, once (a constant number of queries)."""

    school: Unit
    year: SchoolYear
    semester: int
    code: str
    subject_name: str
    by_id: dict[str, list[Enrollment]]
    by_name: dict[tuple[str, dt.date], list[Enrollment]]
    subjects: dict[tuple[str, int], Subject]
    assignments: dict[int, TeachingAssignment]
    assignments_of: dict[int, list[int]]  # enrollment id → assignment ids
    marks: dict[tuple[int, int, str, int], Mark]  # (enrollment, subject, kind, index)
    max_regular: int
    locks: list[BookLock]
    deadlines: dict[int, DeadlineContext] = field(default_factory=dict)


def _load(
    *, school: Unit, year: SchoolYear, semester: int, code: str, subject_name: str
) -> _Context:
    enrollments = list(
        Enrollment.objects.filter(school=school, year=year, status=EnrollmentStatus.STUDYING)
        .select_related("student", "school_class", "school_class__year")
        .order_by("id")
    )
    by_id: dict[str, list[Enrollment]] = defaultdict(list)
    by_name: dict[tuple[str, dt.date], list[Enrollment]] = defaultdict(list)
    for e in enrollments:
        by_id[e.student.national_id].append(e)
        if e.student.date_of_birth is not None:
            by_name[(name_key(e.student.full_name), e.student.date_of_birth)].append(e)
    subjects = {(s.programme, s.grade): s for s in Subject.objects.filter(code=code)}
    assignments = {
        a.id: a
        for a in TeachingAssignment.objects.filter(school=school, year=year, subject__code=code)
        .select_related("group", "group__school_class", "subject", "teacher", "school", "year")
        .order_by("id")
    }
    assignments_of: dict[int, list[int]] = defaultdict(list)
    by_class: dict[int, list[int]] = defaultdict(list)
    mixed: dict[int, list[int]] = defaultdict(list)
    for a in assignments.values():
        if a.group.school_class_id is not None:
            by_class[a.group.school_class_id].append(a.id)
        else:
            mixed[a.group_id].append(a.id)
    members = TeachingGroup.members.through.objects.filter(teachinggroup_id__in=list(mixed))
    for group_id, enrollment_id in members.values_list("teachinggroup_id", "enrollment_id"):
        assignments_of[enrollment_id].extend(mixed[group_id])
    for e in enrollments:
        assignments_of[e.id].extend(by_class.get(e.school_class_id, ()))
    marks = {
        (m.enrollment_id, m.subject_id, m.kind, m.index): m
        for m in Mark.objects.filter(
            school=school, year=year, subject__code=code, semester=semester
        ).order_by()
    }
    settings_row = AssessmentSettings.objects.filter(school_id=school.id).first()
    max_regular = settings_row.max_regular_marks if settings_row else DEFAULT_MAX_REGULAR
    return _Context(
        school=school,
        year=year,
        semester=semester,
        code=code,
        subject_name=subject_name,
        by_id=by_id,
        by_name=by_name,
        subjects=subjects,
        assignments=assignments,
        assignments_of=assignments_of,
        marks=marks,
        max_regular=max_regular,
        locks=open_locks(school_id=school.id, year_id=year.id),
    )


# --- the plan ---------------------------------------------------------------------------------


@dataclass
class _Builder:
    ctx: _Context
    actor: User | None
    today: dt.date
    errors: list[WorkbookProblem] = field(default_factory=list)
    changes: list[PlannedChange] = field(default_factory=list)
    rounded: list[RoundedMark] = field(default_factory=list)
    ignored: list[IgnoredColumn] = field(default_factory=list)
    unchanged: int = 0
    counts: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)
    seen: dict[int, MarkRow] = field(default_factory=dict)
    refused_assignments: set[tuple[str, int]] = field(default_factory=set)
    students: int = 0
    sheets_read: int = 0

    def error(self, sheet: str, row: int | None, column: str, reason: str) -> None:
        self.errors.append(WorkbookProblem(sheet, row, column, reason))

    def count(self, class_name: str, column: str, what: str) -> None:
        self.counts.setdefault((class_name, column), Counter())[what] += 1

    # students

    def match(self, row: MarkRow) -> Enrollment | None:
        ctx = self.ctx
        if row.national_id:
            found = ctx.by_id.get(row.national_id, [])
            if not found:
                self.error(
                    row.sheet,
                    row.row,
                    "Mã định danh",
                    E.MSG_NO_STUDENT_ID.format(national_id=row.national_id),
                )
                return None
            enrollment = found[0]
            if row.full_name and name_key(row.full_name) != name_key(enrollment.student.full_name):
                self.error(
                    row.sheet,
                    row.row,
                    "Họ và tên",
                    E.MSG_ID_OTHER_NAME.format(
                        national_id=row.national_id,
                        actual=enrollment.student.full_name,
                        given=row.full_name,
                    ),
                )
                return None
            return enrollment
        if not row.full_name or row.birth_date is None:
            self.error(row.sheet, row.row, "Mã định danh", E.MSG_NEED_ID_OR_BIRTH)
            return None
        found = ctx.by_name.get((name_key(row.full_name), row.birth_date), [])
        if not found:
            self.error(
                row.sheet,
                row.row,
                "Họ và tên",
                E.MSG_NO_STUDENT_NAME.format(
                    name=row.full_name, birth=date_vi(row.birth_date), year=ctx.year.name
                ),
            )
            return None
        if len(found) > 1:
            self.error(
                row.sheet,
                row.row,
                "Họ và tên",
                E.MSG_MANY_STUDENTS.format(
                    count=len(found), name=row.full_name, birth=date_vi(row.birth_date)
                ),
            )
            return None
        return found[0]

    def assignment_for(self, row: MarkRow, enrollment: Enrollment) -> TeachingAssignment | None:
        ctx = self.ctx
        school_class = enrollment.school_class
        # The catalogue's entry of that code for the class's programme and grade (D21): the
        # Subject table is the catalogue (``rules/data/subjects.json``) loaded per grade.
        subject = ctx.subjects.get((school_class.programme, school_class.grade))
        if subject is None:
            self.error(
                row.sheet,
                row.row,
                "Tên lớp",
                E.MSG_SUBJECT_NOT_IN_GRADE.format(
                    subject=ctx.subject_name,
                    grade=school_class.grade,
                    programme=school_class.programme,
                ),
            )
            return None
        candidates = [
            ctx.assignments[a]
            for a in dict.fromkeys(ctx.assignments_of.get(enrollment.id, ()))
            if ctx.assignments[a].subject_id == subject.id
        ]
        if len(candidates) > 1:
            # A student in two groups of the same subject: the sheet named after a group decides.
            named = [a for a in candidates if a.group.name == row.sheet]
            candidates = named or candidates
        if not candidates:
            self.error(
                row.sheet,
                row.row,
                "Tên lớp",
                E.MSG_NO_ASSIGNMENT.format(
                    name=enrollment.student.full_name,
                    class_name=school_class.name,
                    subject=subject.name,
                    year=ctx.year.name,
                ),
            )
            return None
        if len(candidates) > 1:
            self.error(
                row.sheet,
                row.row,
                "Tên lớp",
                E.MSG_MANY_ASSIGNMENTS.format(
                    name=enrollment.student.full_name,
                    subject=subject.name,
                    groups=", ".join(a.group.name for a in candidates),
                ),
            )
            return None
        assignment = candidates[0]
        if self.actor is not None and not may_import(self.actor, assignment):
            key = (row.sheet, assignment.id)
            if key not in self.refused_assignments:  # once per sheet and group
                self.refused_assignments.add(key)
                self.error(
                    row.sheet,
                    row.row,
                    "Tên lớp",
                    E.MSG_NOT_YOUR_GROUP.format(
                        subject=subject.name,
                        group=assignment.group.name,
                        teacher=assignment.teacher.display_name,
                    ),
                )
            return None
        return assignment

    # columns

    def columns_of(self, sheet: MarkSheet) -> list[tuple[str, int, tuple[str, ...]]] | None:
        """(kind, index, sheet headers) for each book column the sheet fills; ``None`` after an
        error in the header itself."""
        present = set(sheet.mark_columns)
        out: list[tuple[str, int, tuple[str, ...]]] = []
        for header in sheet.mark_columns:
            if header.startswith("TX"):
                out.append((MarkKind.REGULAR, int(header[2:]), (header,)))
        ok = True
        for kind, (whole, parts) in _PERIODIC.items():
            given_parts = tuple(p for p in parts if p in present)
            if whole in present and given_parts:
                self.error(
                    sheet.name,
                    sheet.header_row,
                    whole,
                    E.MSG_PARTS_AND_WHOLE.format(whole=whole, parts=" + ".join(given_parts)),
                )
                ok = False
            elif whole in present:
                out.append((kind, 1, (whole,)))
            elif given_parts:
                out.append((kind, 1, given_parts))
        # Ignored columns are reported, not errors.
        if BONUS in present:
            nonzero = sum(1 for r in sheet.rows if r.marks.get(BONUS) not in (None, Decimal(0)))
            self.ignored.append(
                IgnoredColumn(
                    sheet.name,
                    BONUS,
                    (
                        E.MSG_IGNORED_BONUS_VALUES.format(nonzero=nonzero)
                        if nonzero
                        else E.MSG_IGNORED_BONUS
                    ),
                )
            )
        for text in sheet.ignored_columns:
            key = "".join(text.casefold().split())
            reason = E.MSG_IGNORED_AVERAGE if key in AVERAGE_HEADERS else E.MSG_IGNORED_UNKNOWN
            self.ignored.append(IgnoredColumn(sheet.name, text, reason))
        return out if ok else None

    def value_of(
        self,
        row: MarkRow,
        headers: tuple[str, ...],
        *,
        comment_subject: bool,
        class_name: str,
    ) -> tuple[Decimal | None, str] | None:
        """The value to record (score, comment), ``(None, "")`` for blank, ``None`` on error."""
        label = "+".join(headers)
        if comment_subject:
            if len(headers) > 1:
                if any(row.marks.get(h) is not None or h in row.comments for h in headers):
                    self.error(row.sheet, row.row, label, E.MSG_COMMENT_IN_PARTS)
                    return None
                return None, ""
            (header,) = headers
            number = row.marks.get(header)
            if number is not None:
                self.error(
                    row.sheet, row.row, header, E.MSG_NOT_A_COMMENT.format(value=decimal_vi(number))
                )
                return None
            return None, row.comments.get(header, "")
        for header in headers:
            if header in row.comments:
                self.error(
                    row.sheet,
                    row.row,
                    header,
                    E.MSG_NOT_A_NUMBER.format(value=row.comments[header]),
                )
                return None
        values = [row.marks.get(h) for h in headers]
        if all(v is None for v in values):
            return None, ""  # not entered (D6): never 0, never erases
        if any(v is None for v in values):
            missing = [h for h, v in zip(headers, values, strict=True) if v is None]
            self.error(
                row.sheet,
                row.row,
                label,
                E.MSG_PART_MISSING.format(parts=" + ".join(headers), missing=", ".join(missing)),
            )
            return None
        numbers = [v for v in values if v is not None]
        if len(numbers) == 1:
            (exact,) = numbers
            if not 0 <= exact <= TEN:
                self.error(
                    row.sheet, row.row, label, E.MSG_OUT_OF_RANGE.format(value=decimal_vi(exact))
                )
                return None
            original = decimal_vi(exact)
        else:
            for header, part in zip(headers, numbers, strict=True):
                if not 0 <= part <= TEN:
                    self.error(
                        row.sheet,
                        row.row,
                        header,
                        E.MSG_PART_OUT_OF_RANGE.format(value=decimal_vi(part)),
                    )
                    return None
            exact = sum(numbers, Decimal(0))  # D18: added exactly, rounded once below
            parts_text = " + ".join(decimal_vi(p) for p in numbers)
            if exact > TEN:
                self.error(
                    row.sheet,
                    row.row,
                    label,
                    E.MSG_SUM_OUT_OF_RANGE.format(parts=parts_text, total=decimal_vi(exact)),
                )
                return None
            original = f"{parts_text} = {decimal_vi(exact)}"
        recorded = round_half_up_1(exact)
        if exact != exact.quantize(TENTH):
            self.rounded.append(
                RoundedMark(
                    row.sheet, row.row, label, class_name, row.full_name, original, recorded
                )
            )
        return recorded, ""

    # cells

    def cell(
        self,
        *,
        row: MarkRow,
        label: str,
        enrollment: Enrollment,
        assignment: TeachingAssignment,
        kind: str,
        index: int,
        value: Decimal | None,
        comment: str,
    ) -> None:
        ctx = self.ctx
        school_class = enrollment.school_class
        column = KIND_LABEL[MarkKind(kind)].format(index=index)
        mark = ctx.marks.get((enrollment.id, assignment.subject_id, kind, index))
        old_text = mark.display if mark else ""
        new_text = decimal_vi(value) if value is not None else comment
        if old_text == new_text:
            self.unchanged += 1
            self.count(school_class.name, column, "unchanged")
            return
        reason: str | None = None
        if lock_covering(ctx.locks, school_class=school_class, semester=ctx.semester):
            reason = MSG_LOCKED
        elif mark is not None and mark.locked:
            reason = MSG_CELL_LOCKED
        elif mark is not None and mark.state == MarkState.SUBMITTED and mark.is_entered:
            reason = MSG_SUBMITTED
        else:
            deadlines = ctx.deadlines.get(assignment.id)
            if deadlines is None:
                deadlines = DeadlineContext.load(
                    group=assignment.group, subject=assignment.subject, teacher=assignment.teacher
                )
                ctx.deadlines[assignment.id] = deadlines
            reason = deadlines.refusal(
                today=self.today,
                semester=ctx.semester,
                kind=kind,
                teacher=assignment.teacher,
                school_class=school_class,
                subject=assignment.subject,
            )
        if reason is not None:
            shown = f"{reason} (trong sổ: {old_text or 'trống'}, trong tệp: {new_text})"
            self.error(row.sheet, row.row, label, shown)
            return
        self.count(school_class.name, column, "changed" if mark and mark.is_entered else "new")
        self.changes.append(
            PlannedChange(
                sheet=row.sheet,
                row=row.row,
                column=label,
                class_name=school_class.name,
                student_name=enrollment.student.full_name,
                assignment_id=assignment.id,
                enrollment_id=enrollment.id,
                kind=kind,
                index=index,
                value=value,
                comment=comment,
                base_version=mark.version if mark else 0,
                old_text=old_text,
            )
        )

    def belongs(self, sheet: MarkSheet) -> bool:
        """A sheet hoso exported says its subject and semester above the table
        (``mark_export``): another subject's sheet is skipped (a class's book holds every
        subject), another semester's is an error."""
        for line in sheet.title_lines:
            if line.startswith(TITLE_SUBJECT):
                named = line[len(TITLE_SUBJECT) :].strip()
                if subject_code(named) != self.ctx.code:
                    self.ignored.append(
                        IgnoredColumn(sheet.name, "", E.MSG_OTHER_SUBJECT.format(subject=named))
                    )
                    return False
            elif line.startswith(TITLE_SEMESTER):
                named = line[len(TITLE_SEMESTER) :].strip()
                if named not in (SEMESTER_ROMAN[self.ctx.semester], str(self.ctx.semester)):
                    self.error(
                        sheet.name,
                        None,
                        "",
                        E.MSG_OTHER_SEMESTER.format(given=named, semester=self.ctx.semester),
                    )
                    return False
        return True

    def sheet(self, sheet: MarkSheet) -> None:
        if not self.belongs(sheet):
            return
        self.sheets_read += 1
        columns = self.columns_of(sheet)
        if columns is None:
            return
        for row in sheet.rows:
            if not row.class_name:
                self.error(row.sheet, row.row, "Tên lớp", E.MSG_CLASS_MISSING)
                continue
            enrollment = self.match(row)
            if enrollment is None:
                continue
            earlier = self.seen.get(enrollment.id)
            if earlier is not None:
                self.error(
                    row.sheet,
                    row.row,
                    "Mã định danh",
                    E.MSG_DUPLICATE_ROW.format(
                        name=enrollment.student.full_name, sheet=earlier.sheet, row=earlier.row
                    ),
                )
                continue
            self.seen[enrollment.id] = row
            if enrollment.school_class.name != row.class_name:
                self.error(
                    row.sheet,
                    row.row,
                    "Tên lớp",
                    E.MSG_CLASS_MISMATCH.format(
                        name=enrollment.student.full_name,
                        actual=enrollment.school_class.name,
                        given=row.class_name,
                    ),
                )
                continue
            assignment = self.assignment_for(row, enrollment)
            if assignment is None:
                continue
            self.students += 1
            comment_subject = assignment.subject.assessment == "comment"
            maximum = max(self.ctx.max_regular, assignment.subject.regular_marks or 0)
            for kind, index, headers in columns:
                read = self.value_of(
                    row,
                    headers,
                    comment_subject=comment_subject,
                    class_name=enrollment.school_class.name,
                )
                if read is None:
                    continue
                value, comment = read
                if value is None and not comment:
                    continue
                if kind == MarkKind.REGULAR and index > maximum:
                    self.error(
                        row.sheet,
                        row.row,
                        headers[0],
                        E.MSG_TOO_MANY_REGULAR.format(maximum=maximum),
                    )
                    continue
                self.cell(
                    row=row,
                    label="+".join(headers),
                    enrollment=enrollment,
                    assignment=assignment,
                    kind=kind,
                    index=index,
                    value=value,
                    comment=comment,
                )


def _report(
    *,
    builder: _Builder | None,
    file_name: str,
    school: Unit,
    year: SchoolYear,
    semester: int,
    subject: str,
    errors: Sequence[WorkbookProblem] = (),
) -> ImportReport:
    if builder is None:
        return ImportReport(
            file_name=file_name,
            school_code=school.code,
            year=year.name,
            semester=semester,
            subject=subject,
            students=0,
            changes=(),
            unchanged=0,
            counts=(),
            groups=(),
            rounded=(),
            ignored=(),
            errors=tuple(errors),
        )
    per_group: Counter[int] = Counter(c.assignment_id for c in builder.changes)
    assignments = builder.ctx.assignments
    groups = tuple(
        GroupSummary(
            assignment_id=a,
            assignment_uuid=str(assignments[a].uuid),
            group=assignments[a].group.name,
            teacher=assignments[a].teacher.display_name,
            cells=n,
        )
        for a, n in sorted(per_group.items(), key=lambda item: assignments[item[0]].group.name)
    )
    counts = tuple(
        ColumnCount(cls, col, c["new"], c["changed"], c["unchanged"])
        for (cls, col), c in sorted(builder.counts.items(), key=lambda item: _count_order(item[0]))
    )
    return ImportReport(
        file_name=file_name,
        school_code=school.code,
        year=year.name,
        semester=semester,
        subject=subject,
        students=builder.students,
        changes=tuple(builder.changes),
        unchanged=builder.unchanged,
        counts=counts,
        groups=groups,
        rounded=tuple(builder.rounded),
        ignored=tuple(builder.ignored),
        errors=tuple(builder.errors),
    )


def _count_order(key: tuple[str, str]) -> tuple[str, int, int]:
    class_name, column = key
    kind_order = {"T": 0, "G": 1, "C": 2}[column[0]]
    index = int(column[2:]) if column.startswith("TX") else 0
    return (class_name, kind_order, index)


def plan_import(
    *,
    actor: User | None,
    source: str | Path | IO[bytes],
    file_name: str,
    school: Unit,
    year: SchoolYear,
    semester: int,
    subject_name: str,
    today: dt.date | None = None,
) -> tuple[ImportReport, dict[int, TeachingAssignment]]:
    """Read and check a workbook; nothing is written. ``actor`` None: each assignment's own
    teacher (the command line's default)."""
    if semester not in (1, 2):
        raise E.ImportUsageError(E.MSG_BAD_SEMESTER)
    code = subject_code(subject_name)
    if code is None:
        raise E.ImportUsageError(E.MSG_UNKNOWN_SUBJECT.format(name=subject_name))
    canonical = _canonical_subject_name(subject_name)
    try:
        book: TeacherWorkbook = read_teacher_workbook(source)
    except WorkbookError as error:
        report = _report(
            builder=None,
            file_name=file_name,
            school=school,
            year=year,
            semester=semester,
            subject=canonical,
            errors=error.problems,
        )
        return report, {}
    ctx = _load(school=school, year=year, semester=semester, code=code, subject_name=subject_name)
    builder = _Builder(ctx=ctx, actor=actor, today=today or timezone.localdate())
    for sheet in book.sheets:
        builder.sheet(sheet)
    if not builder.sheets_read and not builder.errors:
        builder.error("", None, "", E.MSG_NO_SHEET_OF_SUBJECT.format(subject=canonical))
    report = _report(
        builder=builder,
        file_name=file_name,
        school=school,
        year=year,
        semester=semester,
        subject=canonical,
    )
    return report, ctx.assignments


def _without_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@cache
def _codes_without_marks() -> dict[str, set[str]]:
    codes: dict[str, set[str]] = defaultdict(set)
    catalogue = raw_catalogue()
    for alias, code in catalogue["aliases"].items():
        codes[_without_marks(alias)].add(code)
    for programme in catalogue["programmes"].values():
        for entries in programme["grades"].values():
            for entry in entries:
                codes[_without_marks(entry["name"])].add(entry["code"])
    return codes


def subject_code(name: str) -> str | None:
    """The catalogue code of a subject name (D21); typed without tones ("tin hoc") it is
    accepted when it can stand for one subject only."""
    code = code_for_name(name)
    if code is not None:
        return code
    found = _codes_without_marks().get(_without_marks(name), set())
    return next(iter(found)) if len(found) == 1 else None


def _canonical_subject_name(name: str) -> str:
    code = subject_code(name)
    found = Subject.objects.filter(code=code).order_by("-programme", "grade").first()
    return found.name if found else clean_text(name)


def apply_import(
    report: ImportReport,
    assignments: Mapping[int, TeachingAssignment],
    *,
    actor: User | None,
    client: ClientInfo | None = None,
    today: dt.date | None = None,
) -> ImportReport:
    """Write a clean plan: one ``marks_save`` per teaching assignment, all in one transaction.
    Any refusal (a cell changed since the plan, a lock, a deadline …) writes nothing and comes
    back as errors with the sheet, row and column of the cell."""
    if report.errors:
        return report
    where = {(c.assignment_id, c.enrollment_id, c.kind, c.index): c for c in report.changes}
    by_assignment: dict[int, list[PlannedChange]] = defaultdict(list)
    for change in report.changes:
        by_assignment[change.assignment_id].append(change)
    problems: list[WorkbookProblem] = []
    event_ids: list[int] = []
    source = f"import: {report.file_name}"[:200]
    try:
        with transaction.atomic():
            for assignment_id, changes in by_assignment.items():
                assignment = assignments[assignment_id]
                cells = [
                    CellInput(
                        enrollment_id=c.enrollment_id,
                        kind=c.kind,
                        index=c.index,
                        text=c.new_text,
                        base_version=c.base_version,
                        value=c.value,
                    )
                    for c in changes
                ]
                try:
                    result = marks_save(
                        actor=actor or assignment.teacher,
                        assignment=assignment,
                        semester=report.semester,
                        cells=cells,
                        client=client,
                        today=today,
                        source=source,
                    )
                except MarkSaveRefused as refused:
                    for p in refused.problems:
                        c = where.get((assignment_id, p.enrollment_id, p.kind, p.index))
                        if c is None:  # pragma: no cover - marks_save names only given cells
                            problems.append(WorkbookProblem("", None, "", p.message))
                        else:
                            problems.append(WorkbookProblem(c.sheet, c.row, c.column, p.message))
                    continue
                except PermissionDeniedError:
                    first = changes[0]
                    problems.append(
                        WorkbookProblem(first.sheet, first.row, "Tên lớp", E.MSG_PERMISSION)
                    )
                    continue
                if result.event_id is not None:
                    event_ids.append(result.event_id)
            if problems:
                raise _Rollback()
    except _Rollback:
        return replace(report, errors=tuple(problems))
    return replace(report, applied=True, event_ids=tuple(event_ids))


def import_marks(
    *,
    actor: User | None,
    source: str | Path | IO[bytes],
    file_name: str,
    school_code: str,
    year: str,
    semester: int,
    subject_name: str,
    dry_run: bool = False,
    client: ClientInfo | None = None,
    today: dt.date | None = None,
) -> ImportReport:
    """Plan and (unless ``dry_run`` or the file has errors) apply an import; the report says
    which. ``ImportUsageError`` for an unknown school, year or subject."""
    started = timezone.now()
    school = _resolve_school(school_code)
    school_year = _resolve_year(year)
    report, assignments = plan_import(
        actor=actor,
        source=source,
        file_name=file_name,
        school=school,
        year=school_year,
        semester=semester,
        subject_name=subject_name,
        today=today,
    )
    if not dry_run and report.ok:
        report = apply_import(report, assignments, actor=actor, client=client, today=today)
    return replace(report, seconds=(timezone.now() - started).total_seconds())


# --- the error list as a workbook ---------------------------------------------------------------


def errors_workbook(problems: Sequence[WorkbookProblem]) -> bytes:
    """The errors as an Excel file a teacher can sort and tick off: sheet, row, column, reason."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Lỗi"
    sheet.append(["Trang tính", "Dòng", "Cột", "Lý do"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for p in problems:
        sheet.append([p.sheet, p.row, p.column, p.reason])
    for letter, width in zip("ABCD", (16, 8, 16, 100), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
