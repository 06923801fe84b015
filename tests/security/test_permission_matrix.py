"""The permission matrix (issue 8; R4.1, R8.3, R11, R15.3, R12.8): every role × every permission ×
own scope / another school, from one table written out by hand — not derived from
``ROLE_PERMISSIONS``, so a change to the code that widens a role fails here until the table (and
the regulation it cites) is changed too. And the grant matrix: who may grant which role where."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from hoso.academics.models import SchoolClass, Student, TeachingAssignment
from hoso.accounts.access import can, may_grant
from hoso.accounts.grants import GRANT_AUTHORITY, GRANTABLE_ROLES
from hoso.accounts.models import ParentLink, Role, RoleAssignment, User
from hoso.accounts.permissions import ROLE_PERMISSIONS, Perm
from hoso.organizations.models import Unit, UnitKind
from tests.personas import World

P = Perm
READ = {P.VIEW_UNIT, P.VIEW_CLASS, P.VIEW_STUDENT, P.VIEW_MARKS}

# role → the permissions it has over an object in its own scope. The object is a class of the
# school (unit-wide roles), the teacher's own assignment, the homeroom teacher's own class, the
# parent's own child.
EXPECTED: dict[Role, set[Perm]] = {
    Role.PROVINCE_OFFICER: READ | {P.VIEW_REPORTS, P.MANAGE_ACCOUNTS},
    Role.DISTRICT_OFFICER: READ | {P.VIEW_REPORTS, P.MANAGE_ACCOUNTS},
    Role.PRINCIPAL: READ
    | {
        P.EDIT_STUDENT,
        P.LOCK_BOOK,
        P.APPROVE_CORRECTION,
        P.PRINT,
        P.MANAGE_ACCOUNTS,
        P.MANAGE_SCHOOL_YEAR,
        P.VIEW_REPORTS,
        P.VIEW_AUDIT,
    },
    Role.VICE_PRINCIPAL: READ | {P.PRINT, P.VIEW_REPORTS, P.VIEW_AUDIT},
    Role.SCHOOL_ADMIN: READ
    | {
        P.EDIT_STUDENT,
        P.IMPORT_MARKS,
        P.LOCK_BOOK,
        P.PRINT,
        P.MANAGE_ACCOUNTS,
        P.MANAGE_SCHOOL_YEAR,
        P.VIEW_REPORTS,  # R14.6
        P.VIEW_AUDIT,
    },
    Role.OFFICE_CLERK: {P.VIEW_UNIT, P.VIEW_CLASS, P.VIEW_STUDENT, P.PRINT},
    # R15.3: read-only, whatever else the table might say.
    Role.INSPECTOR: READ | {P.VIEW_REPORTS, P.VIEW_AUDIT},
    Role.SUBJECT_TEACHER: {
        P.VIEW_CLASS,
        P.VIEW_STUDENT,
        P.VIEW_MARKS,
        P.ENTER_MARKS,
        P.REQUEST_CORRECTION,
    },
    Role.HOMEROOM_TEACHER: {
        P.VIEW_CLASS,
        P.VIEW_STUDENT,
        P.VIEW_MARKS,
        P.EDIT_STUDENT,
        P.ENTER_HOMEROOM,
    },
    Role.PARENT: {P.VIEW_STUDENT, P.VIEW_MARKS},
}


@dataclass
class Subject:
    """One person holding one role, with an object of their scope and the same kind of object
    in another school (of another province, so that even the province officer is outside)."""

    user: User
    own: Unit | SchoolClass | Student | TeachingAssignment
    other: Unit | SchoolClass | Student | TeachingAssignment


def _other_province(world: World) -> tuple[Unit, SchoolClass, Student, TeachingAssignment]:
    from hoso.academics.models import Enrollment, TeachingGroup
    from hoso.academics.models import Subject as CatalogueSubject
    from hoso.organizations.services import unit_attach

    province = Unit.objects.create(code="SO-X", name="Sở khác", kind=UnitKind.PROVINCE)
    school = Unit.objects.create(code="THPT-X", name="Trường khác", kind=UnitKind.SCHOOL)
    unit_attach(child=school, parent=province, valid_from=dt.date(2000, 1, 1))
    school_class = SchoolClass.objects.create(school=school, year=world.year, grade=10, name="10X")
    student = Student.objects.create(national_id="X-1", full_name="Học Sinh Khác")
    Enrollment.objects.create(
        student=student, school_class=school_class, school=school, year=world.year
    )
    teacher = User.objects.create_user(username="teacher_x", password="x" * 12)
    RoleAssignment.objects.create(user=teacher, role=Role.SUBJECT_TEACHER, unit=school)
    group = TeachingGroup.objects.create(
        school=school, year=world.year, name="10X", school_class=school_class
    )
    assignment = TeachingAssignment.objects.create(
        school=school,
        year=world.year,
        teacher=teacher,
        subject=CatalogueSubject.objects.get(programme="2018", grade=10, code="toan"),
        group=group,
    )
    return school, school_class, student, assignment


def _subjects(world: World) -> dict[Role, Subject]:
    _school_x, class_x, student_x, assignment_x = _other_province(world)

    def holder(role: Role, unit: Unit) -> User:
        user = User.objects.create_user(username=f"matrix_{role.value}", password="x" * 12)
        RoleAssignment.objects.create(user=user, role=role, unit=unit)
        return user

    subjects = {
        Role.PROVINCE_OFFICER: Subject(world.province_officer, world.class_a1, class_x),
        Role.DISTRICT_OFFICER: Subject(world.district_officer, world.class_a1, world.class_b1),
        Role.PRINCIPAL: Subject(world.principal_a, world.class_a1, world.class_b1),
        Role.INSPECTOR: Subject(world.inspector, world.class_a1, class_x),
        Role.SUBJECT_TEACHER: Subject(world.teacher_a, world.assignment_a, assignment_x),
        Role.HOMEROOM_TEACHER: Subject(world.homeroom_a, world.class_a2, world.class_b1),
        Role.PARENT: Subject(world.parent_a, world.student_a1, world.student_b1),
    }
    for role in (Role.VICE_PRINCIPAL, Role.SCHOOL_ADMIN, Role.OFFICE_CLERK):
        subjects[role] = Subject(holder(role, world.school_a), world.class_a1, world.class_b1)
    assert ParentLink.objects.filter(parent=world.parent_a, student=world.student_a1).exists()
    _ = student_x
    return subjects


def test_the_table_names_every_role() -> None:
    assert set(EXPECTED) == set(Role)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_role_every_permission_own_scope_and_another(world: World, role: Role) -> None:
    subject = _subjects(world)[role]
    for perm in Perm:
        expected = perm in EXPECTED[role]
        assert can(subject.user, perm, subject.own) is expected, (role, perm, "own scope")
        assert can(subject.user, perm, subject.other) is False, (role, perm, "another school")


def test_the_schools_themselves(world: World) -> None:
    """Unit-level permissions: an officer reaches the schools below their office only."""
    assert can(world.district_officer, Perm.VIEW_UNIT, world.school_a)
    assert not can(world.district_officer, Perm.VIEW_UNIT, world.school_b)
    assert can(world.province_officer, Perm.VIEW_UNIT, world.school_b)
    for teacher in (world.teacher_a, world.homeroom_a, world.parent_a):
        assert not can(teacher, Perm.VIEW_UNIT, world.school_a)


def test_an_inspector_outside_the_period_has_nothing(world: World) -> None:
    RoleAssignment.objects.filter(user=world.inspector).update(
        valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2020, 12, 31)
    )
    inspector = User.objects.get(pk=world.inspector.pk)
    assert not any(can(inspector, perm, world.class_a1) for perm in Perm)


# --- Who may grant what -----------------------------------------------------------------------

# grantor → roles they may grant over their own unit (a school's roles over the school; an
# office's over itself or the units below it).
GRANTS: dict[Role, set[Role]] = {
    Role.PROVINCE_OFFICER: {Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER, Role.INSPECTOR},
    Role.DISTRICT_OFFICER: {Role.DISTRICT_OFFICER, Role.INSPECTOR},
    Role.PRINCIPAL: {
        Role.VICE_PRINCIPAL,
        Role.SCHOOL_ADMIN,
        Role.OFFICE_CLERK,
        Role.SUBJECT_TEACHER,
        Role.HOMEROOM_TEACHER,
        Role.PARENT,
    },
    Role.SCHOOL_ADMIN: {
        Role.OFFICE_CLERK,
        Role.SUBJECT_TEACHER,
        Role.HOMEROOM_TEACHER,
        Role.PARENT,
    },
}
# The rights a grantor may delegate beyond their own: the teaching rights carved from the
# school's leadership (R11.5), the admins' import on a teacher's behalf (R14.1), the audit reading
# an inspection needs (R15.3). Nothing else.
DELEGABLE = {
    Perm.ENTER_MARKS,
    Perm.REQUEST_CORRECTION,
    Perm.ENTER_HOMEROOM,
    Perm.IMPORT_MARKS,
    Perm.VIEW_AUDIT,
}


def test_nobody_grants_a_role_wider_than_their_own() -> None:
    for grantor, roles in GRANTABLE_ROLES.items():
        for role in roles:
            assert ROLE_PERMISSIONS[role] <= GRANT_AUTHORITY[grantor], (grantor, role)
            assert ROLE_PERMISSIONS[role] - ROLE_PERMISSIONS[grantor] <= DELEGABLE, (grantor, role)
    # Nobody appoints their own superiors or peers at the school: no principal grants principals,
    # no admin appoints admins (R11.1: the principal does).
    assert Role.PRINCIPAL not in GRANTABLE_ROLES[Role.PRINCIPAL]
    assert Role.SCHOOL_ADMIN not in GRANTABLE_ROLES[Role.SCHOOL_ADMIN]
    assert Role.VICE_PRINCIPAL not in GRANTABLE_ROLES[Role.SCHOOL_ADMIN]


@pytest.mark.parametrize("grantor_role", list(Role), ids=lambda r: r.value)
def test_grant_matrix(world: World, grantor_role: Role) -> None:
    subjects = _subjects(world)
    grantor = subjects[grantor_role].user
    own = {
        Role.PROVINCE_OFFICER: world.province,
        Role.DISTRICT_OFFICER: world.district,
    }.get(grantor_role, world.school_a)
    other = (
        world.school_b if grantor_role != Role.PROVINCE_OFFICER else Unit.objects.get(code="THPT-X")
    )
    for role in Role:
        expected = role in GRANTS.get(grantor_role, set())
        assert may_grant(grantor, role, own) is expected, (grantor_role, role, "own")
        assert may_grant(grantor, role, other) is False, (grantor_role, role, "other")
