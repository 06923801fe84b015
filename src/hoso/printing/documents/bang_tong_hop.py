"""bang-tong-hop: Bảng tổng hợp kết quả đánh giá giáo dục of a primary class, per checkpoint
(TT27 Art. 9.1; forms.md §3.2, layout reconstructed [U]).

The primary assessments (levels T/H/C, KTĐK, qualities, competencies) are not stored yet: the
table prints its rows and columns with blank cells (a blank stays blank, §8.6) — an empty summary
must print (issue 7).
"""

from __future__ import annotations

from dataclasses import dataclass

from hoso.academics.models import Subject
from hoso.core.formatting import date_vi
from hoso.printing.documents.common import (
    Header,
    PrintRequest,
    class_enrollments,
    enrollment_note,
    school_header,
)
from hoso.printing.documents.hoc_ba import GENERAL_COMPETENCIES, QUALITIES, SPECIFIC_COMPETENCIES

CHECKPOINTS = {
    "gk1": "GIỮA HỌC KÌ I",
    "ck1": "CUỐI HỌC KÌ I",
    "gk2": "GIỮA HỌC KÌ II",
    "cn": "CUỐI NĂM HỌC",
}


@dataclass(frozen=True)
class SummaryColumn:
    subject: str
    tested: bool  # Điểm KTĐK at this checkpoint (primary.md §2)


@dataclass(frozen=True)
class PupilRow:
    stt: int
    name: str
    birth_date: str
    female: bool
    ethnicity: str
    levels: tuple[str, ...]  # per subject: Mức, then KTĐK where tested
    qualities: tuple[str, ...]
    competencies: tuple[str, ...]
    outcome: str
    reward: str
    completed: str
    promoted: str
    note: str


@dataclass(frozen=True)
class ClassSummary:
    title: str
    header: Header
    class_name: str
    grade: int
    checkpoint: str
    checkpoint_code: str
    year_end: bool
    homeroom_teacher: str
    subjects: tuple[SummaryColumn, ...]
    qualities: tuple[str, ...]
    competencies: tuple[str, ...]
    rows: tuple[PupilRow, ...]


def checkpoint_of(request: PrintRequest) -> str:
    code = request.options.get("checkpoint", "")
    if code in CHECKPOINTS:
        return code
    return "ck1" if request.semester == 1 else "cn"


def build(request: PrintRequest) -> ClassSummary:
    school_class = request.school_class
    assert school_class is not None
    code = checkpoint_of(request)
    subjects = [
        s
        for s in Subject.objects.filter(
            programme=school_class.programme, grade=school_class.grade
        ).order_by("position")
        if s.compulsory
    ]
    columns = tuple(
        SummaryColumn(s.name, code.upper() in (s.periodic_test or [])) for s in subjects
    )
    width = sum(2 if c.tested else 1 for c in columns)
    competencies = GENERAL_COMPETENCIES + SPECIFIC_COMPETENCIES
    rows = tuple(
        PupilRow(
            stt=i,
            name=e.student.full_name,
            birth_date=date_vi(e.student.date_of_birth),
            female=e.student.gender == "F",
            ethnicity=e.student.ethnicity,
            levels=("",) * width,
            qualities=("",) * len(QUALITIES),
            competencies=("",) * len(competencies),
            outcome="",
            reward="",
            completed="",
            promoted="",
            note=enrollment_note(e),
        )
        for i, e in enumerate(class_enrollments(school_class), start=1)
    )
    homeroom = school_class.homeroom_teacher
    return ClassSummary(
        title=f"Bảng tổng hợp kết quả đánh giá giáo dục lớp {school_class.name}, "
        f"{CHECKPOINTS[code].lower()}, năm học {school_class.year.name}",
        header=school_header(request.school, request.year),
        class_name=school_class.name,
        grade=school_class.grade,
        checkpoint=CHECKPOINTS[code],
        checkpoint_code=code,
        year_end=code == "cn",
        homeroom_teacher=homeroom.display_name if homeroom else "",
        subjects=columns,
        qualities=QUALITIES,
        competencies=competencies,
        rows=rows,
    )
