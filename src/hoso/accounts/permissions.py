"""The permission vocabulary and what each role may do.

Permissions are one ``StrEnum`` with dotted values; a role is a set of permissions, granted over a
unit of the tree (``RoleAssignment``). Teachers' rights are further narrowed to their own classes
and subjects by ``hoso.accounts.access``.
"""

from __future__ import annotations

from enum import StrEnum

from hoso.accounts.models import Role


class Perm(StrEnum):
    VIEW_UNIT = "unit.view"
    VIEW_CLASS = "class.view"
    VIEW_STUDENT = "student.view"
    EDIT_STUDENT = "student.edit"
    VIEW_MARKS = "marks.view"
    ENTER_MARKS = "marks.enter"
    IMPORT_MARKS = "marks.import"  # admins import a teacher's workbook on their behalf
    ENTER_HOMEROOM = "homeroom.enter"  # attendance, conduct, comments of one's own class
    LOCK_BOOK = "book.lock"
    APPROVE_CORRECTION = "correction.approve"
    REQUEST_CORRECTION = "correction.request"
    PRINT = "print.run"
    MANAGE_ACCOUNTS = "accounts.manage"
    MANAGE_SCHOOL_YEAR = "schoolyear.manage"
    VIEW_REPORTS = "reports.view"
    VIEW_AUDIT = "audit.view"


_READ = {Perm.VIEW_UNIT, Perm.VIEW_CLASS, Perm.VIEW_STUDENT, Perm.VIEW_MARKS}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.PROVINCE_OFFICER: frozenset(_READ | {Perm.VIEW_REPORTS, Perm.MANAGE_ACCOUNTS}),
    Role.DISTRICT_OFFICER: frozenset(_READ | {Perm.VIEW_REPORTS, Perm.MANAGE_ACCOUNTS}),
    Role.PRINCIPAL: frozenset(
        _READ
        | {
            Perm.EDIT_STUDENT,
            Perm.LOCK_BOOK,
            Perm.APPROVE_CORRECTION,
            Perm.PRINT,
            Perm.MANAGE_ACCOUNTS,
            Perm.MANAGE_SCHOOL_YEAR,
            Perm.VIEW_REPORTS,
            Perm.VIEW_AUDIT,
        }
    ),
    Role.VICE_PRINCIPAL: frozenset(_READ | {Perm.PRINT, Perm.VIEW_REPORTS, Perm.VIEW_AUDIT}),
    # R14.1–R14.2: the admins grant permissions and lock/unlock on the principal's recorded request.
    Role.SCHOOL_ADMIN: frozenset(
        _READ
        | {
            Perm.EDIT_STUDENT,
            Perm.IMPORT_MARKS,
            Perm.LOCK_BOOK,
            Perm.PRINT,
            Perm.MANAGE_ACCOUNTS,
            Perm.MANAGE_SCHOOL_YEAR,
            Perm.VIEW_REPORTS,  # R14.6: admins answer for mark entry (the progress page)
            Perm.VIEW_AUDIT,
        }
    ),
    Role.OFFICE_CLERK: frozenset({Perm.VIEW_UNIT, Perm.VIEW_CLASS, Perm.VIEW_STUDENT, Perm.PRINT}),
    Role.INSPECTOR: frozenset(_READ | {Perm.VIEW_REPORTS, Perm.VIEW_AUDIT}),
    # Teachers and parents: narrowed to their own classes / child by the access helpers.
    Role.SUBJECT_TEACHER: frozenset(
        {
            Perm.VIEW_CLASS,
            Perm.VIEW_STUDENT,
            Perm.VIEW_MARKS,
            Perm.ENTER_MARKS,
            Perm.REQUEST_CORRECTION,
        }
    ),
    Role.HOMEROOM_TEACHER: frozenset(
        {
            Perm.VIEW_CLASS,
            Perm.VIEW_STUDENT,
            Perm.VIEW_MARKS,
            Perm.EDIT_STUDENT,
            Perm.ENTER_HOMEROOM,
        }
    ),
    Role.PARENT: frozenset({Perm.VIEW_STUDENT, Perm.VIEW_MARKS}),
}

# Roles whose rights reach every class of the unit they are granted over.
UNIT_WIDE_ROLES = frozenset(
    {
        Role.PROVINCE_OFFICER,
        Role.DISTRICT_OFFICER,
        Role.PRINCIPAL,
        Role.VICE_PRINCIPAL,
        Role.SCHOOL_ADMIN,
        Role.OFFICE_CLERK,
        Role.INSPECTOR,
    }
)
# Read-only roles never write, whatever a permission table says (R15.3).
READ_ONLY_ROLES = frozenset({Role.INSPECTOR, Role.PARENT})
