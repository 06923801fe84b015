"""Reads of the accounts app, scoped by the caller (each in a fixed number of queries)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from hoso.academics.models import Enrollment, SchoolClass, Student
from hoso.accounts.access import Actor, scope_of
from hoso.accounts.models import (
    AnomalyReport,
    AnomalyStatus,
    LoginRecord,
    ParentLink,
    Role,
    RoleAssignment,
    User,
    UserSession,
)
from hoso.accounts.permissions import Perm
from hoso.core.errors import NotFoundError
from hoso.organizations.models import Unit
from hoso.organizations.selectors import today, unit_ids_under


def _current(queryset: QuerySet[RoleAssignment], day: dt.date) -> QuerySet[RoleAssignment]:
    return queryset.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def accounts_of_unit(unit: Unit) -> list[User]:
    """The accounts of a school or office: those it created, and those holding a current or
    future role on it; each with ``current_roles`` (2 queries)."""
    day = today()
    roles = _current(RoleAssignment.objects.filter(unit=unit), day).order_by("role", "valid_from")
    users = (
        User.objects.filter(Q(home_unit=unit) | Q(role_assignments__in=roles))
        .distinct()
        .order_by("username")
        .prefetch_related(Prefetch("role_assignments", queryset=roles, to_attr="current_roles"))
    )
    return list(users)


def role_assignments_of(account: User) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.filter(user=account)
        .select_related("unit", "granted_by")
        .order_by("-valid_from", "role")
    )


def locked_usernames(usernames: list[str]) -> set[str]:
    """Which of these accounts django-axes holds locked out now."""
    from axes.models import AccessAttempt

    limit = int(settings.AXES_FAILURE_LIMIT)
    attempts = AccessAttempt.objects.filter(username__in=usernames, failures_since_start__gte=limit)
    cooloff = settings.AXES_COOLOFF_TIME
    if cooloff:
        from django.utils import timezone

        attempts = attempts.filter(
            attempt_time__gte=timezone.now() - dt.timedelta(hours=float(cooloff))
        )
    return set(attempts.values_list("username", flat=True))


def login_history(user: User, *, limit: int = 30) -> list[LoginRecord]:
    return list(LoginRecord.objects.filter(user=user).order_by("-occurred_at", "-id")[:limit])


def sessions_open(user: User) -> list[UserSession]:
    return list(
        UserSession.objects.filter(user=user, ended_at__isnull=True).order_by("-created_at")
    )


def _managed_unit_ids(actor: Actor) -> set[int]:
    scope = scope_of(actor)
    return {uid for uid, perms in scope.unit_perms.items() if Perm.MANAGE_ACCOUNTS in perms}


def sessions_flagged(actor: Actor, *, limit: int = 100) -> list[UserSession]:
    """Sessions opened while the same account was in use from another address (R8.1), of the
    accounts whose home unit or roles are in the units ``actor`` manages."""
    ids = _managed_unit_ids(actor)
    if not ids:
        return []
    day = today()
    holders = _current(RoleAssignment.objects.filter(unit_id__in=ids), day).values("user_id")
    return list(
        UserSession.objects.filter(flagged=True)
        .filter(Q(user__home_unit_id__in=ids) | Q(user_id__in=holders))
        .select_related("user")
        .order_by("-created_at")[:limit]
    )


def anomaly_reports_for(actor: Actor, *, limit: int = 200) -> list[AnomalyReport]:
    """Anomaly reports of the units where ``actor`` manages accounts (principal, admins, R8.5)."""
    ids = _managed_unit_ids(actor)
    if not ids:
        return []
    return list(
        AnomalyReport.objects.filter(school_id__in=ids)
        .select_related("reporter", "school")
        .order_by("-created_at")[:limit]
    )


def anomaly_new_count(actor: Actor) -> int:
    ids = _managed_unit_ids(actor)
    if not ids:
        return 0
    return AnomalyReport.objects.filter(school_id__in=ids, status=AnomalyStatus.NEW).count()


def access_anomaly_report(actor: Actor, report_uuid: str) -> AnomalyReport:
    report = AnomalyReport.objects.filter(uuid=report_uuid).select_related("school").first()
    if report is None or report.school_id not in _managed_unit_ids(actor):
        raise NotFoundError()
    return report


def inspector_grants_for(actor: Actor) -> list[RoleAssignment]:
    """Inspector roles over units inside the offices ``actor`` manages (R15.3)."""
    ids = _managed_unit_ids(actor)
    if not ids:
        return []
    return list(
        RoleAssignment.objects.filter(role=Role.INSPECTOR, unit_id__in=ids)
        .select_related("user", "unit", "granted_by")
        .order_by("-valid_to", "user__username")
    )


def units_for_inspection(actor: Actor) -> list[Unit]:
    """The units an officer may put an inspector over: their office and every unit below it."""
    ids: set[int] = set()
    for grant in scope_of(actor).grants:
        if grant.role in (Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER):
            ids |= set(unit_ids_under([grant.unit_id]))
    return list(Unit.objects.filter(id__in=ids).order_by("kind", "code"))


# --- The parent's page (R12.8) --------------------------------------------------------------


@dataclass
class SubjectMarks:
    subject: str
    regular: list[str] = field(default_factory=list)
    midterm: str = ""
    final: str = ""
    comment: str = ""  # the subject teacher's comment for the semester


@dataclass
class SemesterMarks:
    number: int
    subjects: list[SubjectMarks]
    comment: str = ""  # the homeroom teacher's comment for the semester
    report_card: bool = False  # every mark of the semester is published: the card can be printed


@dataclass
class YearMarks:
    year: str
    class_name: str
    school_name: str
    semesters: list[SemesterMarks]
    comment: str = ""  # the homeroom teacher's comment for the whole year


@dataclass
class ChildReport:
    student: Student
    years: list[YearMarks]


def _mark_text(value: Decimal | None, comment: str) -> str:
    from hoso.core.formatting import decimal_vi

    if value is not None:
        return decimal_vi(value)
    return comment


def access_child(actor: Actor, student_uuid: str) -> Student:
    """The student, if ``actor`` is a parent linked to them; ``NotFoundError`` otherwise."""
    scope = scope_of(actor)
    student = Student.objects.filter(uuid=student_uuid).first()
    if (
        student is None
        or Role.PARENT not in scope.roles
        or student.id not in scope.child_student_ids
    ):
        raise NotFoundError()
    return student


def child_report(student: Student) -> ChildReport:
    """The child's submitted (published) marks, by year, semester and subject, with the teachers'
    comments — never another child's, never a ranking (R12.8). Drafts are the teacher's work in
    progress and stay hidden; the report card of a semester is offered once none is left."""
    from hoso.assessment.models import Mark, MarkKind, MarkState, StudentComment

    enrollments = list(
        Enrollment.objects.filter(student=student)
        .select_related("year", "school_class", "school")
        .order_by("year__start_date")
    )
    marks = (
        Mark.objects.filter(enrollment__student=student, state=MarkState.SUBMITTED)
        .select_related("subject")
        .order_by("subject__position", "subject__name", "semester", "kind", "index")
    )
    by_enrollment: dict[int, dict[int, dict[str, SubjectMarks]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for mark in marks:
        subjects = by_enrollment[mark.enrollment_id][mark.semester]
        row = subjects.setdefault(mark.subject.name, SubjectMarks(subject=mark.subject.name))
        text = _mark_text(mark.value, mark.comment)
        if mark.kind == MarkKind.REGULAR:
            row.regular.append(text)
        elif mark.kind == MarkKind.MIDTERM:
            row.midterm = text
        else:
            row.final = text
    general: dict[tuple[int, int], str] = {}
    comments = (
        StudentComment.objects.filter(enrollment__student=student)
        .exclude(text="")
        .select_related("subject")
        .order_by("subject__position", "subject__name")
    )
    for comment in comments:
        if comment.subject is None:
            general[(comment.enrollment_id, comment.semester)] = comment.text
            continue
        subjects = by_enrollment[comment.enrollment_id][comment.semester]
        name = comment.subject.name
        subjects.setdefault(name, SubjectMarks(subject=name)).comment = comment.text
    for enrollment_id, semester in general:
        if semester in (1, 2):
            by_enrollment[enrollment_id].setdefault(semester, {})
    drafts = set(
        Mark.objects.filter(enrollment__student=student, state=MarkState.DRAFT)
        .values_list("enrollment_id", "semester")
        .distinct()
    )
    years = []
    for enrollment in enrollments:
        semesters = by_enrollment.get(enrollment.id, {})
        years.append(
            YearMarks(
                year=enrollment.year.name,
                class_name=enrollment.school_class.name,
                school_name=enrollment.school.name,
                semesters=[
                    SemesterMarks(
                        number,
                        list(subjects.values()),
                        comment=general.get((enrollment.id, number), ""),
                        report_card=(enrollment.id, number) not in drafts
                        and any(row.final or row.regular for row in subjects.values()),
                    )
                    for number, subjects in sorted(semesters.items())
                    if number in (1, 2)
                ],
                comment=general.get((enrollment.id, 3), ""),
            )
        )
    return ChildReport(student=student, years=years)


def child_report_card_enrollment(student: Student, year_name: str, semester: int) -> Enrollment:
    """The enrolment whose semester report card a parent may print: the year's class, with every
    mark of the semester published (R12.8: drafts stay hidden). ``NotFoundError`` otherwise."""
    from hoso.assessment.models import Mark, MarkState

    enrollment = (
        Enrollment.objects.filter(student=student, year__name=year_name)
        .select_related("year", "school_class", "school_class__year", "school")
        .order_by("-id")
        .first()
    )
    if enrollment is None or semester not in (1, 2):
        raise NotFoundError()
    marks = Mark.objects.filter(enrollment=enrollment, semester=semester)
    if marks.filter(state=MarkState.DRAFT).exists() or not marks.exists():
        raise NotFoundError("Phiếu liên lạc của học kì này chưa được công bố.")
    return enrollment


def homeroom_class_for_parents(actor: Actor, class_uuid: str) -> SchoolClass:
    """The class, if ``actor`` is its homeroom teacher or manages the school's accounts."""
    scope = scope_of(actor)
    school_class = (
        SchoolClass.objects.filter(uuid=class_uuid).select_related("school", "year").first()
    )
    if school_class is None:
        raise NotFoundError()
    allowed = school_class.id in scope.homeroom_class_ids or scope.unit_allows(
        school_class.school_id, Perm.MANAGE_ACCOUNTS
    )
    if not allowed:
        raise NotFoundError()
    return school_class


def class_parent_links(school_class: SchoolClass) -> list[tuple[Enrollment, list[ParentLink]]]:
    from hoso.academics.selectors import class_roster

    enrollments = list(class_roster(school_class))
    links: dict[int, list[ParentLink]] = defaultdict(list)
    for link in ParentLink.objects.filter(
        student_id__in=[e.student_id for e in enrollments]
    ).select_related("parent"):
        links[link.student_id].append(link)
    return [(e, links.get(e.student_id, [])) for e in enrollments]
