"""Reads for mark entry: the students of a teaching group and the grid of one subject/semester.

Constant number of queries whatever the class size (issue 4, performance): enrolments, marks,
locks, deadlines, mid-term dates, settings — each one query.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from hoso.academics.models import (
    Enrollment,
    EnrollmentStatus,
    SchoolClass,
    SchoolYear,
    Subject,
    TeachingAssignment,
    TeachingGroup,
)
from hoso.accounts.access import Actor, can, scope_of
from hoso.accounts.models import Role, RoleAssignment, User
from hoso.accounts.permissions import Perm
from hoso.assessment.computation import (
    StoredMark,
    SubjectAverages,
    class_regime,
    refuse_primary,
    subject_averages,
)
from hoso.assessment.deadlines import DeadlineContext
from hoso.assessment.errors import MSG_CELL_LOCKED, MSG_LOCKED, MSG_SUBMITTED
from hoso.assessment.locks import lock_covering, open_locks
from hoso.assessment.models import (
    AssessmentSettings,
    BookLock,
    DeadlineExtension,
    EntryDeadline,
    Mark,
    MarkKind,
    MarkState,
    MidtermTest,
)
from hoso.core.errors import NotFoundError
from hoso.core.formatting import decimal_vi
from hoso.core.ids import id_lookup
from hoso.organizations.models import Unit
from hoso.rules.outcomes import Result
from hoso.rules.values import Comment

DEFAULT_MAX_REGULAR = 5
COLUMN_LABEL = {MarkKind.REGULAR: "TX{index}", MarkKind.MIDTERM: "GK", MarkKind.FINAL: "CK"}


def group_enrollments(group: TeachingGroup) -> QuerySet[Enrollment]:
    """The students of a teaching group in Vietnamese name order: the class's enrolments, or the
    members drawn from several classes (each keeps their own class's book)."""
    queryset = Enrollment.objects.filter(status=EnrollmentStatus.STUDYING)
    if group.school_class_id is not None:
        queryset = queryset.filter(school_class_id=group.school_class_id)
    else:
        queryset = queryset.filter(teaching_groups=group)
    return queryset.select_related("student", "school_class", "school_class__year").order_by(
        "student__name_sort_key", "student__national_id"
    )


def access_assignment(actor: Actor, assignment_id: int | str, perm: Perm) -> TeachingAssignment:
    """The teaching assignment if ``actor`` may ``perm`` it; ``NotFoundError`` otherwise."""
    lookup = id_lookup(assignment_id)
    assignment = (
        TeachingAssignment.objects.select_related(
            "group", "group__school_class", "subject", "school", "year", "teacher"
        )
        .filter(**lookup)
        .first()
    )
    if assignment is None or not can(actor, perm, assignment):
        raise NotFoundError()
    return assignment


def result_text(value: Result | None) -> str:
    if value is None:
        return ""
    return value.value if isinstance(value, Comment) else decimal_vi(value)


@dataclass(frozen=True)
class GridColumn:
    kind: str
    index: int
    label: str
    required: bool
    due: dt.date | None
    closed_reason: str | None  # deadline passed for this teacher (None: open)


@dataclass
class GridCell:
    column: GridColumn
    mark: Mark | None

    @property
    def text(self) -> str:
        return self.mark.display if self.mark else ""

    @property
    def version(self) -> int:
        return self.mark.version if self.mark else 0

    @property
    def state(self) -> str:
        return self.mark.state if self.mark else MarkState.DRAFT

    @property
    def submitted(self) -> bool:
        return self.state == MarkState.SUBMITTED and self.mark is not None and self.mark.is_entered


@dataclass
class GridRow:
    enrollment: Enrollment
    cells: list[GridCell]
    averages: SubjectAverages
    locked_by_book: bool
    missing: list[str] = field(default_factory=list)


@dataclass
class Gradebook:
    assignment: TeachingAssignment
    semester: int
    regime_id: str
    comment_subject: bool
    columns: list[GridColumn]
    rows: list[GridRow]
    locked_classes: set[int]

    @property
    def all_locked(self) -> bool:
        return bool(self.rows) and all(row.locked_by_book for row in self.rows)


def _columns(
    *,
    assignment: TeachingAssignment,
    semester: int,
    marks: list[Mark],
    context: DeadlineContext,
    max_regular: int,
    today: dt.date,
) -> list[GridColumn]:
    subject = assignment.subject
    required = subject.regular_marks or 2
    highest = max(
        (m.index for m in marks if m.kind == MarkKind.REGULAR and m.semester == semester),
        default=0,
    )
    # The required columns, then one spare while the school's maximum allows (D13: more regular
    # marks than required are accepted); never fewer columns than marks already entered.
    shown = max(required, min(max(required, highest) + 1, max(max_regular, highest)))
    columns: list[GridColumn] = []
    school_class = assignment.group.school_class
    for kind, count in ((MarkKind.REGULAR, shown), (MarkKind.MIDTERM, 1), (MarkKind.FINAL, 1)):
        for index in range(1, count + 1):
            label = COLUMN_LABEL[kind].format(index=index)
            reason = None
            if school_class is not None:
                reason = context.refusal(
                    today=today,
                    semester=semester,
                    kind=kind,
                    teacher=assignment.teacher,
                    school_class=school_class,
                    subject=subject,
                )
            columns.append(
                GridColumn(
                    kind=kind,
                    index=index,
                    label=label,
                    required=kind != MarkKind.REGULAR or index <= required,
                    due=context.due_date(semester=semester, kind=kind),
                    closed_reason=reason,
                )
            )
    return columns


def gradebook_get(
    *, actor: Actor, assignment: TeachingAssignment, semester: int, today: dt.date | None = None
) -> Gradebook:
    """The mark grid of one teaching assignment and semester, with the engine's averages."""
    if not can(actor, Perm.VIEW_MARKS, assignment):
        raise NotFoundError()
    refuse_primary(grade=assignment.subject.grade)
    day = today or timezone.localdate()
    group = assignment.group
    enrollments = list(group_enrollments(group))
    marks = list(
        Mark.objects.filter(
            enrollment_id__in=[e.id for e in enrollments], subject_id=assignment.subject_id
        ).order_by()  # the default ordering joins five tables to sort (issue 9)
    )
    settings_row = AssessmentSettings.objects.filter(school_id=assignment.school_id).first()
    max_regular = settings_row.max_regular_marks if settings_row else DEFAULT_MAX_REGULAR
    context = DeadlineContext.load(
        group=group, subject=assignment.subject, teacher=assignment.teacher
    )
    columns = _columns(
        assignment=assignment,
        semester=semester,
        marks=marks,
        context=context,
        max_regular=max_regular,
        today=day,
    )
    locks = open_locks(school_id=assignment.school_id, year_id=assignment.year_id)
    by_enrollment: dict[int, list[Mark]] = {}
    for mark in marks:
        by_enrollment.setdefault(mark.enrollment_id, []).append(mark)
    regime_cache: dict[int, str] = {}
    rows: list[GridRow] = []
    locked_classes: set[int] = set()
    for enrollment in enrollments:
        school_class = enrollment.school_class
        if school_class.id not in regime_cache:
            regime_cache[school_class.id] = class_regime(school_class)
        own = by_enrollment.get(enrollment.id, [])
        cell_index = {(m.kind, m.index): m for m in own if m.semester == semester}
        locked = lock_covering(locks, school_class=school_class, semester=semester) is not None
        if locked:
            locked_classes.add(school_class.id)
        averages = subject_averages(
            regime_id=regime_cache[school_class.id], subject=assignment.subject, marks=own
        )
        row = GridRow(
            enrollment=enrollment,
            cells=[GridCell(c, cell_index.get((c.kind, c.index))) for c in columns],
            averages=averages,
            locked_by_book=locked,
        )
        row.missing = [c.column.label for c in row.cells if c.column.required and not c.text]
        rows.append(row)
    regime_id = (
        class_regime(group.school_class)
        if group.school_class
        else (next(iter(regime_cache.values()), "TT22_2021"))
    )
    return Gradebook(
        assignment=assignment,
        semester=semester,
        regime_id=regime_id,
        comment_subject=assignment.subject.assessment == "comment",
        columns=columns,
        rows=rows,
        locked_classes=locked_classes,
    )


# --- Reads for the grid page, its save endpoint, the API and the principal's locks page ---------
# (issue 4). Each is a fixed number of queries whatever the class size.


def can_enter_marks(actor: Actor, assignment: TeachingAssignment) -> bool:
    """Whether the grid opens for writing: the assignment's own teacher (R5.1), or the school's
    admins who enter on the teacher's behalf. The services decide with this same function."""
    if not isinstance(actor, User):
        return False
    if can(actor, Perm.ENTER_MARKS, assignment) and assignment.teacher_id == actor.id:
        return True
    return can(actor, Perm.IMPORT_MARKS, assignment.school)


def grid_cell_closed(*, row: GridRow, cell: GridCell) -> str | None:
    """Why one cell of the grid cannot be written now (the service's own messages, in the order
    it checks them), or ``None`` when it is open. The service still decides on every save."""
    if row.locked_by_book:
        return MSG_LOCKED
    if cell.mark is not None and cell.mark.locked:
        return MSG_CELL_LOCKED
    if cell.submitted:
        return MSG_SUBMITTED
    return cell.column.closed_reason


def midterm_test_date(*, assignment: TeachingAssignment, semester: int) -> dt.date | None:
    """The recorded mid-term test date of the assignment's group and subject (one query)."""
    return (
        MidtermTest.objects.filter(
            group_id=assignment.group_id, subject_id=assignment.subject_id, semester=semester
        )
        .values_list("test_date", flat=True)
        .first()
    )


def enrollment_ids_by_uuid(*, assignment: TeachingAssignment) -> dict[str, int]:
    """The group's enrolments, public uuid → id (one query): the grid and the API name students by
    uuid; an unknown uuid is left to the service, which refuses it as not in the group."""
    return {
        str(uuid): pk
        for pk, uuid in group_enrollments(assignment.group).order_by().values_list("id", "uuid")
    }


@dataclass(frozen=True)
class RowSnapshot:
    """One student's row after a save: this semester's cells and the engine's averages."""

    enrollment_id: int
    enrollment_uuid: uuid.UUID
    marks: dict[tuple[str, int], StoredMark]
    averages: SubjectAverages
    missing: list[str]


def _required_labels(subject: Subject) -> list[tuple[str, int, str]]:
    required = subject.regular_marks or 2  # as ``_columns`` shows them
    labels = [
        (MarkKind.REGULAR.value, i, COLUMN_LABEL[MarkKind.REGULAR].format(index=i))
        for i in range(1, required + 1)
    ]
    labels += [(kind.value, 1, COLUMN_LABEL[kind]) for kind in (MarkKind.MIDTERM, MarkKind.FINAL)]
    return labels


def gradebook_rows_get(
    *,
    actor: Actor,
    assignment: TeachingAssignment,
    semester: int,
    enrollment_ids: Iterable[int],
) -> list[RowSnapshot]:
    """The rows of some students of a grid, re-read after a save (two queries, whatever their
    number): cells, averages by the rules engine, missing required marks."""
    if not can(actor, Perm.VIEW_MARKS, assignment):
        raise NotFoundError()
    refuse_primary(grade=assignment.subject.grade)
    wanted = set(enrollment_ids)
    if not wanted:
        return []
    # Plain rows: the ids, the class for its regime (model instances cost more than the save).
    enrollments = list(
        group_enrollments(assignment.group)
        .filter(id__in=wanted)
        .select_related(None)
        .values_list("id", "uuid", "school_class_id")
    )
    classes = {
        c.id: c
        for c in SchoolClass.objects.filter(id__in={e[2] for e in enrollments}).select_related(
            "year"
        )
    }
    marks_of: dict[int, list[StoredMark]] = {}
    for values in (
        Mark.objects.filter(
            enrollment_id__in=[e[0] for e in enrollments], subject_id=assignment.subject_id
        )
        .order_by()  # the default ordering joins five tables to sort (issue 9)
        .values_list(*StoredMark.FIELDS)
    ):
        mark = StoredMark(*values)
        marks_of.setdefault(mark.enrollment_id, []).append(mark)
    required = _required_labels(assignment.subject)
    regimes = {class_id: class_regime(c) for class_id, c in classes.items()}
    rows: list[RowSnapshot] = []
    for enrollment_id, enrollment_uuid, class_id in enrollments:
        own = marks_of.get(enrollment_id, [])
        cells = {(m.kind, m.index): m for m in own if m.semester == semester}
        missing = [
            label
            for kind, index, label in required
            if (kind, index) not in cells or not cells[(kind, index)].is_entered
        ]
        rows.append(
            RowSnapshot(
                enrollment_id=enrollment_id,
                enrollment_uuid=enrollment_uuid,
                marks=cells,
                averages=subject_averages(
                    regime_id=regimes[class_id], subject=assignment.subject, marks=own
                ),
                missing=missing,
            )
        )
    return rows


def assignments_of_teacher(
    *, actor: Actor, year: SchoolYear | None = None
) -> QuerySet[TeachingAssignment]:
    """The teaching assignments the caller teaches (in the schools where they hold the subject
    teacher's role today), newest year first, by group and subject."""
    if not isinstance(actor, User):
        return TeachingAssignment.objects.none()
    pairs = scope_of(actor).teaching_pairs
    condition = Q(pk__in=[])
    for group_id, subject_id in pairs:
        condition |= Q(group_id=group_id, subject_id=subject_id)
    queryset = (
        TeachingAssignment.objects.filter(condition, teacher=actor)
        .select_related("subject", "group", "group__school_class", "school", "year")
        .order_by("-year__start_date", "group__name", "subject__position")
    )
    if year is not None:
        queryset = queryset.filter(year=year)
    return queryset


@dataclass
class LocksOverview:
    """What the principal's locks and deadlines page shows for one school year."""

    school: Unit
    year: SchoolYear
    locks: list[BookLock]
    deadlines: list[EntryDeadline]
    extensions: list[DeadlineExtension]
    classes: list[SchoolClass]
    principals: list[User]
    teachers: list[User]

    @property
    def open_locks(self) -> list[BookLock]:
        return [lock for lock in self.locks if lock.unlocked_at is None]

    @property
    def closed_locks(self) -> list[BookLock]:
        return [lock for lock in self.locks if lock.unlocked_at is not None]

    @property
    def grades(self) -> list[int]:
        return sorted({c.grade for c in self.classes})


def locks_overview_get(*, actor: Actor, school: Unit, year: SchoolYear) -> LocksOverview:
    """Locks (open and opened again), deadlines, extensions of a school year, with the classes,
    principals and teachers the forms offer — six queries (R4.4, R4.5, R14.2)."""
    if not can(actor, Perm.LOCK_BOOK, school):
        raise NotFoundError()
    day = timezone.localdate()
    locks = list(
        BookLock.objects.filter(school=school, year=year).select_related(
            "school_class", "decided_by", "locked_by", "unlocked_by", "unlock_decided_by"
        )
    )
    deadlines = list(
        EntryDeadline.objects.filter(school=school, year=year).select_related("set_by")
    )
    extensions = list(
        DeadlineExtension.objects.filter(school=school, year=year).select_related(
            "teacher", "school_class", "granted_by"
        )
    )
    classes = list(SchoolClass.objects.filter(school=school, year=year).order_by("grade", "name"))
    grants = (
        RoleAssignment.objects.filter(unit=school, role=Role.PRINCIPAL, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("user")
    )
    principals = sorted(
        {grant.user for grant in grants}, key=lambda user: (user.full_name, user.username)
    )
    teachers = list(
        User.objects.filter(teaching_assignments__school=school, teaching_assignments__year=year)
        .distinct()
        .order_by("full_name", "username")
    )
    return LocksOverview(
        school=school,
        year=year,
        locks=locks,
        deadlines=deadlines,
        extensions=extensions,
        classes=classes,
        principals=principals,
        teachers=teachers,
    )
