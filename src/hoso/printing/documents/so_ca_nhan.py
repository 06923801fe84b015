"""so-ca-nhan: the teacher's personal book, printed blank (R3.1; forms.md §2).

Cover with the teacher's name, subject, phone, e-mail and address; then, for each class (or
teaching group) taught and each semester, the class list with the mark columns of the class book
(§1.4), left blank for handwriting.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from hoso.academics.models import (
    Enrollment,
    EnrollmentStatus,
    TeachingAssignment,
    TeachingGroup,
)
from hoso.assessment.models import AssessmentSettings
from hoso.core.formatting import date_vi
from hoso.printing.documents.common import Header, PrintRequest, roman, school_header

DEFAULT_MAX_REGULAR = 5


@dataclass(frozen=True)
class StudentLine:
    stt: int
    name: str
    birth_date: str


@dataclass(frozen=True)
class Section:
    group: str
    subject: str
    semester: str
    comment_only: bool
    regular_count: int
    students: tuple[StudentLine, ...]


@dataclass(frozen=True)
class PersonalBook:
    title: str
    header: Header
    teacher: str
    subjects: str
    phone: str
    email: str
    address: str
    sections: tuple[Section, ...]


def build(request: PrintRequest) -> PersonalBook:
    teacher = request.teacher
    assert teacher is not None
    assignments = list(
        TeachingAssignment.objects.filter(teacher=teacher, school=request.school, year=request.year)
        .select_related("subject", "group")
        .order_by("group__name", "subject__position")
    )
    class_ids = {a.group.school_class_id for a in assignments if a.group.school_class_id}
    mixed_ids = {a.group_id for a in assignments if a.group.school_class_id is None}
    by_class: dict[int, list[Enrollment]] = defaultdict(list)
    by_group: dict[int, list[Enrollment]] = defaultdict(list)
    studying = Enrollment.objects.filter(status=EnrollmentStatus.STUDYING).select_related("student")
    for enrollment in studying.filter(school_class_id__in=class_ids):
        by_class[enrollment.school_class_id].append(enrollment)
    members = TeachingGroup.members.through.objects.filter(
        teachinggroup_id__in=mixed_ids
    ).values_list("teachinggroup_id", "enrollment_id")
    member_ids: dict[int, set[int]] = defaultdict(set)
    for group_id, enrollment_id in members:
        member_ids[group_id].add(enrollment_id)
    all_members = set().union(*member_ids.values()) if member_ids else set()
    member_rows = {e.id: e for e in studying.filter(id__in=all_members)}
    for group_id, ids in member_ids.items():
        by_group[group_id] = [member_rows[i] for i in ids if i in member_rows]
    settings_row = AssessmentSettings.objects.filter(school=request.school).first()
    max_regular = settings_row.max_regular_marks if settings_row else DEFAULT_MAX_REGULAR

    sections: list[Section] = []
    semesters = [request.semester] if request.semester else [1, 2]
    for assignment in assignments:
        group = assignment.group
        rows = (
            by_class[group.school_class_id]
            if group.school_class_id is not None
            else by_group[group.id]
        )
        rows.sort(key=lambda e: (e.student.name_sort_key, e.student.national_id))
        students = tuple(
            StudentLine(i, e.student.full_name, date_vi(e.student.date_of_birth))
            for i, e in enumerate(rows, start=1)
        )
        comment_only = assignment.subject.assessment == "comment"
        required = assignment.subject.regular_marks or 2  # TT22 Art. 6.2: at least 2
        for semester in semesters:
            sections.append(
                Section(
                    group=group.name,
                    subject=assignment.subject.name,
                    semester=roman(semester),
                    comment_only=comment_only,
                    regular_count=max(required, max_regular),
                    students=students,
                )
            )
    subjects = []
    for assignment in assignments:
        if assignment.subject.name not in subjects:
            subjects.append(assignment.subject.name)
    return PersonalBook(
        title=f"Sổ cá nhân của giáo viên {teacher.display_name} — năm học {request.year.name}",
        header=school_header(request.school, request.year),
        teacher=teacher.display_name,
        subjects=", ".join(subjects),
        phone=teacher.phone,
        email=teacher.email,
        address=teacher.address,
        sections=tuple(sections),
    )
