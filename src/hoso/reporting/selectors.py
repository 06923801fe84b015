"""The principal's view of mark entry (R5.3, R11.5): for one school and semester, per teaching
assignment and column, how many students, how many marks entered and submitted, the rate, the
due date, the marks entered late and the marks still missing after the due date; the same
aggregated per teacher, class and subject; and each teacher's timeliness month by month.

Constant number of queries whatever the school's size: marks are counted in SQL, grouped by
class (or mixed group), subject, column, state and the day they were entered; deadlines,
mid-term dates, extensions, assignments and class sizes are each read once.

"Late" compares ``Mark.entered_at`` (the last time the value was typed) with the column's due
date on the school's schedule (R5.3 grades timeliness against it: an extension lets the teacher
enter, it does not make the entry on time); "missing" counts the required cells still empty once
the due date — extended, if the principal extended it — has passed. A column without a due date
is never late nor missing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from hoso.academics.models import (
    Enrollment,
    EnrollmentStatus,
    SchoolYear,
    TeachingAssignment,
    TeachingGroup,
)
from hoso.accounts.models import User
from hoso.assessment.deadlines import MIDTERM_ENTRY_DAYS
from hoso.assessment.models import (
    DeadlineExtension,
    DeadlineKind,
    EntryDeadline,
    Mark,
    MarkKind,
    MarkState,
    MidtermTest,
)
from hoso.organizations.models import Unit
from hoso.rules.values import round_half_up_1

COLUMN_LABEL = {MarkKind.REGULAR: "TX{index}", MarkKind.MIDTERM: "GK", MarkKind.FINAL: "CK"}
KIND_ORDER = {MarkKind.REGULAR: 0, MarkKind.MIDTERM: 1, MarkKind.FINAL: 2}


def grid_url(assignment: TeachingAssignment, semester: int) -> str:
    """The subject teacher's mark grid behind a number (the mark-entry pages' URL)."""
    return f"/so-diem/{assignment.uuid}/hk{semester}/"


def percent(part: int, whole: int) -> Decimal | None:
    """A rate in percent with one decimal (the one rounding rule, D1); None for nothing due."""
    if whole <= 0:
        return None
    return round_half_up_1(Decimal(part * 100) / Decimal(whole))


@dataclass
class Counts:
    """Cells expected in required columns, entered, submitted, late and missing."""

    expected: int = 0
    entered: int = 0
    submitted: int = 0
    late: int = 0
    missing: int = 0

    def add(self, other: Counts) -> None:
        self.expected += other.expected
        self.entered += other.entered
        self.submitted += other.submitted
        self.late += other.late
        self.missing += other.missing

    @property
    def rate(self) -> Decimal | None:
        return percent(min(self.entered, self.expected), self.expected)

    @property
    def submitted_rate(self) -> Decimal | None:
        return percent(min(self.submitted, self.expected), self.expected)


@dataclass
class ColumnProgress(Counts):
    kind: str = ""
    index: int = 1
    label: str = ""
    required: bool = True
    students: int = 0
    due: dt.date | None = None  # on the school's schedule
    extended_until: dt.date | None = None  # the principal's extension, when later than ``due``
    overdue: bool = False


@dataclass
class AssignmentProgress:
    assignment: TeachingAssignment
    group_label: str
    url: str
    columns: list[ColumnProgress]
    totals: Counts = field(default_factory=Counts)
    students: int = 0

    @property
    def teacher(self) -> User:
        return self.assignment.teacher


@dataclass
class GroupTotals:
    """Totals of a teacher, a class or a subject; ``key`` is the filter that narrows the
    assignment table to the rows behind it."""

    key: str
    label: str
    counts: Counts = field(default_factory=Counts)
    assignments: int = 0
    book_url: str = ""  # the class overview behind a class's totals (set by the page)


@dataclass
class TeacherMonths:
    teacher: User
    key: str
    # month (first day) → [on time, late]
    months: dict[dt.date, list[int]] = field(default_factory=dict)
    # One cell per month of the table: (on time, late, rate); filled once the months are known.
    row: list[tuple[int, int, Decimal | None]] = field(default_factory=list)

    def cells(self, months: Iterable[dt.date]) -> list[tuple[int, int, Decimal | None]]:
        out = []
        for month in months:
            on_time, late = self.months.get(month, [0, 0])
            out.append((on_time, late, percent(on_time, on_time + late)))
        return out

    @property
    def total(self) -> tuple[int, int, Decimal | None]:
        on_time = sum(v[0] for v in self.months.values())
        late = sum(v[1] for v in self.months.values())
        return on_time, late, percent(on_time, on_time + late)


@dataclass
class SchoolProgress:
    school: Unit
    year: SchoolYear
    semester: int
    today: dt.date
    assignments: list[AssignmentProgress]
    by_teacher: list[GroupTotals]
    by_class: list[GroupTotals]
    by_subject: list[GroupTotals]
    months: list[dt.date]
    timeliness: list[TeacherMonths]
    totals: Counts

    def filtered(
        self, *, teacher: str = "", group: str = "", subject: str = ""
    ) -> list[AssignmentProgress]:
        """The assignment rows behind one teacher's, class's or subject's totals."""
        rows = self.assignments
        if teacher:
            rows = [a for a in rows if teacher_key(a.assignment) == teacher]
        if group:
            rows = [a for a in rows if class_key(a.assignment) == group]
        if subject:
            rows = [a for a in rows if a.assignment.subject.code == subject]
        return rows


def teacher_key(assignment: TeachingAssignment) -> str:
    return assignment.teacher.username


def class_key(assignment: TeachingAssignment) -> str:
    group = assignment.group
    return str(group.school_class.uuid) if group.school_class else str(group.uuid)


@dataclass(frozen=True)
class _Deadlines:
    deadlines: dict[str, dt.date]  # kind → due date (this semester)
    midterm: dict[tuple[int, int], dt.date]  # (group, subject) → test date
    extensions: list[DeadlineExtension]

    def due(
        self, assignment: TeachingAssignment, kind: str
    ) -> tuple[dt.date | None, dt.date | None]:
        """The column's due date on the schedule, and the last day of entry after the
        principal's extensions (R4.5) when they move it."""
        if kind == MarkKind.MIDTERM:
            test = self.midterm.get((assignment.group_id, assignment.subject_id))
            base = test + dt.timedelta(days=MIDTERM_ENTRY_DAYS) if test else None
        else:
            deadline_kind = DeadlineKind.REGULAR if kind == MarkKind.REGULAR else DeadlineKind.FINAL
            base = self.deadlines.get(deadline_kind)
        if base is None:
            return None, None
        scheduled = base
        class_id = assignment.group.school_class_id
        for ext in self.extensions:
            if ext.kind and ext.kind != kind:
                continue
            if ext.teacher_id is not None and ext.teacher_id != assignment.teacher_id:
                continue
            if ext.school_class_id is not None and ext.school_class_id != class_id:
                continue
            if ext.subject_id is not None and ext.subject_id != assignment.subject_id:
                continue
            base = max(base, ext.until)
        return scheduled, (base if base > scheduled else None)


def _entered() -> Q:
    return Q(value__isnull=False) | ~Q(comment="")


def school_progress(
    *, school: Unit, year: SchoolYear, semester: int, today: dt.date | None = None
) -> SchoolProgress:
    """Entry progress of every teaching assignment of a school in one semester (the caller has
    authorised ``school``, e.g. with ``access_school(actor, id, Perm.VIEW_REPORTS)``)."""
    day = today or timezone.localdate()
    assignments = list(
        TeachingAssignment.objects.filter(school=school, year=year)
        .select_related("teacher", "subject", "group", "group__school_class")
        .order_by("teacher__full_name", "teacher__username", "group__name", "subject__position")
    )
    mixed = [a.group_id for a in assignments if a.group.school_class_id is None]
    class_sizes = dict(
        Enrollment.objects.filter(school=school, year=year, status=EnrollmentStatus.STUDYING)
        .values("school_class_id")
        .annotate(n=Count("id"))
        .values_list("school_class_id", "n")
    )
    through = TeachingGroup.members.through
    group_sizes: dict[int, int] = {}
    if mixed:
        group_sizes = dict(
            through.objects.filter(
                teachinggroup_id__in=mixed, enrollment__status=EnrollmentStatus.STUDYING
            )
            .values("teachinggroup_id")
            .annotate(n=Count("id"))
            .values_list("teachinggroup_id", "n")
        )
    deadlines = _Deadlines(
        deadlines={
            d.kind: d.due_on
            for d in EntryDeadline.objects.filter(school=school, year=year, semester=semester)
        },
        midterm={
            (t.group_id, t.subject_id): t.test_date
            for t in MidtermTest.objects.filter(school=school, semester=semester)
        },
        extensions=list(
            DeadlineExtension.objects.filter(school=school, year=year, semester=semester)
        ),
    )

    # Marks counted in SQL: (class or mixed group, subject, column, state, day entered) → count.
    marks = Mark.objects.filter(school=school, year=year, semester=semester).filter(_entered())
    counted: dict[tuple[str, int, int], list[tuple[str, int, str, dt.date | None, int]]]
    counted = defaultdict(list)
    for row in (
        marks.annotate(day=TruncDate("entered_at"))
        .values("enrollment__school_class_id", "subject_id", "kind", "index", "state", "day")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counted[("class", row["enrollment__school_class_id"], row["subject_id"])].append(
            (row["kind"], row["index"], row["state"], row["day"], row["n"])
        )
    if mixed:
        # Marks of students taught in a group drawn from several classes, by that group.
        for row in (
            through.objects.filter(
                teachinggroup_id__in=mixed,
                enrollment__marks__school=school,
                enrollment__marks__year=year,
                enrollment__marks__semester=semester,
            )
            .filter(Q(enrollment__marks__value__isnull=False) | ~Q(enrollment__marks__comment=""))
            .annotate(day=TruncDate("enrollment__marks__entered_at"))
            .values(
                "teachinggroup_id",
                "enrollment__marks__subject_id",
                "enrollment__marks__kind",
                "enrollment__marks__index",
                "enrollment__marks__state",
                "day",
            )
            .annotate(n=Count("id"))
            .order_by()
        ):
            counted[
                ("group", row["teachinggroup_id"], row["enrollment__marks__subject_id"])
            ].append(
                (
                    row["enrollment__marks__kind"],
                    row["enrollment__marks__index"],
                    row["enrollment__marks__state"],
                    row["day"],
                    row["n"],
                )
            )

    progress: list[AssignmentProgress] = []
    months: set[dt.date] = set()
    timeliness: dict[int, TeacherMonths] = {}
    for assignment in assignments:
        group = assignment.group
        if group.school_class_id is not None:
            students = class_sizes.get(group.school_class_id, 0)
            rows = counted.get(("class", group.school_class_id, assignment.subject_id), [])
        else:
            students = group_sizes.get(group.id, 0)
            rows = counted.get(("group", group.id, assignment.subject_id), [])
        required_regular = assignment.subject.regular_marks or 2
        columns: dict[tuple[str, int], ColumnProgress] = {}

        def column(
            kind: str,
            index: int,
            assignment: TeachingAssignment = assignment,
            columns: dict[tuple[str, int], ColumnProgress] = columns,
            students: int = students,
            required_regular: int = required_regular,
        ) -> ColumnProgress:
            key = (kind, index)
            if key not in columns:
                required = kind != MarkKind.REGULAR or index <= required_regular
                due, extended = deadlines.due(assignment, kind)
                last_day = extended or due
                columns[key] = ColumnProgress(
                    kind=kind,
                    index=index,
                    label=COLUMN_LABEL[MarkKind(kind)].format(index=index),
                    required=required,
                    students=students,
                    expected=students if required else 0,
                    due=due,
                    extended_until=extended,
                    overdue=last_day is not None and day > last_day,
                )
            return columns[key]

        for index in range(1, required_regular + 1):
            column(MarkKind.REGULAR, index)
        column(MarkKind.MIDTERM, 1)
        column(MarkKind.FINAL, 1)
        teacher_months = timeliness.setdefault(
            assignment.teacher_id,
            TeacherMonths(assignment.teacher, teacher_key(assignment)),
        )
        for kind, index, state, entered_on, n in rows:
            col = column(kind, index)
            col.entered += n
            if state == MarkState.SUBMITTED:
                col.submitted += n
            late = col.due is not None and entered_on is not None and entered_on > col.due
            if late:
                col.late += n
            if entered_on is not None:
                month = entered_on.replace(day=1)
                months.add(month)
                cell = teacher_months.months.setdefault(month, [0, 0])
                cell[1 if late else 0] += n
        totals = Counts()
        ordered = sorted(columns.values(), key=lambda c: (KIND_ORDER[MarkKind(c.kind)], c.index))
        for col in ordered:
            if col.required and col.overdue:
                col.missing = max(col.students - col.entered, 0)
            if col.required:
                totals.add(
                    Counts(
                        col.expected,
                        min(col.entered, col.expected),
                        min(col.submitted, col.expected),
                        col.late,
                        col.missing,
                    )
                )
            else:
                totals.late += col.late
        progress.append(
            AssignmentProgress(
                assignment=assignment,
                group_label=group.name,
                url=grid_url(assignment, semester),
                columns=ordered,
                totals=totals,
                students=students,
            )
        )

    def aggregate(
        key_of: Callable[[TeachingAssignment], str], label_of: Callable[[TeachingAssignment], str]
    ) -> list[GroupTotals]:
        found: dict[str, GroupTotals] = {}
        for row in progress:
            key = key_of(row.assignment)
            totals = found.setdefault(key, GroupTotals(key, label_of(row.assignment)))
            totals.counts.add(row.totals)
            totals.assignments += 1
        return list(found.values())

    by_teacher = aggregate(teacher_key, lambda a: a.teacher.display_name)
    by_class = sorted(
        aggregate(
            class_key,
            lambda a: a.group.school_class.name if a.group.school_class else a.group.name,
        ),
        key=lambda g: g.label,
    )
    by_subject = sorted(
        aggregate(lambda a: a.subject.code, lambda a: a.subject.name), key=lambda g: g.label
    )
    overall = Counts()
    for item in progress:
        overall.add(item.totals)
    month_list = sorted(months)
    for teacher_months in timeliness.values():
        teacher_months.row = teacher_months.cells(month_list)
    return SchoolProgress(
        school=school,
        year=year,
        semester=semester,
        today=day,
        assignments=progress,
        by_teacher=by_teacher,
        by_class=by_class,
        by_subject=by_subject,
        months=month_list,
        timeliness=sorted(timeliness.values(), key=lambda t: t.teacher.display_name),
        totals=overall,
    )
