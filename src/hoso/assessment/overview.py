"""The class overview the homeroom teacher checks (R12.4–R12.6): every subject's results, the
learning and training levels, titles and promotion — all from the rules engine, with its
explanation lines — and the warnings that need action (missing marks, comment subjects at Chưa
đạt, students near the absence limit, ratings not yet given).

Constant number of queries whatever the class size: the class's enrolments, teaching
assignments, mixed-group memberships, marks, ratings, absences, general comments and locks are
each read once (issue 5, performance).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from hoso.academics.models import (
    Enrollment,
    EnrollmentStatus,
    SchoolClass,
    Subject,
    TeachingAssignment,
    TeachingGroup,
)
from hoso.accounts.access import Actor, can
from hoso.accounts.permissions import Perm
from hoso.assessment.computation import MarkLike, StoredMark, class_regime, refuse_primary
from hoso.assessment.locks import lock_covering, open_locks
from hoso.assessment.models import (
    Absence,
    CommentPeriod,
    ConductPeriod,
    ConductRating,
    Mark,
    MarkKind,
    StudentComment,
)
from hoso.core.errors import NotFoundError
from hoso.core.formatting import decimal_vi
from hoso.rules.inputs import ConductInput, SemesterMarks, StudentInput, SubjectInput
from hoso.rules.outcomes import Evaluation, Result
from hoso.rules.registry import TT58_CONDUCT_REGULATIONS, evaluate_id, rulebook
from hoso.rules.regulations import tt22_2021, tt58_2011
from hoso.rules.values import SEMESTER_LABELS, Assessment, Comment, Promotion

# The absence limit of each rulebook, from the regulation modules themselves (TT22 Art. 12,
# TT58 Art. 15, TT43 Art. 11): more than this many sessions in the year → not promoted.
ABSENCE_LIMITS: Mapping[str, int] = {
    "TT22_2021": tt22_2021.ABSENCE_LIMIT,
    "GDTX": tt22_2021.ABSENCE_LIMIT,
    "TT58_2011": tt58_2011.ABSENCE_LIMIT,
    "TT58_2011_original": tt58_2011.ABSENCE_LIMIT,
    "GDTX_old": tt58_2011.ABSENCE_LIMIT,
}
NEAR_LIMIT_MARGIN = 5  # warn the homeroom teacher this many sessions before the limit

PROMOTION_LABELS: Mapping[str, str] = {
    Promotion.PROMOTED: "Được lên lớp",
    Promotion.RETEST: "Kiểm tra, đánh giá lại",
    Promotion.SUMMER_TRAINING: "Rèn luyện trong hè",
    Promotion.RETAINED: "Không được lên lớp",
    Promotion.INCOMPLETE: "Chưa đủ dữ liệu",
}


def grid_url(assignment_uuid: object, semester: int) -> str:
    """The subject teacher's mark grid (built by the mark-entry pages)."""
    return f"/so-diem/{assignment_uuid}/hk{semester}/"


# --- absences, as the circulars count them ------------------------------------------------------


@dataclass(frozen=True)
class AbsenceTotals:
    excused: int = 0
    unexcused: int = 0

    @property
    def total(self) -> int:
        return self.excused + self.unexcused


def count_absences(regime_id: str, rows: Iterable[tuple[dt.date, str, bool]]) -> AbsenceTotals:
    """Sessions absent in the year, excused or not (secondary.md §2.5).

    TT58 counts every session (buổi). TT22 and TT43 count on the plan of one session a day, so a
    day with both sessions missed counts once [U, domain §2.5]; such a day is excused only when
    every session missed that day was."""
    if evaluate_id(regime_id) in TT58_CONDUCT_REGULATIONS:
        excused = unexcused = 0
        for _day, _session, is_excused in rows:
            if is_excused:
                excused += 1
            else:
                unexcused += 1
        return AbsenceTotals(excused, unexcused)
    days: dict[dt.date, bool] = {}
    for day, _session, is_excused in rows:
        days[day] = days.get(day, True) and is_excused
    excused_days = sum(days.values())
    return AbsenceTotals(excused_days, len(days) - excused_days)


# --- the engine's input from stored rows-----------------------------------------------------------


def _semester_marks(marks: Iterable[MarkLike], semester: int, comment: bool) -> SemesterMarks:
    regular: list[tuple[int, Decimal | Comment]] = []
    midterm: Decimal | Comment | None = None
    final: Decimal | Comment | None = None
    for mark in marks:
        if mark.semester != semester or not mark.is_entered:
            continue
        value: Decimal | Comment
        if comment:
            value = Comment(mark.comment)
        else:
            assert mark.value is not None  # entered score subject
            value = mark.value
        if mark.kind == MarkKind.REGULAR:
            regular.append((mark.index, value))
        elif mark.kind == MarkKind.MIDTERM:
            midterm = value
        else:
            final = value
    return SemesterMarks(
        regular=tuple(v for _, v in sorted(regular, key=lambda item: item[0])),
        midterm=midterm,
        final=final,
    )


def subject_input(subject: Subject, marks: Sequence[MarkLike]) -> SubjectInput:
    comment = subject.assessment == "comment"
    return SubjectInput(
        name=subject.name,
        assessment=Assessment.COMMENT if comment else Assessment.SCORE,
        semester_1=_semester_marks(marks, 1, comment),
        semester_2=_semester_marks(marks, 2, comment),
        periods_per_year=subject.periods_per_year,
        code=subject.code,
        regular_required=subject.regular_marks,
    )


def student_input(
    *,
    regime_id: str,
    school_class: SchoolClass,
    subjects: Sequence[Subject],
    marks_by_subject: Mapping[int, Sequence[MarkLike]],
    ratings: Mapping[str, str],
    absences: int,
) -> StudentInput:
    """Everything the rulebook needs about one student's year (marks, ratings, absences)."""
    return StudentInput(
        regulation=evaluate_id(regime_id),
        grade=school_class.grade,
        subjects=tuple(subject_input(s, marks_by_subject.get(s.id, ())) for s in subjects),
        conduct=ConductInput(
            semester_1=ratings.get(ConductPeriod.SEMESTER_1) or None,
            semester_2=ratings.get(ConductPeriod.SEMESTER_2) or None,
            year=ratings.get(ConductPeriod.YEAR) or None,
            summer=ratings.get(ConductPeriod.SUMMER) or None,
        ),
        absences=absences,
        school_year=school_class.year.name,
    )


# --- what the page shows---------------------------------------------------------------------------


def result_text(value: Result | None) -> str:
    if value is None:
        return ""
    return value.value if isinstance(value, Comment) else decimal_vi(value)


@dataclass(frozen=True)
class OverviewSubject:
    subject: Subject
    comment_subject: bool
    teacher: str
    grid_url: str | None

    @property
    def name(self) -> str:
        return self.subject.name


@dataclass(frozen=True)
class OverviewCell:
    taken: bool  # the student studies this subject
    semester: str  # the semester's result: "7,5", "Đ", "CĐ" or "" (incomplete)
    year: str
    missing: bool
    chua_dat: bool


@dataclass
class OverviewRow:
    enrollment: Enrollment
    cells: list[OverviewCell]
    learning: str | None
    conduct: str | None
    title: str | None
    average: str  # TT58's ĐTBhk/ĐTBcn; empty under TT22 (no overall average)
    year_learning: str | None
    year_conduct: str | None
    year_title: str | None
    promotion: str
    absences: AbsenceTotals
    general_comment: str
    warnings: list[str]
    explanation: tuple[str, ...]

    @property
    def student(self) -> object:
        return self.enrollment.student


@dataclass
class ClassOverview:
    school_class: SchoolClass
    semester: int
    regime_id: str
    subjects: list[OverviewSubject]
    rows: list[OverviewRow]
    absence_limit: int
    locked: bool
    level_counts: dict[str, int] = field(default_factory=dict)

    @property
    def warning_count(self) -> int:
        return sum(len(row.warnings) for row in self.rows)

    @property
    def tt58(self) -> bool:
        return evaluate_id(self.regime_id) in TT58_CONDUCT_REGULATIONS


def _class_subjects(
    school_class: SchoolClass, enrollments: Sequence[Enrollment]
) -> tuple[list[TeachingAssignment], dict[int, set[int]]]:
    """The class's teaching assignments (its own groups and the mixed groups its students sit in)
    and, per mixed group, which of this class's enrolments belong to it (two queries)."""
    assignments = list(
        TeachingAssignment.objects.filter(year_id=school_class.year_id)
        .filter(
            Q(group__school_class=school_class)
            | Q(group__school_class__isnull=True, group__members__school_class=school_class)
        )
        .distinct()
        .select_related("subject", "teacher", "group")
        .order_by("subject__position", "id")
    )
    mixed = {a.group_id for a in assignments if a.group.school_class_id is None}
    members: dict[int, set[int]] = defaultdict(set)
    if mixed:
        rows = TeachingGroup.members.through.objects.filter(
            teachinggroup_id__in=mixed, enrollment_id__in=[e.id for e in enrollments]
        ).values_list("teachinggroup_id", "enrollment_id")
        for group_id, enrollment_id in rows:
            members[group_id].add(enrollment_id)
    return assignments, members


def class_overview(*, actor: Actor, school_class: SchoolClass, semester: int) -> ClassOverview:
    """One row per student studying in the class: each subject's result of ``semester`` (and the
    year's from HK II), the engine's levels, title, promotion and explanation, and warnings."""
    if not can(actor, Perm.VIEW_MARKS, school_class):
        raise NotFoundError()
    if semester not in (1, 2):
        raise NotFoundError()
    refuse_primary(grade=school_class.grade)
    regime_id = class_regime(school_class)
    regulation = evaluate_id(regime_id)
    evaluate = rulebook(regulation)
    limit = ABSENCE_LIMITS[regulation]
    enrollments = list(
        Enrollment.objects.filter(school_class=school_class, status=EnrollmentStatus.STUDYING)
        .select_related("student")
        .order_by("student__name_sort_key", "student__national_id")
    )
    ids = [e.id for e in enrollments]
    assignments, members = _class_subjects(school_class, enrollments)
    # Plain rows, no default ordering (it joins five tables to sort): issue 9, bench.pages.
    marks_of: dict[int, dict[int, list[StoredMark]]] = defaultdict(lambda: defaultdict(list))
    for subject_id, *values in (
        Mark.objects.filter(enrollment_id__in=ids)
        .order_by()
        .values_list("subject_id", *StoredMark.FIELDS)
    ):
        mark = StoredMark(*values)
        marks_of[mark.enrollment_id][subject_id].append(mark)
    ratings: dict[int, dict[str, str]] = defaultdict(dict)
    for enrollment_id, rated_period, level in ConductRating.objects.filter(
        enrollment_id__in=ids
    ).values_list("enrollment_id", "period", "rating"):
        ratings[enrollment_id][rated_period] = level
    absence_rows: dict[int, list[tuple[dt.date, str, bool]]] = defaultdict(list)
    for enrollment_id, day, session, excused in Absence.objects.filter(
        enrollment_id__in=ids
    ).values_list("enrollment_id", "date", "session", "excused"):
        absence_rows[enrollment_id].append((day, session, excused))
    comment_period = semester  # HK I's comment on HK I; from HK II the year's comment if any
    general: dict[int, dict[int, str]] = defaultdict(dict)
    for enrollment_id, written_for, text in StudentComment.objects.filter(
        enrollment_id__in=ids, subject__isnull=True
    ).values_list("enrollment_id", "semester", "text"):
        general[enrollment_id][written_for] = text
    locks = open_locks(school_id=school_class.school_id, year_id=school_class.year_id)

    # The subjects, in catalogue order: those the class is taught, then any with marks only.
    by_subject: dict[int, OverviewSubject] = {}
    whole_class: set[int] = set()
    mixed_subjects: dict[int, set[int]] = defaultdict(set)  # subject → enrolments taking it
    for assignment in assignments:
        subject = assignment.subject
        if assignment.group.school_class_id == school_class.id:
            whole_class.add(subject.id)
        else:
            mixed_subjects[subject.id] |= members.get(assignment.group_id, set())
        by_subject.setdefault(
            subject.id,
            OverviewSubject(
                subject=subject,
                comment_subject=subject.assessment == "comment",
                teacher=assignment.teacher.display_name,
                grid_url=grid_url(assignment.uuid, semester),
            ),
        )
    extra = {sid for per in marks_of.values() for sid in per} - set(by_subject)
    if extra:
        for subject in Subject.objects.filter(id__in=extra):
            by_subject[subject.id] = OverviewSubject(
                subject, subject.assessment == "comment", "", None
            )
    subjects = sorted(by_subject.values(), key=lambda s: (s.subject.position, s.subject.code))
    label = SEMESTER_LABELS[semester]

    rows: list[OverviewRow] = []
    level_counts: dict[str, int] = defaultdict(int)
    for enrollment in enrollments:
        own = marks_of.get(enrollment.id, {})
        taken = [
            s.subject
            for s in subjects
            if s.subject.id in whole_class
            or enrollment.id in mixed_subjects.get(s.subject.id, ())
            or s.subject.id in own
        ]
        absences = count_absences(regime_id, absence_rows.get(enrollment.id, ()))
        own_ratings = ratings.get(enrollment.id, {})
        evaluation: Evaluation = evaluate(
            student_input(
                regime_id=regime_id,
                school_class=school_class,
                subjects=taken,
                marks_by_subject=own,
                ratings=own_ratings,
                absences=absences.total,
            )
        )
        outcomes = {o.code: o for o in evaluation.subjects}
        cells: list[OverviewCell] = []
        warnings: list[str] = []
        for column in subjects:
            outcome = outcomes.get(column.subject.code)
            if outcome is None:
                cells.append(OverviewCell(False, "", "", False, False))
                continue
            value = outcome.semester_1 if semester == 1 else outcome.semester_2
            missing = value is None
            chua_dat = value is Comment.CHUA_DAT
            if missing:
                prefix = f"{column.name}, {label}: chưa có kết quả"
                line = next((x for x in evaluation.explanation if x.startswith(prefix)), None)
                warnings.append(line or f"{column.name}, {label}: thiếu điểm (D6).")
            if chua_dat:
                warnings.append(f"{column.name}, {label}: Chưa đạt.")
            cells.append(
                OverviewCell(True, result_text(value), result_text(outcome.year), missing, chua_dat)
            )
        period = evaluation.semester_1 if semester == 1 else evaluation.semester_2
        if not own_ratings.get(
            ConductPeriod.SEMESTER_1 if semester == 1 else ConductPeriod.SEMESTER_2
        ):
            warnings.append(f"Chưa đánh giá rèn luyện {label} (R12.3).")
        if absences.total > limit:
            warnings.append(
                f"Đã nghỉ {absences.total} buổi, quá {limit} buổi → không được lên lớp "
                f"({'TT58 Điều 15' if regulation in TT58_CONDUCT_REGULATIONS else 'TT22 Điều 12'})."
            )
        elif absences.total >= limit - NEAR_LIMIT_MARGIN:
            warnings.append(
                f"Đã nghỉ {absences.total} buổi, gần giới hạn {limit} buổi (còn "
                f"{limit - absences.total} buổi)."
            )
        if period.learning:
            level_counts[period.learning] += 1
        year = evaluation.year
        rows.append(
            OverviewRow(
                enrollment=enrollment,
                cells=cells,
                learning=period.learning,
                conduct=period.conduct,
                title=period.title,
                average=decimal_vi(period.average) if period.average is not None else "",
                year_learning=year.learning,
                year_conduct=year.conduct,
                year_title=year.title,
                promotion=PROMOTION_LABELS.get(year.promotion, year.promotion),
                absences=absences,
                general_comment=general.get(enrollment.id, {}).get(comment_period, ""),
                warnings=warnings,
                explanation=evaluation.explanation,
            )
        )
    return ClassOverview(
        school_class=school_class,
        semester=semester,
        regime_id=regime_id,
        subjects=subjects,
        rows=rows,
        absence_limit=limit,
        locked=lock_covering(locks, school_class=school_class, semester=semester) is not None,
        level_counts=dict(level_counts),
    )


__all__ = [
    "ABSENCE_LIMITS",
    "AbsenceTotals",
    "ClassOverview",
    "CommentPeriod",
    "OverviewRow",
    "class_overview",
    "count_absences",
    "grid_url",
    "student_input",
]
