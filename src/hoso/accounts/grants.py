"""Who may grant which role, and over what (issue 8; R11.1, R11.2, R14.1, R15.3).

Kept beside the permission vocabulary (:mod:`hoso.accounts.permissions`) and checked by
:func:`hoso.accounts.access.may_grant` at every grant and by tests/security.
"""

from __future__ import annotations

from hoso.accounts.models import Role
from hoso.accounts.permissions import ROLE_PERMISSIONS, Perm

# Who may hand out which role (R11.1, R11.2, R14.1, R15.3). Nobody grants a role wider than their
# own: every role listed for a grantor has a permission set inside the grantor's authority
# (``GRANT_AUTHORITY``, checked again at every grant and by tests/security). The principal
# appoints the admin team (R11.1); admins manage the other accounts (R14.1) but not one
# another's; an office manages its own officers and grants inspectors for a period (R15.3).
# Principals and officers themselves are created by the system administrators (R7.2).
GRANTABLE_ROLES: dict[Role, frozenset[Role]] = {
    Role.PROVINCE_OFFICER: frozenset(
        {Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER, Role.INSPECTOR}
    ),
    Role.DISTRICT_OFFICER: frozenset({Role.DISTRICT_OFFICER, Role.INSPECTOR}),
    Role.PRINCIPAL: frozenset(
        {
            Role.VICE_PRINCIPAL,
            Role.SCHOOL_ADMIN,
            Role.OFFICE_CLERK,
            Role.SUBJECT_TEACHER,
            Role.HOMEROOM_TEACHER,
            Role.PARENT,
        }
    ),
    Role.SCHOOL_ADMIN: frozenset(
        {Role.OFFICE_CLERK, Role.SUBJECT_TEACHER, Role.HOMEROOM_TEACHER, Role.PARENT}
    ),
    # R12.8: the homeroom teacher links the parents of their own class (``parent_link_create``).
    Role.HOMEROOM_TEACHER: frozenset({Role.PARENT}),
}

# The permissions a role may hand out: its own, plus — for the school's leadership — the
# teaching rights that every teacher's narrower assignment is carved from (a principal answers
# for every entry of the school, R11.5, without entering marks themselves); for an office, the
# reading of the audit trail an inspection needs (R15.3).
_TEACHING = {Perm.ENTER_MARKS, Perm.REQUEST_CORRECTION, Perm.ENTER_HOMEROOM}
GRANT_AUTHORITY: dict[Role, frozenset[Perm]] = {
    Role.PROVINCE_OFFICER: ROLE_PERMISSIONS[Role.PROVINCE_OFFICER] | {Perm.VIEW_AUDIT},
    Role.DISTRICT_OFFICER: ROLE_PERMISSIONS[Role.DISTRICT_OFFICER] | {Perm.VIEW_AUDIT},
    Role.PRINCIPAL: ROLE_PERMISSIONS[Role.PRINCIPAL] | _TEACHING | {Perm.IMPORT_MARKS},
    Role.SCHOOL_ADMIN: ROLE_PERMISSIONS[Role.SCHOOL_ADMIN] | _TEACHING,
    Role.HOMEROOM_TEACHER: ROLE_PERMISSIONS[Role.HOMEROOM_TEACHER],
}

# Roles an office grants over units below it; every other grantable role goes on the grantor's own
# unit (a principal's school, an office's own office).
OFFICE_ROLES = frozenset({Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER})
