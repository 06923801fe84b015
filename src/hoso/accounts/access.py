"""One answer to "may this user do this to that?", and fetch-and-authorize helpers.

A user's scope is computed once per request (a handful of queries, whatever the data size) and
cached on the user object: the units each role reaches (expanded down the tree on that day), the
classes they are homeroom teacher of, the (group, subject) pairs they teach and the children they
are parent of. Every view, API endpoint, import and export asks through here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from hoso.academics.models import (
    Enrollment,
    EnrollmentStatus,
    SchoolClass,
    Student,
    TeachingAssignment,
)
from hoso.accounts.grants import GRANT_AUTHORITY, GRANTABLE_ROLES
from hoso.accounts.models import ParentLink, Role, RoleAssignment, User
from hoso.accounts.permissions import READ_ONLY_ROLES, ROLE_PERMISSIONS, UNIT_WIDE_ROLES, Perm
from hoso.core.errors import NotFoundError
from hoso.core.ids import id_lookup
from hoso.organizations.models import Unit, UnitKind
from hoso.organizations.selectors import today, unit_ids_under

# Views pass ``request.user``, which may be anonymous: every helper answers "nothing" for it.
Actor = User | AnonymousUser

_WRITE_PERMS = frozenset(
    {
        Perm.EDIT_STUDENT,
        Perm.ENTER_MARKS,
        Perm.IMPORT_MARKS,
        Perm.ENTER_HOMEROOM,
        Perm.LOCK_BOOK,
        Perm.APPROVE_CORRECTION,
        Perm.REQUEST_CORRECTION,
        Perm.MANAGE_ACCOUNTS,
        Perm.MANAGE_SCHOOL_YEAR,
    }
)


@dataclass
class Scope:
    """What one user reaches on one day."""

    roles: set[Role] = field(default_factory=set)
    # unit id (every unit below a grant, schools included) → permissions there
    unit_perms: dict[int, set[Perm]] = field(default_factory=lambda: defaultdict(set))
    # roles granted directly on a unit (for the home page: "Hiệu trưởng — Trường …")
    grants: list[RoleAssignment] = field(default_factory=list)
    homeroom_class_ids: set[int] = field(default_factory=set)
    # (teaching group id, subject id) the user teaches; the classes those groups draw from
    teaching_pairs: set[tuple[int, int]] = field(default_factory=set)
    teaching_class_ids: set[int] = field(default_factory=set)
    child_student_ids: set[int] = field(default_factory=set)

    def unit_allows(self, unit_id: int, perm: Perm) -> bool:
        return perm in self.unit_perms.get(unit_id, ())

    @property
    def school_ids(self) -> set[int]:
        return set(self.unit_perms)


def scope_of(user: Actor, *, on: dt.date | None = None) -> Scope:
    """The user's scope (cached on the user object for the request)."""
    day = on or today()
    cache_key = f"_hoso_scope_{day.isoformat()}"
    cached: Scope | None = getattr(user, cache_key, None)
    if cached is not None:
        return cached
    scope = Scope()
    if isinstance(user, User) and user.is_active:
        _fill_scope(user, day, scope)
    setattr(user, cache_key, scope)
    return scope


def _fill_scope(user: User, day: dt.date, scope: Scope) -> None:
    grants = list(
        RoleAssignment.objects.filter(user=user, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("unit")
    )
    scope.grants = grants
    for grant in grants:
        role = Role(grant.role)
        scope.roles.add(role)
        perms = set(ROLE_PERMISSIONS[role])
        if role in READ_ONLY_ROLES:
            perms -= _WRITE_PERMS
        if role in UNIT_WIDE_ROLES:
            for unit_id in unit_ids_under([grant.unit_id], on=day):
                scope.unit_perms[unit_id] |= perms
    if Role.HOMEROOM_TEACHER in scope.roles or Role.SUBJECT_TEACHER in scope.roles:
        teacher_schools = {
            g.unit_id for g in grants if g.role in (Role.HOMEROOM_TEACHER, Role.SUBJECT_TEACHER)
        }
        if Role.HOMEROOM_TEACHER in scope.roles:
            scope.homeroom_class_ids = set(
                SchoolClass.objects.filter(
                    homeroom_teacher=user, school_id__in=teacher_schools
                ).values_list("id", flat=True)
            )
        if Role.SUBJECT_TEACHER in scope.roles:
            assignments = TeachingAssignment.objects.filter(
                teacher=user, school_id__in=teacher_schools
            ).values_list("group_id", "subject_id", "group__school_class_id")
            group_ids = set()
            for group_id, subject_id, class_id in assignments:
                scope.teaching_pairs.add((group_id, subject_id))
                group_ids.add(group_id)
                if class_id is not None:
                    scope.teaching_class_ids.add(class_id)
            # Groups drawn from several classes reach the classes of their members.
            scope.teaching_class_ids |= set(
                Enrollment.objects.filter(teaching_groups__id__in=group_ids).values_list(
                    "school_class_id", flat=True
                )
            )
    if Role.PARENT in scope.roles:
        scope.child_student_ids = set(
            ParentLink.objects.filter(parent=user).values_list("student_id", flat=True)
        )


def _class_perms(scope: Scope, school_class: SchoolClass) -> set[Perm]:
    perms = set(scope.unit_perms.get(school_class.school_id, ()))
    if school_class.id in scope.homeroom_class_ids:
        perms |= ROLE_PERMISSIONS[Role.HOMEROOM_TEACHER]
    if school_class.id in scope.teaching_class_ids:
        perms |= {Perm.VIEW_CLASS, Perm.VIEW_STUDENT}
    return perms


def can(user: Actor, perm: Perm, obj: Unit | SchoolClass | Student | TeachingAssignment) -> bool:
    """May ``user`` do ``perm`` to ``obj`` today?"""
    if not isinstance(user, User) or not user.is_active:
        return False
    scope = scope_of(user)
    if isinstance(obj, Unit):
        return scope.unit_allows(obj.id, perm)
    if isinstance(obj, SchoolClass):
        return perm in _class_perms(scope, obj)
    if isinstance(obj, TeachingAssignment):
        if (obj.group_id, obj.subject_id) in scope.teaching_pairs and obj.teacher_id == user.id:
            return perm in ROLE_PERMISSIONS[Role.SUBJECT_TEACHER]
        return scope.unit_allows(obj.school_id, perm)
    # A student: through the school or class of an open enrolment, or as the parent's child.
    if obj.id in scope.child_student_ids and perm in ROLE_PERMISSIONS[Role.PARENT]:
        return True
    enrollments = Enrollment.objects.filter(
        student=obj, status=EnrollmentStatus.STUDYING
    ).select_related("school_class")
    return any(perm in _class_perms(scope, e.school_class) for e in enrollments)


def classes_visible(user: Actor, *, year_id: int | None = None) -> QuerySet[SchoolClass]:
    """The classes a user may see (optionally of one school year), in school/grade/name order."""
    scope = scope_of(user)
    school_ids = {uid for uid, perms in scope.unit_perms.items() if Perm.VIEW_CLASS in perms}
    condition = (
        Q(school_id__in=school_ids)
        | Q(id__in=scope.homeroom_class_ids)
        | Q(id__in=scope.teaching_class_ids)
    )
    queryset = SchoolClass.objects.filter(condition).select_related("school", "year")
    if year_id is not None:
        queryset = queryset.filter(year_id=year_id)
    return queryset.order_by("school__code", "grade", "name")


def schools_visible(user: Actor) -> QuerySet[Unit]:
    """The schools a user may see: those under their grants, and the schools they teach in."""
    scope = scope_of(user)
    ids = set(scope.unit_perms)
    ids |= {g.unit_id for g in scope.grants}
    return Unit.objects.filter(id__in=ids, kind=UnitKind.SCHOOL).order_by("code")


def access_class(user: Actor, class_id: int | str, perm: Perm) -> SchoolClass:
    """The class, if ``user`` may do ``perm`` to it; otherwise ``NotFoundError`` — the same
    answer as for a class that does not exist, so ids of other schools reveal nothing."""
    school_class = (
        SchoolClass.objects.select_related("school", "year").filter(**id_lookup(class_id)).first()
    )
    if school_class is None or not can(user, perm, school_class):
        raise NotFoundError()
    return school_class


def access_unit(user: Actor, unit_id: int | str, perm: Perm) -> Unit:
    unit = Unit.objects.filter(**id_lookup(unit_id)).first()
    if unit is None or not can(user, perm, unit):
        raise NotFoundError()
    return unit


def access_school(user: Actor, school_id: int | str, perm: Perm) -> Unit:
    """The school, if ``user`` may do ``perm`` to it; ``NotFoundError`` for any other unit (a
    district office's id in a school URL) as for one out of scope."""
    unit = access_unit(user, school_id, perm)
    if unit.kind != UnitKind.SCHOOL:
        raise NotFoundError()
    return unit


def is_principal_of(user: Actor, school: Unit) -> bool:
    """Whether ``user`` holds the principal's role on that school today (R4.4, R11)."""
    return any(g.role == Role.PRINCIPAL and g.unit_id == school.id for g in scope_of(user).grants)


# --- Who may grant what (issue 8; R11.1, R11.2, R14.1, R15.3) -------------------------------


def _grants_covering(user: User, unit_id: int, *, on: dt.date | None = None) -> list[Role]:
    """The roles of ``user`` granted over ``unit_id`` or a unit above it, today."""
    day = on or today()
    roles = []
    for grant in scope_of(user, on=day).grants:
        if grant.role in GRANTABLE_ROLES and unit_id in unit_ids_under([grant.unit_id], on=day):
            roles.append(Role(grant.role))
    return roles


def may_grant(user: Actor, role: Role, unit: Unit, *, manage: bool = True) -> bool:
    """Whether ``user`` may give ``role`` over ``unit``: only a role listed for one of their own
    roles over that unit, whose permissions stay inside that role's authority — nobody grants a
    role wider than their own. ``manage`` also requires the right to manage accounts there (the
    homeroom teacher links parents without it). System administrators (superusers) may all."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if manage and not scope_of(user).unit_allows(unit.id, Perm.MANAGE_ACCOUNTS):
        return False
    return any(
        role in GRANTABLE_ROLES[grantor] and ROLE_PERMISSIONS[role] <= GRANT_AUTHORITY[grantor]
        for grantor in _grants_covering(user, unit.id)
    )


def roles_grantable(user: Actor, unit: Unit) -> list[Role]:
    """The roles ``user`` may grant over ``unit`` (for the forms), in the order of ``Role``."""
    return [role for role in Role if may_grant(user, role, unit)]


def units_managed(user: Actor) -> QuerySet[Unit]:
    """The units whose accounts ``user`` manages: the schools and offices of their grants that
    carry ``MANAGE_ACCOUNTS`` (an office also reaches the units below it)."""
    if not isinstance(user, User) or not user.is_active:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.order_by("kind", "code")
    scope = scope_of(user)
    ids = {uid for uid, perms in scope.unit_perms.items() if Perm.MANAGE_ACCOUNTS in perms}
    return Unit.objects.filter(id__in=ids).order_by("kind", "code")


def may_manage_account(user: Actor, account: User) -> bool:
    """Whether ``user`` may disable, enable or change the roles of ``account``: never their own
    account, and only if every current or future role of it is one they could grant — an admin
    does not disable the principal, a school does not disable a teacher's rights elsewhere. An
    account without any role belongs to the unit that created it (``home_unit``)."""
    if not isinstance(user, User) or not user.is_active or account.pk == user.pk:
        return False
    if user.is_superuser:
        return True
    if account.is_superuser or account.is_staff:
        return False
    day = today()
    grants = [
        g
        for g in RoleAssignment.objects.filter(user=account).select_related("unit")
        if g.valid_to is None or g.valid_to >= day
    ]
    if not grants:
        return account.home_unit_id is not None and scope_of(user).unit_allows(
            account.home_unit_id, Perm.MANAGE_ACCOUNTS
        )
    return all(may_grant(user, Role(g.role), g.unit) for g in grants)


def access_account(user: Actor, account_uuid: str) -> User:
    """The account, if ``user`` manages it; ``NotFoundError`` otherwise (as for one that does not
    exist)."""
    account = User.objects.filter(uuid=account_uuid).select_related("home_unit").first()
    if account is None or not may_manage_account(user, account):
        raise NotFoundError()
    return account
