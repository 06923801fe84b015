"""What the home page lists for a person: their roles, and what each lets them do, in scope.

``home_sections`` returns plain data, one section per role assignment, so the template only lays
it out. Every kind of row (classes, schools, assignments, children) is read at most once for the
whole page, whatever the number of roles, schools or classes: the page costs a fixed number of
queries (tests/web/test_queries.py holds it to that).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hoso.academics.models import (
    Enrollment,
    EnrollmentStatus,
    SchoolClass,
    SchoolYear,
    TeachingAssignment,
    TeachingGroup,
)
from hoso.academics.selectors import classes_with_counts, school_year_current
from hoso.accounts.access import Actor, Scope, scope_of
from hoso.accounts.home_links import account_links
from hoso.accounts.models import ParentLink, Role, RoleAssignment, User
from hoso.accounts.permissions import READ_ONLY_ROLES, ROLE_PERMISSIONS, Perm
from hoso.organizations.models import Unit, UnitKind, UnitLink
from hoso.organizations.selectors import today

# Order of the sections: leadership first, as a school reads its own organisation chart.
ROLE_ORDER = list(Role)

# Keyed by the permission's dotted value (a ``Perm`` hashes as its value), so a label can be
# written before the permission lands; tests/web/test_home.py checks every ``Perm`` has one.
PERM_LABELS: dict[str, Promise] = {
    Perm.VIEW_UNIT: _("Xem thông tin đơn vị"),
    Perm.VIEW_CLASS: _("Xem danh sách lớp"),
    Perm.VIEW_STUDENT: _("Xem hồ sơ học sinh"),
    Perm.EDIT_STUDENT: _("Cập nhật hồ sơ học sinh"),
    Perm.VIEW_MARKS: _("Xem điểm và kết quả đánh giá"),
    Perm.ENTER_MARKS: _("Nhập điểm các môn được phân công"),
    "marks.import": _("Nhập điểm từ tệp Excel thay cho giáo viên"),
    Perm.ENTER_HOMEROOM: _("Nhập chuyên cần, đánh giá, nhận xét của lớp chủ nhiệm"),
    Perm.LOCK_BOOK: _("Khoá và mở khoá sổ theo dõi và đánh giá"),
    Perm.APPROVE_CORRECTION: _("Duyệt đề nghị sửa điểm"),
    Perm.REQUEST_CORRECTION: _("Gửi đề nghị sửa điểm"),
    Perm.PRINT: _("In sổ, học bạ và biểu mẫu"),
    Perm.MANAGE_ACCOUNTS: _("Quản lý tài khoản và phân quyền"),
    Perm.MANAGE_SCHOOL_YEAR: _("Quản lý năm học, lớp và phân công"),
    Perm.VIEW_REPORTS: _("Xem báo cáo, thống kê"),
    Perm.VIEW_AUDIT: _("Xem nhật ký hệ thống"),
}
# A parent reaches one child only; the generic wording ("hồ sơ học sinh") would overstate it.
PARENT_LABELS: dict[str, Promise] = {
    Perm.VIEW_STUDENT: _("Xem hồ sơ của con"),
    Perm.VIEW_MARKS: _("Xem kết quả học tập của con"),
}

# What a read-only role keeps of its table (the rest is writing).
READ_PERMS = frozenset(
    {
        Perm.VIEW_UNIT,
        Perm.VIEW_CLASS,
        Perm.VIEW_STUDENT,
        Perm.VIEW_MARKS,
        Perm.VIEW_REPORTS,
        Perm.VIEW_AUDIT,
        Perm.PRINT,
    }
)
SCHOOL_ROLES = frozenset(
    {Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.SCHOOL_ADMIN, Role.OFFICE_CLERK}
)
OFFICE_ROLES = frozenset({Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER})


@dataclass
class ClassRow:
    name: str
    url: str
    grade: int
    student_count: int | None = None
    homeroom_teacher: str = ""


@dataclass
class GradeGroup:
    grade: int
    classes: list[ClassRow]


@dataclass
class SchoolRow:
    name: str
    code: str
    url: str | None
    student_count: int | None = None
    grades: list[GradeGroup] = field(default_factory=list)
    locks_url: str | None = None  # the principal's locks and deadlines page (R4.4, R4.5)
    progress_url: str | None = None  # who has entered, submitted, is late (issue 5)

    @property
    def class_count(self) -> int:
        return sum(len(group.classes) for group in self.grades)


@dataclass
class UnitGroup:
    """A unit between the grant and its schools (a district office under the province)."""

    name: str
    schools: list[SchoolRow]

    @property
    def student_count(self) -> int:
        return sum(school.student_count or 0 for school in self.schools)


@dataclass
class AssignmentRow:
    subject: str
    group: str
    classes: list[ClassRow]  # the class of the group, or the classes a mixed group draws from
    grid_urls: list[tuple[str, str]] = field(default_factory=list)  # (HK I, url), (HK II, url)


@dataclass
class ChildRow:
    name: str
    date_of_birth: dt.date | None
    class_name: str
    school_name: str


@dataclass
class HomeSection:
    role: Role
    role_label: str
    unit_name: str
    # Which block of the template lays the section out.
    kind: str
    capabilities: list[Promise]
    read_only: bool = False
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    school: SchoolRow | None = None
    schools: list[SchoolRow] = field(default_factory=list)
    unit_groups: list[UnitGroup] = field(default_factory=list)
    assignments: list[AssignmentRow] = field(default_factory=list)
    classes: list[ClassRow] = field(default_factory=list)
    children: list[ChildRow] = field(default_factory=list)
    # Corrections, the mark-edit log and the audit trail (issue 6), by role.
    links: list[tuple[Promise, str]] = field(default_factory=list)


def capabilities_of(role: Role) -> list[Promise]:
    perms = ROLE_PERMISSIONS[role]
    labels = PARENT_LABELS if role == Role.PARENT else PERM_LABELS
    return [
        labels.get(perm) or PERM_LABELS[perm]
        for perm in Perm
        # Inspectors and parents never write (R15.3), whatever the table grants; a permission
        # still without a label is left out rather than shown as its code.
        if perm in perms
        and (role not in READ_ONLY_ROLES or perm in READ_PERMS)
        and perm in PERM_LABELS
    ]


def workflow_links(role: Role) -> list[tuple[Promise, str]]:
    """Where a role's section links for corrections and the audit trail (no query)."""
    links: list[tuple[Promise, str]] = []
    if role in (Role.SUBJECT_TEACHER, Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.SCHOOL_ADMIN):
        links.append((_("Đề nghị sửa điểm"), reverse("corrections")))
        links.append((_("Nhật kí sửa điểm"), reverse("edit-log")))
    if Perm.VIEW_AUDIT in ROLE_PERMISSIONS[role]:
        links.append((_("Nhật ký hệ thống"), reverse("audit-browse")))
    if Perm.PRINT in ROLE_PERMISSIONS[role]:  # R6.1: the office prints books and transcripts
        links.append((_("In sổ, học bạ"), reverse("printing-index")))
    return links


def _class_url(school_class: SchoolClass) -> str:
    return reverse("class-detail", args=[school_class.uuid])


def _school_url(unit: Unit) -> str:
    return reverse("school-detail", args=[unit.uuid])


def _grade_groups(classes: list[ClassRow]) -> list[GradeGroup]:
    by_grade: dict[int, list[ClassRow]] = defaultdict(list)
    for row in classes:
        by_grade[row.grade].append(row)
    return [GradeGroup(grade, rows) for grade, rows in sorted(by_grade.items())]


def _class_row(school_class: SchoolClass, *, with_teacher: bool = True) -> ClassRow:
    # Only the class lists load the homeroom teacher; reading it elsewhere costs a query a row.
    teacher = school_class.homeroom_teacher if with_teacher else None
    return ClassRow(
        name=school_class.name,
        url=_class_url(school_class),
        grade=school_class.grade,
        student_count=getattr(school_class, "student_count", None),
        homeroom_teacher=teacher.display_name if teacher else "",
    )


@dataclass
class _Tree:
    """The units in the user's scope today and who hangs under whom (one query)."""

    units: dict[int, Unit]
    children: dict[int, list[int]]

    @classmethod
    def load(cls, scope: Scope, day: dt.date) -> _Tree:
        ids = set(scope.unit_perms)
        units = {grant.unit_id: grant.unit for grant in scope.grants}
        children: dict[int, list[int]] = defaultdict(list)
        if ids:
            links = (
                UnitLink.objects.filter(child_id__in=ids, parent_id__in=ids, valid_from__lte=day)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
                .select_related("child")
            )
            for link in links:
                units[link.child_id] = link.child
                children[link.parent_id].append(link.child_id)
        for child_ids in children.values():
            child_ids.sort(key=lambda unit_id: (units[unit_id].kind, units[unit_id].code))
        return cls(units, children)

    def schools_under(self, unit_id: int) -> list[Unit]:
        """The schools at or below a unit (the unit itself if it is a school), by code."""
        found: list[Unit] = []
        stack = [unit_id]
        seen: set[int] = set()
        while stack:
            current = stack.pop()
            if current in seen or current not in self.units:
                continue
            seen.add(current)
            if self.units[current].kind == UnitKind.SCHOOL:
                found.append(self.units[current])
            stack.extend(self.children.get(current, ()))
        return sorted(found, key=lambda unit: unit.code)


class _Loader:
    """Reads each kind of row once for the whole page, for every section that needs it."""

    def __init__(self, user: User, scope: Scope, year: SchoolYear | None) -> None:
        self.user = user
        self.scope = scope
        self.year = year
        self.tree = _Tree.load(scope, today())

    def school_classes(self, school_ids: set[int]) -> dict[int, list[ClassRow]]:
        rows: dict[int, list[ClassRow]] = defaultdict(list)
        for school_class in classes_with_counts(school_ids=school_ids, year=self.year):
            rows[school_class.school_id].append(_class_row(school_class))
        return rows

    def school_student_counts(self, school_ids: set[int]) -> dict[int, int]:
        if self.year is None or not school_ids:
            return {}
        counts = (
            Enrollment.objects.filter(
                school_id__in=school_ids, year=self.year, status=EnrollmentStatus.STUDYING
            )
            .values("school_id")
            .annotate(total=Count("id"))
        )
        return {row["school_id"]: row["total"] for row in counts}

    def assignments(self, school_ids: set[int]) -> dict[int, list[AssignmentRow]]:
        if self.year is None or not school_ids:
            return {}
        assignments = list(
            TeachingAssignment.objects.filter(
                teacher=self.user, school_id__in=school_ids, year=self.year
            )
            .select_related("subject", "group", "group__school_class")
            .order_by("group__name", "subject__position")
        )
        # A group drawn from several classes (an elective) lists the classes of its members.
        mixed = {a.group_id for a in assignments if a.group.school_class_id is None}
        member_classes: dict[int, dict[int, SchoolClass]] = defaultdict(dict)
        if mixed:
            memberships = TeachingGroup.members.through.objects.filter(
                teachinggroup_id__in=mixed
            ).select_related("enrollment__school_class")
            for membership in memberships:
                school_class = membership.enrollment.school_class
                member_classes[membership.teachinggroup_id][school_class.id] = school_class
        rows: dict[int, list[AssignmentRow]] = defaultdict(list)
        for assignment in assignments:
            group = assignment.group
            if group.school_class is not None:
                classes = [group.school_class]
            else:
                classes = sorted(member_classes[group.id].values(), key=lambda c: c.name)
            rows[assignment.school_id].append(
                AssignmentRow(
                    subject=assignment.subject.name,
                    group=group.name,
                    classes=[_class_row(c, with_teacher=False) for c in classes],
                    # Primary books have no mark grid yet (levels, not ĐĐG columns).
                    grid_urls=[]
                    if assignment.subject.grade <= 5
                    else [
                        (label, reverse("mark-grid", args=[assignment.uuid, semester]))
                        for semester, label in ((1, "HK I"), (2, "HK II"))
                    ],
                )
            )
        return rows

    def homeroom_classes(self, school_ids: set[int]) -> dict[int, list[ClassRow]]:
        rows: dict[int, list[ClassRow]] = defaultdict(list)
        if not school_ids:
            return rows
        for school_class in classes_with_counts(school_ids=school_ids, year=self.year).filter(
            homeroom_teacher=self.user
        ):
            row = _class_row(school_class)
            row.url = reverse("homeroom-hub", args=[school_class.uuid])  # the book (issue 5)
            rows[school_class.school_id].append(row)
        return rows

    def children(self) -> list[tuple[int | None, ChildRow]]:
        links = ParentLink.objects.filter(parent=self.user).select_related("student")
        links = links.prefetch_related(
            Prefetch(
                "student__enrollments",
                queryset=Enrollment.objects.filter(status=EnrollmentStatus.STUDYING)
                .select_related("school_class", "school")
                .order_by("-year__start_date"),
                to_attr="open_enrollments",
            )
        )
        found = []
        for link in links:
            student = link.student
            current = student.open_enrollments[0] if student.open_enrollments else None  # type: ignore[attr-defined]
            found.append(
                (
                    current.school_id if current else None,
                    ChildRow(
                        name=student.full_name,
                        date_of_birth=student.date_of_birth,
                        class_name=current.school_class.name if current else "",
                        school_name=current.school.name if current else "",
                    ),
                )
            )
        return found


def home_sections(user: User, *, year: SchoolYear | None) -> list[HomeSection]:
    """One section per role assignment valid today, leadership first; classes and teaching
    assignments are those of ``year``."""
    scope = scope_of(user)
    grants = sorted(scope.grants, key=lambda g: (ROLE_ORDER.index(Role(g.role)), g.unit.code, g.id))
    loader = _Loader(user, scope, year)

    def schools_of(roles: frozenset[Role]) -> set[int]:
        return {
            school.id
            for grant in grants
            if grant.role in roles
            for school in loader.tree.schools_under(grant.unit_id)
        }

    # Teachers' grants are not unit-wide: their school is the grant's unit itself.
    teacher_schools = {
        g.unit_id for g in grants if g.role in (Role.SUBJECT_TEACHER, Role.HOMEROOM_TEACHER)
    }
    needs = {Role(g.role) for g in grants}
    class_rows = loader.school_classes(schools_of(SCHOOL_ROLES)) if needs & SCHOOL_ROLES else {}
    office_schools = schools_of(OFFICE_ROLES | {Role.INSPECTOR})
    counts = loader.school_student_counts(office_schools) if office_schools else {}
    assignments = loader.assignments(teacher_schools) if Role.SUBJECT_TEACHER in needs else {}
    homeroom = loader.homeroom_classes(teacher_schools) if Role.HOMEROOM_TEACHER in needs else {}
    children = loader.children() if Role.PARENT in needs else []

    def school_row(unit: Unit, *, with_classes: bool = False) -> SchoolRow:
        return SchoolRow(
            name=unit.name,
            code=unit.code,
            url=_school_url(unit) if scope.unit_allows(unit.id, Perm.VIEW_UNIT) else None,
            student_count=counts.get(unit.id, 0) if not with_classes else None,
            grades=_grade_groups(class_rows.get(unit.id, [])) if with_classes else [],
            locks_url=(
                reverse("school-locks", args=[unit.uuid])
                if with_classes and scope.unit_allows(unit.id, Perm.LOCK_BOOK)
                else None
            ),
            progress_url=(
                reverse("school-progress", args=[unit.uuid])
                if scope.unit_allows(unit.id, Perm.VIEW_REPORTS)
                else None
            ),
        )

    sections = []
    for grant in grants:
        role = Role(grant.role)
        section = HomeSection(
            role=role,
            role_label=grant.get_role_display(),
            unit_name=grant.unit.name,
            kind="",
            capabilities=capabilities_of(role),
            read_only=role in READ_ONLY_ROLES,
            valid_from=grant.valid_from if role == Role.INSPECTOR else None,
            valid_to=grant.valid_to if role == Role.INSPECTOR else None,
        )
        if role in SCHOOL_ROLES:
            section.kind = "school"
            schools = loader.tree.schools_under(grant.unit_id)
            if len(schools) == 1:
                section.school = school_row(schools[0], with_classes=True)
            else:
                section.schools = [school_row(s, with_classes=True) for s in schools]
        elif role in OFFICE_ROLES:
            section.kind = "office"
            _fill_office(section, grant, loader.tree, school_row)
        elif role == Role.INSPECTOR:
            section.kind = "inspector"
            section.schools = [school_row(s) for s in loader.tree.schools_under(grant.unit_id)]
        elif role == Role.SUBJECT_TEACHER:
            section.kind = "teacher"
            section.assignments = assignments.get(grant.unit_id, [])
        elif role == Role.HOMEROOM_TEACHER:
            section.kind = "homeroom"
            section.classes = homeroom.get(grant.unit_id, [])
        elif role == Role.PARENT:
            section.kind = "parent"
            section.children = [
                child
                for school_id, child in children
                # A parent granted on a school sees the children there; on a wider unit, all.
                if not grant.unit.is_school or school_id in (grant.unit_id, None)
            ]
        section.links = workflow_links(role) + account_links(user, grant)
        if scope.unit_allows(grant.unit_id, Perm.VIEW_REPORTS):
            section.links.append(
                (_("Thống kê"), reverse("unit-statistics", args=[grant.unit.uuid]))
            )
        sections.append(section)
    return sections


def _fill_office(
    section: HomeSection,
    grant: RoleAssignment,
    tree: _Tree,
    school_row: Callable[[Unit], SchoolRow],
) -> None:
    """Schools directly under the office, then one group per unit in between (a district office
    under the province), each with its schools — whatever the depth of the tree."""
    for child_id in tree.children.get(grant.unit_id, []):
        child = tree.units[child_id]
        if child.kind == UnitKind.SCHOOL:
            section.schools.append(school_row(child))
        else:
            section.unit_groups.append(
                UnitGroup(child.name, [school_row(s) for s in tree.schools_under(child_id)])
            )
    if grant.unit.kind == UnitKind.SCHOOL:
        section.schools.append(school_row(grant.unit))


def home_context(user: Actor) -> dict[str, Any]:
    year = school_year_current()
    sections = home_sections(user, year=year) if isinstance(user, User) else []
    return {"sections": sections, "year": year}
