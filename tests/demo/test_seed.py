"""The demo province of interfaces.md: its tree, classes, students, teaching and determinism."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.apps import apps as django_apps
from django.test import Client

from hoso.academics.models import (
    Enrollment,
    EnrollmentStatus,
    SchoolClass,
    SchoolYear,
    Student,
    TeachingAssignment,
    TeachingGroup,
)
from hoso.core.names import name_sort_key
from hoso.demo.accounts import DEMO_PASSWORD
from hoso.demo.data import REAL_WORKBOOK
from hoso.demo.seed import CURRENT_YEAR, PREVIOUS_YEAR, SeedSummary, seed_demo
from hoso.interchange.teacher_workbook import read_teacher_workbook
from hoso.organizations.models import Unit, UnitKind
from hoso.organizations.selectors import schools_under

pytestmark = pytest.mark.django_db

WORKBOOK_CLASSES = {"12T1", "9H01", "9H02", "10A1", "10A2", "10F1", "10F2"}


def current_classes(code: str) -> list[SchoolClass]:
    return list(SchoolClass.objects.filter(school__code=code, year__name=CURRENT_YEAR))


def test_the_unit_tree() -> None:
    parents = {u.code: (u.kind, u.parent.code if u.parent else None) for u in Unit.objects.all()}
    assert parents == {
        "SO-DEMO": (UnitKind.PROVINCE, None),
        "PGD-A": (UnitKind.DISTRICT, "SO-DEMO"),
        "PGD-B": (UnitKind.DISTRICT, "SO-DEMO"),
        "TH-DEMO": (UnitKind.SCHOOL, "PGD-A"),
        "THCS-DEMO": (UnitKind.SCHOOL, "PGD-A"),
        "THPT-DEMO": (UnitKind.SCHOOL, "SO-DEMO"),
        "LC-DEMO": (UnitKind.SCHOOL, "SO-DEMO"),
        "TH-DEMO-B": (UnitKind.SCHOOL, "PGD-B"),
    }
    grades = dict(Unit.objects.filter(kind=UnitKind.SCHOOL).values_list("code", "grades"))
    assert grades["TH-DEMO"] == [1, 2, 3, 4, 5]
    assert grades["THCS-DEMO"] == [6, 7, 8, 9]
    assert grades["THPT-DEMO"] == [10, 11, 12]
    assert grades["LC-DEMO"] == [9, 10, 11, 12]
    # The dated links carry the tree (scoping goes through them, not through ``parent``).
    province = Unit.objects.get(code="SO-DEMO")
    on = dt.date(2026, 3, 1)
    assert {u.code for u in schools_under([province.id], on=on)} == {
        "TH-DEMO",
        "THCS-DEMO",
        "THPT-DEMO",
        "LC-DEMO",
        "TH-DEMO-B",
    }


def test_school_years_and_semesters() -> None:
    current = SchoolYear.objects.get(name=CURRENT_YEAR)
    assert (current.start_date, current.end_date) == (dt.date(2025, 9, 5), dt.date(2026, 5, 31))
    semesters = [(s.number, s.start_date, s.end_date) for s in current.semesters.all()]
    assert semesters == [
        (1, dt.date(2025, 9, 5), dt.date(2026, 1, 15)),
        (2, dt.date(2026, 1, 19), dt.date(2026, 5, 31)),
    ]
    assert SchoolYear.objects.get(name=PREVIOUS_YEAR).semesters.count() == 2


@pytest.mark.parametrize(
    ("code", "grades"),
    [("TH-DEMO", range(1, 6)), ("THCS-DEMO", range(6, 10)), ("THPT-DEMO", range(10, 13))],
)
def test_generated_schools_have_three_classes_of_35_to_45_per_grade(
    code: str, grades: range
) -> None:
    classes = current_classes(code)
    per_grade = Counter(c.grade for c in classes)
    assert set(per_grade) == set(grades)
    assert all(count >= 3 for count in per_grade.values())
    for school_class in classes:
        size = school_class.enrollments.filter(status=EnrollmentStatus.STUDYING).count()
        assert 35 <= size <= 45, school_class.name
        assert school_class.homeroom_teacher is not None


def test_generated_students_are_plausible() -> None:
    students = list(Student.objects.filter(current_school__code="THCS-DEMO"))
    assert len(students) > 400
    for student in students:
        assert student.name_sort_key == name_sort_key(student.full_name)
        assert len(student.national_id) == 12 and student.national_id.startswith("099")
        assert student.gender in {"M", "F"}
        assert student.place_of_birth.endswith("tỉnh Hòa Sơn")
        assert student.father_name and student.mother_name
        words = student.full_name.split()
        assert 3 <= len(words) <= 4
        if "Thị" in words[1:-1]:
            assert student.gender == "F"
    # Ages fit the grade: grade 6 in 2025-2026 was born in 2014.
    grade_6 = Student.objects.filter(
        enrollments__school_class__grade=6, enrollments__year__name=CURRENT_YEAR
    )
    assert {s.date_of_birth.year for s in grade_6 if s.date_of_birth} == {2014}
    ethnicities = Counter(s.ethnicity for s in students)
    assert ethnicities.most_common(1)[0][0] == "Kinh" and len(ethnicities) > 2


def test_last_year_holds_the_previous_classes() -> None:
    # The pupils of 7A2 this year were in 6A2 last year; 6A1's came from primary schools.
    now = SchoolClass.objects.get(school__code="THCS-DEMO", year__name=CURRENT_YEAR, name="7A2")
    then = SchoolClass.objects.get(school__code="THCS-DEMO", year__name=PREVIOUS_YEAR, name="6A2")
    now_ids = set(now.enrollments.values_list("student_id", flat=True))
    assert set(then.enrollments.values_list("student_id", flat=True)) == now_ids
    assert set(then.enrollments.values_list("status", flat=True)) == {EnrollmentStatus.COMPLETED}
    assert not SchoolClass.objects.filter(
        school__code="THCS-DEMO", year__name=PREVIOUS_YEAR, grade=9
    ).exists()


def test_every_class_subject_has_one_teacher() -> None:
    for code in ("TH-DEMO", "THCS-DEMO", "THPT-DEMO"):
        for school_class in current_classes(code):
            group = TeachingGroup.objects.get(school_class=school_class)
            subjects = list(group.assignments.values_list("subject__code", flat=True))
            assert len(subjects) == len(set(subjects)) >= 9, school_class.name
            assert {"toan"} <= set(subjects)
            grades = set(group.assignments.values_list("subject__grade", flat=True))
            assert grades == {school_class.grade}


def test_lc_demo_holds_the_real_workbook() -> None:
    book = read_teacher_workbook(REAL_WORKBOOK)
    classes = current_classes("LC-DEMO")
    assert {c.name for c in classes} == WORKBOOK_CLASSES
    assert {c.name: c.grade for c in classes}["9H01"] == 9
    students = Student.objects.filter(current_school__code="LC-DEMO")
    assert students.count() == 116
    by_id = {s.national_id: s for s in students}
    for row in book.rows:
        student = by_id[row.national_id]
        assert (student.full_name, student.date_of_birth) == (row.full_name, row.birth_date)
        assert (student.school_student_code, student.email) == (row.student_code, row.email)
        enrollment = Enrollment.objects.get(student=student, year__name=CURRENT_YEAR)
        assert enrollment.school_class.name == row.class_name
    group = TeachingGroup.objects.get(school__code="LC-DEMO", name="MUL10L3")
    assert group.school_class is None
    members = list(group.members.select_related("school_class", "student"))
    assert len(members) == 27
    assert {m.school_class.name for m in members} == {"10A1", "10A2", "10F1", "10F2"}
    assert {m.student.national_id for m in members} == {
        r.national_id for r in book.sheet("MUL10L3").rows
    }


def test_gvbm_tin_teaches_informatics_to_the_workbook_groups() -> None:
    assignments = TeachingAssignment.objects.filter(teacher__username="gvbm.tin")
    assert {(a.group.name, a.subject.code, a.subject.grade) for a in assignments} == {
        ("12T1", "tin_hoc", 12),
        ("9H01", "tin_hoc", 9),
        ("9H02", "tin_hoc", 9),
        ("MUL10L3", "tin_hoc", 10),
    }


def test_summary_counts(demo_province: SeedSummary) -> None:
    assert demo_province.units == 8
    assert demo_province.schools == 5
    assert demo_province.students == Student.objects.count() > 1500
    assert "tỉnh demo" in str(demo_province)


def _snapshot() -> dict[str, object]:
    """The seed's content by natural keys (database ids differ from run to run)."""
    return {
        "students": sorted(
            Student.objects.values_list(
                "national_id", "full_name", "gender", "date_of_birth", "place_of_birth"
            )
        ),
        "enrollments": sorted(
            Enrollment.objects.values_list(
                "student__national_id", "school_class__name", "school__code", "year__name"
            )
        ),
        "assignments": sorted(
            TeachingAssignment.objects.values_list(
                "teacher__username", "teacher__full_name", "subject__code", "group__name"
            )
        ),
        "homerooms": sorted(
            SchoolClass.objects.filter(year__name=CURRENT_YEAR).values_list(
                "school__code", "name", "homeroom_teacher__username"
            )
        ),
    }


def test_seeding_twice_gives_the_same_province() -> None:
    # Given the province seeded by the fixture
    before = _snapshot()
    # When it is seeded again from scratch
    seed_demo(reset=True)
    # Then every name, id, class and assignment is the same
    assert _snapshot() == before


def test_reset_also_empties_what_other_apps_built_on_the_demo() -> None:
    # Given a login, which the audit trail records against the user and LC-DEMO (PROTECT links,
    # and on PostgreSQL an append-only table)
    assert Client().login(username="hieutruong", password=DEMO_PASSWORD)
    audit_event = django_apps.get_model("audit", "AuditEvent")
    assert audit_event.objects.exists()
    # When the demo is reset
    seed_demo(reset=True)
    # Then it is rebuilt from scratch, the demo's audit log included: only the events of the
    # rebuilt demo's own story (issue 5: marks, absences … written through the services) remain
    assert not audit_event.objects.filter(action="auth.login").exists()
    assert Student.objects.filter(current_school__code="LC-DEMO").count() == 116
