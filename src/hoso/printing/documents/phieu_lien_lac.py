"""phieu-lien-lac: the report card for parents, per student per semester (R12.8; forms.md §7).
Not an official form: marks, averages, levels, absences and the homeroom teacher's comment."""

from __future__ import annotations

from dataclasses import dataclass

from hoso.academics.models import Enrollment
from hoso.assessment.models import MarkKind
from hoso.core.formatting import date_vi
from hoso.printing.documents.common import Header, PrintRequest, roman, school_header
from hoso.printing.documents.results import class_results, is_tt58, mark_text, result_text


@dataclass(frozen=True)
class CardLine:
    subject: str
    regular: str
    midterm: str
    final: str
    result: str


@dataclass(frozen=True)
class ReportCard:
    title: str
    header: Header
    student: str
    birth_date: str
    class_name: str
    semester: str
    tt58: bool
    lines: tuple[CardLine, ...]
    learning: str
    conduct: str
    absent_excused: str
    absent_unexcused: str
    comment: str
    homeroom_teacher: str


def build(request: PrintRequest) -> ReportCard:
    student = request.student
    assert student is not None and request.semester
    enrollment = (
        Enrollment.objects.filter(student=student, year=request.year)
        .select_related("school_class", "school_class__year", "school_class__homeroom_teacher")
        .order_by("-start_date")
        .first()
    )
    assert enrollment is not None
    semester = request.semester
    results = class_results(enrollment.school_class, [enrollment])
    evaluation = results.evaluations.get(enrollment.id)
    lines: list[CardLine] = []
    for cs in results.subjects:
        marks = [
            m
            for m in results.marks.get((enrollment.id, cs.subject.id), [])
            if m.semester == semester
        ]
        outcome = None
        if evaluation is not None:
            outcome = next((o for o in evaluation.subjects if o.code == cs.subject.code), None)
        value = None
        if outcome is not None:
            value = outcome.semester_1 if semester == 1 else outcome.semester_2
        lines.append(
            CardLine(
                subject=cs.subject.name,
                regular="  ".join(
                    mark_text(m) for m in marks if m.kind == MarkKind.REGULAR and m.is_entered
                ),
                midterm=next((mark_text(m) for m in marks if m.kind == MarkKind.MIDTERM), ""),
                final=next((mark_text(m) for m in marks if m.kind == MarkKind.FINAL), ""),
                result=result_text(value),
            )
        )
    period = None
    if evaluation is not None:
        period = evaluation.semester_1 if semester == 1 else evaluation.semester_2
    excused, unexcused = results.homeroom.absent(enrollment.id, semester)
    recorded = bool(results.homeroom.absences)
    homeroom = enrollment.school_class.homeroom_teacher
    return ReportCard(
        title=f"Phiếu liên lạc học kì {roman(semester)} — {student.full_name}",
        header=school_header(request.school, request.year),
        student=student.full_name,
        birth_date=date_vi(student.date_of_birth),
        class_name=enrollment.school_class.name,
        semester=roman(semester),
        tt58=is_tt58(results.regime),
        lines=tuple(lines),
        learning=(period.learning or "") if period else "",
        conduct=(period.conduct or "") if period else "",
        absent_excused=str(excused) if recorded else "",
        absent_unexcused=str(unexcused) if recorded else "",
        comment=results.homeroom.comments.get((enrollment.id, None, semester), ""),
        homeroom_teacher=homeroom.display_name if homeroom else "",
    )
