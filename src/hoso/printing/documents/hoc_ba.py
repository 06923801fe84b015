"""hoc-ba: the transcript of one student over one school level (forms.md §4 primary, §5 THCS/THPT;
R3.3, R6.3): cover, information page with the photo box and "Quá trình học tập", one page per
school year of the level (each year starts a new page).

Until the year-end approval exists (the transcripts app), yearly pages print the results
computed so far and say plainly that they are not yet approved.
"""

from __future__ import annotations

from dataclasses import dataclass

from hoso.academics.models import Enrollment, Programme, Student, Subject
from hoso.core.formatting import date_vi
from hoso.printing.documents.common import (
    Header,
    PrintRequest,
    grades_of_level,
    level_of,
    school_header,
)
from hoso.printing.documents.results import (
    class_results,
    is_tt58,
    promotion_text,
    result_text,
)

LEVEL_LABEL = {
    "primary": "TIỂU HỌC",
    "lower": "TRUNG HỌC CƠ SỞ",
    "upper": "TRUNG HỌC PHỔ THÔNG",
}
LEVEL_SHORT = {"primary": "TH", "lower": "THCS", "upper": "THPT"}
QUALITIES = ("Yêu nước", "Nhân ái", "Chăm chỉ", "Trung thực", "Trách nhiệm")
GENERAL_COMPETENCIES = ("Tự chủ và tự học", "Giao tiếp và hợp tác", "Giải quyết vấn đề và sáng tạo")
SPECIFIC_COMPETENCIES = ("Ngôn ngữ", "Tính toán", "Khoa học", "Thẩm mĩ", "Thể chất")
NOT_APPROVED = (
    "Kết quả năm học này chưa được phê duyệt: trang in kết quả tính đến ngày in, "
    "chưa có giá trị thay học bạ đã được Hiệu trưởng phê duyệt."
)
SPARE_GRADES = 2  # R6.3: blank pages for the following grades and two spare grades


@dataclass(frozen=True)
class StudentInfo:
    name: str
    gender: str
    birth_date: str
    birth_place: str
    ethnicity: str
    nationality: str
    hometown: str
    address: str
    father: str
    father_job: str
    mother: str
    mother_job: str
    guardian: str
    guardian_job: str
    register_no: str


@dataclass(frozen=True)
class HistoryRow:
    year: str
    class_name: str
    school: str
    register_no: str
    entered_on: str


@dataclass(frozen=True)
class YearSubject:
    name: str
    semester_1: str
    semester_2: str
    year: str
    retest: str
    level: str  # primary: Mức đạt được (T/H/C)
    test: str  # primary: Điểm KTĐK
    comment: str
    teacher: str


@dataclass(frozen=True)
class Rated:
    name: str
    level: str
    comment: str


@dataclass(frozen=True)
class YearSheet:
    year: str
    class_name: str
    grade: str
    school: str
    blank: bool
    not_approved: bool
    tt58: bool
    subjects: tuple[YearSubject, ...]
    qualities: tuple[Rated, ...]
    general: tuple[Rated, ...]
    specific: tuple[Rated, ...]
    learning: tuple[str, str, str]
    conduct: tuple[str, str, str]
    retest: str
    summer: str
    absences: str
    outcome: str
    title: str
    homeroom_comment: str
    homeroom_teacher: str


@dataclass(frozen=True)
class Transcript:
    title: str
    header: Header
    level: str
    level_label: str
    level_short: str
    student: StudentInfo
    history: tuple[HistoryRow, ...]
    years: tuple[YearSheet, ...]
    transfer: bool
    not_approved_note: str


def student_info(student: Student) -> StudentInfo:
    return StudentInfo(
        name=student.full_name,
        gender=student.get_gender_display() if student.gender else "",
        birth_date=date_vi(student.date_of_birth),
        birth_place=student.place_of_birth,
        ethnicity=student.ethnicity,
        nationality=student.nationality,
        hometown=student.hometown,
        address=student.current_address,
        father=student.father_name,
        father_job=student.father_occupation,
        mother=student.mother_name,
        mother_job=student.mother_occupation,
        guardian=student.guardian_name,
        guardian_job=student.guardian_occupation,
        register_no=student.school_student_code,
    )


def _primary_subjects(subjects: list[Subject]) -> tuple[YearSubject, ...]:
    # The primary assessments (T/H/C, KTĐK) are not stored yet: the rows print blank (§8.6).
    return tuple(
        YearSubject(s.name, "", "", "", "", "", "", "", "")
        for s in subjects
        if s.compulsory or s.elective_group == ""
    )


def _blank_rated(names: tuple[str, ...]) -> tuple[Rated, ...]:
    return tuple(Rated(n, "", "") for n in names)


def year_sheet(enrollment: Enrollment, catalogue: dict[int, list[Subject]]) -> YearSheet:
    """One filled yearly page from the student's data of that year (a few queries)."""
    school_class = enrollment.school_class
    level = level_of(school_class.grade)
    results = class_results(school_class, [enrollment])
    evaluation = results.evaluations.get(enrollment.id)
    comments = results.homeroom.comments
    if level == "primary":
        subjects = _primary_subjects(catalogue.get(school_class.grade, []))
    else:
        rows: list[YearSubject] = []
        for cs in results.subjects:
            outcome = None
            if evaluation is not None:
                outcome = next((o for o in evaluation.subjects if o.code == cs.subject.code), None)
            year_text = ""
            if outcome is not None:
                year_text = "Miễn" if outcome.exempt else result_text(outcome.year)
            rows.append(
                YearSubject(
                    name=cs.subject.name,
                    semester_1=result_text(outcome.semester_1) if outcome else "",
                    semester_2=result_text(outcome.semester_2) if outcome else "",
                    year=year_text,
                    retest=result_text(outcome.after_retest) if outcome else "",
                    level="",
                    test="",
                    comment=comments.get((enrollment.id, cs.subject.id, 3), ""),
                    teacher=cs.teachers,
                )
            )
        subjects = tuple(rows)
    excused, unexcused = results.homeroom.absent(enrollment.id)
    year = evaluation.year if evaluation else None
    s1 = evaluation.semester_1 if evaluation else None
    s2 = evaluation.semester_2 if evaluation else None
    homeroom = school_class.homeroom_teacher
    return YearSheet(
        year=school_class.year.name.replace("-", " - "),
        class_name=school_class.name,
        grade=str(school_class.grade),
        school=enrollment.school.name,
        blank=False,
        # No year-end approval is recorded yet (transcripts app): say so on every yearly page.
        not_approved=True,
        tt58=is_tt58(results.regime),
        subjects=subjects,
        qualities=_blank_rated(QUALITIES),
        general=_blank_rated(GENERAL_COMPETENCIES),
        specific=_blank_rated(SPECIFIC_COMPETENCIES),
        learning=(
            (s1.learning or "") if s1 else "",
            (s2.learning or "") if s2 else "",
            (year.learning or "") if year else "",
        ),
        conduct=(
            (s1.conduct or "") if s1 else "",
            (s2.conduct or "") if s2 else "",
            (year.conduct or "") if year else "",
        ),
        retest=(year.learning_after_retest or "") if year else "",
        summer=(year.conduct_after_summer or "") if year else "",
        absences=str(excused + unexcused) if results.homeroom.absences else "",
        outcome=promotion_text(year.promotion, school_class.grade) if year else "",
        title=(year.title or "") if year else "",
        homeroom_comment=comments.get((enrollment.id, None, 3), ""),
        homeroom_teacher=homeroom.display_name if homeroom else "",
    )


def blank_sheet(grade: int | None, subjects: list[Subject]) -> YearSheet:
    """An empty yearly page for the receiving school (R6.3); spare pages have no grade."""
    level_subjects = (
        _primary_subjects(subjects)
        if grade is not None and grade <= 5
        else tuple(
            YearSubject(s.name, "", "", "", "", "", "", "", "") for s in subjects if s.compulsory
        )
    )
    return YearSheet(
        year="",
        class_name="",
        grade=str(grade) if grade else "",
        school="",
        blank=True,
        not_approved=False,
        tt58=False,
        subjects=level_subjects,
        qualities=_blank_rated(QUALITIES),
        general=_blank_rated(GENERAL_COMPETENCIES),
        specific=_blank_rated(SPECIFIC_COMPETENCIES),
        learning=("", "", ""),
        conduct=("", "", ""),
        retest="",
        summer="",
        absences="",
        outcome="",
        title="",
        homeroom_comment="",
        homeroom_teacher="",
    )


def build_transcript(request: PrintRequest, *, transfer: bool) -> Transcript:
    student = request.student
    assert student is not None
    enrollments = list(
        Enrollment.objects.filter(student=student)
        .select_related(
            "school_class", "school_class__year", "school_class__homeroom_teacher", "school"
        )
        .order_by("year__start_date", "start_date")
    )
    current = next(
        (e for e in reversed(enrollments) if e.year_id == request.year.id),
        enrollments[-1] if enrollments else None,
    )
    grade = current.school_class.grade if current else 10
    level = level_of(grade)
    in_level = [e for e in enrollments if level_of(e.school_class.grade) == level]
    grades = list(grades_of_level(grade))
    catalogue: dict[int, list[Subject]] = {}
    # Only primary pages and blank pages print the catalogue; filled secondary pages list the
    # class's own subjects.
    if level == "primary" or transfer:
        for subject in Subject.objects.filter(
            programme=current.school_class.programme if current else Programme.GDPT_2018,
            grade__in=grades,
        ).order_by("grade", "position"):
            catalogue.setdefault(subject.grade, []).append(subject)
    if transfer:
        # R6.3: the current year's results, blank pages for the following grades and two spares.
        shown = [e for e in in_level if current is not None and e.id == current.id]
        sheets = [year_sheet(e, catalogue) for e in shown]
        sheets += [blank_sheet(g, catalogue.get(g, [])) for g in grades if g > grade]
        sheets += [blank_sheet(None, catalogue.get(grade, [])) for _ in range(SPARE_GRADES)]
    else:
        sheets = [
            year_sheet(e, catalogue)
            for e in in_level
            if e.school_class.year.start_date <= request.year.start_date
        ]
    history = [
        HistoryRow(
            year=e.school_class.year.name.replace("-", " - "),
            class_name=e.school_class.name,
            school=e.school.name,
            register_no=student.school_student_code,
            entered_on=date_vi(e.start_date),
        )
        for e in in_level
    ]
    while len(history) < len(grades):
        history.append(HistoryRow("20… - 20…", "", "", "", ""))
    kind = "Hồ sơ chuyển trường" if transfer else "Học bạ"
    return Transcript(
        title=f"{kind} {LEVEL_SHORT[level]} — {student.full_name}",
        header=school_header(request.school, request.year),
        level=level,
        level_label=LEVEL_LABEL[level],
        level_short=LEVEL_SHORT[level],
        student=student_info(student),
        history=tuple(history),
        years=tuple(sheets),
        transfer=transfer,
        not_approved_note=NOT_APPROVED,
    )


def build(request: PrintRequest) -> Transcript:
    return build_transcript(request, transfer=False)
