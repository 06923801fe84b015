"""A class's marks and homeroom data read in a few queries, and each student's year through the
rules engine (no arithmetic here: the engine computes averages, levels, titles, promotion).

The homeroom models (``Absence``, ``ConductRating``, ``StudentComment``, issue 5) are read when
the assessment app has them; otherwise those columns print blank (a blank stays blank, §8.6).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from hoso.academics.models import (
    Enrollment,
    SchoolClass,
    SchoolYear,
    Semester,
    Subject,
    TeachingAssignment,
)
from hoso.accounts.models import User
from hoso.assessment import models as assessment_models
from hoso.assessment.computation import class_regime
from hoso.assessment.models import Mark, MarkKind
from hoso.core.formatting import decimal_vi
from hoso.rules.inputs import ConductInput, SemesterMarks, StudentInput, SubjectInput
from hoso.rules.outcomes import Evaluation, Result
from hoso.rules.registry import evaluate_id, rulebook
from hoso.rules.values import Assessment, Comment, Promotion


def result_text(value: Result | None) -> str:
    """``7,8`` (decimal comma, one decimal as the engine rounded it), ``Đ``/``CĐ`` or blank."""
    if value is None:
        return ""
    return value.value if isinstance(value, Comment) else decimal_vi(value)


def mark_text(mark: Mark | None) -> str:
    """A mark as entered (forms.md §8.4): "8" (stored as 8.0), "7,5", "Đ"; blank stays blank."""
    if mark is None:
        return ""
    if mark.value is not None and mark.value == mark.value.to_integral_value():
        return str(int(mark.value))
    return mark.display


def is_tt58(regime_id: str) -> bool:
    return regime_id.startswith("TT58") or regime_id == "GDTX_old"


@dataclass
class Homeroom:
    """Absences (sessions) per enrolment and semester, ratings per period, comments."""

    absences: dict[tuple[int, int], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])  # (excused, unexcused)
    )
    conduct: dict[tuple[int, str], str] = field(default_factory=dict)
    comments: dict[tuple[int, int | None, int], str] = field(default_factory=dict)

    def absent(self, enrollment_id: int, semester: int | None = None) -> tuple[int, int]:
        semesters = (semester,) if semester else (1, 2)
        # .get: reading must not add keys (an empty dict means "no absences recorded at all").
        excused = sum(self.absences.get((enrollment_id, s), [0, 0])[0] for s in semesters)
        unexcused = sum(self.absences.get((enrollment_id, s), [0, 0])[1] for s in semesters)
        return excused, unexcused


def homeroom_data(enrollment_ids: Sequence[int], year: SchoolYear) -> Homeroom:
    """The homeroom rows of these enrolments. Unordered reads (each key is unique, absences are
    counted): the models' default orderings join five tables for nothing. The year's semesters
    are read only when there are absences to split between them."""
    data = Homeroom()
    absence = getattr(assessment_models, "Absence", None)
    if absence is not None and enrollment_ids:
        rows = list(
            absence.objects.filter(enrollment_id__in=enrollment_ids)
            .order_by()
            .values_list("enrollment_id", "date", "excused")
        )
        if rows:
            second = (
                Semester.objects.filter(year=year, number=2)
                .order_by()
                .values_list("start_date", flat=True)
                .first()
            )
            for enrollment_id, day, excused in rows:
                semester = 2 if second is not None and day >= second else 1
                data.absences[(enrollment_id, semester)][0 if excused else 1] += 1
    rating = getattr(assessment_models, "ConductRating", None)
    if rating is not None and enrollment_ids:
        for enrollment_id, period, value in (
            rating.objects.filter(enrollment_id__in=enrollment_ids)
            .order_by()
            .values_list("enrollment_id", "period", "rating")
        ):
            data.conduct[(enrollment_id, period)] = value
    comment = getattr(assessment_models, "StudentComment", None)
    if comment is not None and enrollment_ids:
        for enrollment_id, subject_id, semester, text in (
            comment.objects.filter(enrollment_id__in=enrollment_ids)
            .order_by()
            .values_list("enrollment_id", "subject_id", "semester", "text")
        ):
            data.comments[(enrollment_id, subject_id, semester)] = text
    return data


@dataclass(frozen=True)
class ClassSubject:
    subject: Subject
    teachers: str


def class_subjects(school_class: SchoolClass, marks: Iterable[Mark]) -> list[ClassSubject]:
    """The subjects of a class's book: those taught to it (its own groups, or mixed groups that
    draw from it) and any with marks, in catalogue order."""
    assignments = (
        TeachingAssignment.objects.filter(
            Q(group__school_class=school_class) | Q(group__members__school_class=school_class),
            year=school_class.year,
        )
        .select_related("subject", "teacher")
        # The teacher's name only: a user row is some twenty columns (issue 9).
        .only(
            "subject",
            "teacher__username",
            "teacher__full_name",
            "teacher__first_name",
            "teacher__last_name",
        )
        .distinct()
        # Only the teachers' order within a subject depends on this (by group, as the default
        # ordering had it for one school and year); the default's joins cost ~6 ms of planning.
        .order_by("group__name")
    )
    teachers: dict[int, list[User]] = defaultdict(list)
    subjects: dict[int, Subject] = {}
    for assignment in assignments:
        subjects[assignment.subject_id] = assignment.subject
        if assignment.teacher not in teachers[assignment.subject_id]:
            teachers[assignment.subject_id].append(assignment.teacher)
    missing = {m.subject_id for m in marks} - set(subjects)
    for subject in Subject.objects.filter(id__in=missing):
        subjects[subject.id] = subject
    ordered = sorted(subjects.values(), key=lambda s: (s.position, s.name))
    return [ClassSubject(s, ", ".join(t.display_name for t in teachers[s.id])) for s in ordered]


def class_marks(enrollment_ids: Sequence[int]) -> dict[tuple[int, int], list[Mark]]:
    grouped: dict[tuple[int, int], list[Mark]] = defaultdict(list)
    # Only what a printed form reads of a mark: the audit columns (three timestamps, users)
    # cost more to load than the rest together.
    marks = (
        Mark.objects.filter(enrollment_id__in=enrollment_ids)
        .only("enrollment_id", "subject_id", "semester", "kind", "index", "value", "comment")
        .order_by("semester", "kind", "index")
    )
    for mark in marks:
        grouped[(mark.enrollment_id, mark.subject_id)].append(mark)
    return grouped


def _semester_marks(marks: Iterable[Mark], semester: int, assessment: Assessment) -> SemesterMarks:
    regular: list[Decimal | Comment] = []
    midterm: Decimal | Comment | None = None
    final: Decimal | Comment | None = None
    for mark in marks:
        if mark.semester != semester or not mark.is_entered:
            continue
        value: Decimal | Comment
        if assessment is Assessment.COMMENT:
            value = Comment(mark.comment)
        else:
            assert mark.value is not None
            value = mark.value
        if mark.kind == MarkKind.REGULAR:
            regular.append(value)
        elif mark.kind == MarkKind.MIDTERM:
            midterm = value
        else:
            final = value
    return SemesterMarks(regular=tuple(regular), midterm=midterm, final=final)


def subject_input(subject: Subject, marks: Sequence[Mark]) -> SubjectInput:
    assessment = Assessment.COMMENT if subject.assessment == "comment" else Assessment.SCORE
    return SubjectInput(
        name=subject.name,
        assessment=assessment,
        semester_1=_semester_marks(marks, 1, assessment),
        semester_2=_semester_marks(marks, 2, assessment),
        periods_per_year=subject.periods_per_year,
        code=subject.code,
        regular_required=subject.regular_marks,
    )


@dataclass(frozen=True)
class ClassResults:
    regime: str
    enrollments: list[Enrollment]
    subjects: list[ClassSubject]
    marks: dict[tuple[int, int], list[Mark]]
    homeroom: Homeroom
    evaluations: dict[int, Evaluation]


def class_results(school_class: SchoolClass, enrollments: list[Enrollment]) -> ClassResults:
    """Everything the class book and the transcripts of a class need, in a fixed number of
    queries whatever the class size."""
    regime_id = class_regime(school_class)
    ids = [e.id for e in enrollments]
    marks = class_marks(ids)
    subjects = class_subjects(school_class, (m for rows in marks.values() for m in rows))
    homeroom = homeroom_data(ids, school_class.year)
    evaluate = rulebook(evaluate_id(regime_id))
    evaluations: dict[int, Evaluation] = {}
    for enrollment in enrollments:
        inputs = tuple(
            subject_input(cs.subject, marks.get((enrollment.id, cs.subject.id), []))
            for cs in subjects
        )
        excused, unexcused = homeroom.absent(enrollment.id)
        conduct = ConductInput(
            semester_1=homeroom.conduct.get((enrollment.id, "hk1")) or None,
            semester_2=homeroom.conduct.get((enrollment.id, "hk2")) or None,
            year=homeroom.conduct.get((enrollment.id, "year")) or None,
            summer=homeroom.conduct.get((enrollment.id, "summer")) or None,
        )
        try:
            evaluations[enrollment.id] = evaluate(
                StudentInput(
                    regulation=evaluate_id(regime_id),
                    grade=school_class.grade,
                    subjects=inputs,
                    conduct=conduct,
                    absences=excused + unexcused,
                    school_year=school_class.year.name,
                )
            )
        except Exception:  # an input the engine refuses (a rating off the scale): print blank
            continue
    return ClassResults(regime_id, enrollments, subjects, marks, homeroom, evaluations)


def promotion_text(promotion: str, grade: int) -> str:
    """As the book writes it (forms.md §1.6); the final grade of a level says "Hoàn thành"."""
    final = {9: "THCS", 12: "THPT"}.get(grade)
    if promotion == Promotion.PROMOTED:
        return f"Hoàn thành chương trình {final}" if final else "Được lên lớp"
    if promotion == Promotion.RETAINED:
        return f"Chưa hoàn thành chương trình {final}" if final else "Không được lên lớp"
    if promotion == Promotion.RETEST:
        return "Kiểm tra lại"
    if promotion == Promotion.SUMMER_TRAINING:
        return "Rèn luyện trong hè"
    return ""
