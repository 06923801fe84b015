"""Who may decide and apply corrections, and which path (R4.6a or R4.3) is open on a day.

The end-of-semester test date is read from the principal's end-of-term entry period
(``EntryDeadline`` of kind ``final``): its ``opens_on`` is the first day end-of-term marks may be
entered, i.e. the day of the end-of-semester test. R4.6a closes one week before it: the last day
to file a request under R4.6a is ``opens_on − 7 days``. When the school has not set that period,
R4.6a stays open until the book is locked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from hoso.academics.models import SchoolClass, SchoolYear
from hoso.accounts.access import Actor, is_principal_of, scope_of
from hoso.accounts.models import Role, RoleAssignment, User
from hoso.assessment.locks import lock_covering, open_locks
from hoso.assessment.models import DeadlineKind, EntryDeadline
from hoso.organizations.models import Unit
from hoso.workflow.models import (
    ApplyMode,
    ApprovalDelegation,
    CorrectionPath,
    WorkflowSettings,
)

R46A_CLOSES_DAYS_BEFORE_TEST = 7  # R4.6a: "chậm nhất trước một tuần kiểm tra cuối kì"


def has_role_at(user: Actor, role: Role, school: Unit) -> bool:
    return any(g.role == role and g.unit_id == school.id for g in scope_of(user).grants)


def is_school_admin(user: Actor, school: Unit) -> bool:
    return has_role_at(user, Role.SCHOOL_ADMIN, school)


def role_holders(school: Unit, role: Role, *, on: dt.date) -> QuerySet[User]:
    """Accounts holding ``role`` on ``school`` that day (for the "admin in charge" list)."""
    ids = (
        RoleAssignment.objects.filter(unit=school, role=role, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .values("user_id")
    )
    return User.objects.filter(id__in=ids, is_active=True).order_by("full_name", "username")


def active_delegation(user: Actor, school: Unit, *, on: dt.date) -> ApprovalDelegation | None:
    """The principal's delegation in force for this vice principal that day, if any. A
    delegation lapses with the vice principal's role and with the delegating principal's."""
    if not isinstance(user, User) or not has_role_at(user, Role.VICE_PRINCIPAL, school):
        return None
    delegation = (
        ApprovalDelegation.objects.filter(
            school=school, delegate=user, valid_from__lte=on, revoked_at__isnull=True
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )
    if delegation is None:
        return None
    principal_still = (
        RoleAssignment.objects.filter(
            user_id=delegation.principal_id, unit=school, role=Role.PRINCIPAL, valid_from__lte=on
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .exists()
    )
    return delegation if principal_still else None


def may_approve(user: Actor, school: Unit, *, on: dt.date) -> bool:
    """R4.3: the principal's consent — the principal, or a vice principal the principal
    delegated to."""
    return is_principal_of(user, school) or active_delegation(user, school, on=on) is not None


def apply_mode(school: Unit) -> str:
    row = WorkflowSettings.objects.filter(school=school).first()
    return row.apply_mode if row is not None else ApplyMode.ON_APPROVAL


def r46a_last_day(*, school: Unit, year: SchoolYear, semester: int) -> dt.date | None:
    """The last day a request may be filed under R4.6a, or ``None`` when the school has not set
    the end-of-term period of that semester (module docstring)."""
    deadline = EntryDeadline.objects.filter(
        school=school, year=year, semester=semester, kind=DeadlineKind.FINAL
    ).first()
    if deadline is None or deadline.opens_on is None:
        return None
    return deadline.opens_on - dt.timedelta(days=R46A_CLOSES_DAYS_BEFORE_TEST)


def open_path(
    *,
    school: Unit,
    year: SchoolYear,
    semester: int,
    classes: Iterable[SchoolClass],
    on: dt.date,
) -> tuple[str, dt.date | None]:
    """The path open that day for marks of these classes, and R4.6a's last day: R4.6a until its
    last day while the book is not locked; R4.3 after it, or once the book is locked (R4.6b)."""
    last_day = r46a_last_day(school=school, year=year, semester=semester)
    if last_day is not None and on > last_day:
        return CorrectionPath.CORRECTION_RECORD, last_day
    locks = open_locks(school_id=school.id, year_id=year.id)
    if any(lock_covering(locks, school_class=c, semester=semester) for c in classes):
        return CorrectionPath.CORRECTION_RECORD, last_day
    return CorrectionPath.TEACHER_REQUEST, last_day
