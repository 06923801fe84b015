"""Two schools and the people around them — the personas of the access tests (style.md):
``principal_a``, ``teacher_a`` (Toán in 10A1), ``homeroom_a`` (10A2), ``district_officer`` (over
school A's district), ``teacher_b`` of school B who must see nothing of school A, ``inspector``,
and ``parent_a`` of one 10A1 student."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hoso.academics.models import (
    Enrollment,
    SchoolClass,
    SchoolYear,
    Student,
    Subject,
    TeachingAssignment,
    TeachingGroup,
)
from hoso.accounts.models import ParentLink, Role, RoleAssignment, User
from hoso.organizations.models import Unit, UnitKind
from hoso.organizations.services import unit_attach

OPEN = dt.date(2000, 1, 1)


@dataclass
class World:
    province: Unit
    district: Unit
    school_a: Unit
    school_b: Unit
    year: SchoolYear
    class_a1: SchoolClass
    class_a2: SchoolClass
    class_b1: SchoolClass
    student_a1: Student
    student_b1: Student
    principal_a: User
    teacher_a: User
    homeroom_a: User
    district_officer: User
    province_officer: User
    teacher_b: User
    inspector: User
    parent_a: User
    assignment_a: TeachingAssignment


def _unit(code: str, kind: UnitKind, parent: Unit | None) -> Unit:
    unit = Unit.objects.create(code=code, name=f"Đơn vị {code}", kind=kind)
    if parent is not None:
        unit_attach(child=unit, parent=parent, valid_from=OPEN)
    return unit


def _user(username: str, role: Role, unit: Unit, **dates: dt.date) -> User:
    user = User.objects.create_user(username=username, password="hoso-test-pw", full_name=username)
    RoleAssignment.objects.create(user=user, role=role, unit=unit, **dates)
    return user


def _student(national_id: str, name: str, school_class: SchoolClass) -> Student:
    student = Student.objects.create(
        national_id=national_id, full_name=name, current_school=school_class.school
    )
    Enrollment.objects.create(
        student=student,
        school_class=school_class,
        school=school_class.school,
        year=school_class.year,
    )
    return student


def build_world() -> World:
    province = _unit("SO-T", UnitKind.PROVINCE, None)
    district = _unit("PGD-T", UnitKind.DISTRICT, province)
    school_a = _unit("THPT-A", UnitKind.SCHOOL, district)
    school_b = _unit("THPT-B", UnitKind.SCHOOL, province)
    year = SchoolYear.objects.create(
        name="2025-2026", start_date=dt.date(2025, 9, 5), end_date=dt.date(2026, 5, 31)
    )
    homeroom_a = _user("homeroom_a", Role.HOMEROOM_TEACHER, school_a)
    class_a1 = SchoolClass.objects.create(school=school_a, year=year, grade=10, name="10A1")
    class_a2 = SchoolClass.objects.create(
        school=school_a, year=year, grade=10, name="10A2", homeroom_teacher=homeroom_a
    )
    class_b1 = SchoolClass.objects.create(school=school_b, year=year, grade=10, name="10B1")
    student_a1 = _student("001", "Nguyễn Văn An", class_a1)
    _student("002", "Trần Thị Bình", class_a2)
    student_b1 = _student("003", "Lê Văn Cường", class_b1)
    teacher_a = _user("teacher_a", Role.SUBJECT_TEACHER, school_a)
    toan = Subject.objects.get(programme="2018", grade=10, code="toan")
    group = TeachingGroup.objects.create(
        school=school_a, year=year, name="10A1", school_class=class_a1
    )
    assignment_a = TeachingAssignment.objects.create(
        school=school_a, year=year, teacher=teacher_a, subject=toan, group=group
    )
    teacher_b = _user("teacher_b", Role.SUBJECT_TEACHER, school_b)
    group_b = TeachingGroup.objects.create(
        school=school_b, year=year, name="10B1", school_class=class_b1
    )
    TeachingAssignment.objects.create(
        school=school_b, year=year, teacher=teacher_b, subject=toan, group=group_b
    )
    parent_a = _user("parent_a", Role.PARENT, school_a)
    ParentLink.objects.create(parent=parent_a, student=student_a1)
    return World(
        province=province,
        district=district,
        school_a=school_a,
        school_b=school_b,
        year=year,
        class_a1=class_a1,
        class_a2=class_a2,
        class_b1=class_b1,
        student_a1=student_a1,
        student_b1=student_b1,
        principal_a=_user("principal_a", Role.PRINCIPAL, school_a),
        teacher_a=teacher_a,
        homeroom_a=homeroom_a,
        district_officer=_user("district_officer", Role.DISTRICT_OFFICER, district),
        province_officer=_user("province_officer", Role.PROVINCE_OFFICER, province),
        teacher_b=teacher_b,
        inspector=_user(
            "inspector",
            Role.INSPECTOR,
            province,
            valid_from=dt.date(2025, 9, 1),
            valid_to=dt.date(2099, 12, 31),
        ),
        parent_a=parent_a,
        assignment_a=assignment_a,
    )
