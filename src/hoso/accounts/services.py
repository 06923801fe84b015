"""Writes of the accounts app: accounts, roles, assignments, parent links, sessions, reports.

Every service is keyword-only, takes the acting user, checks permission inside, runs in one
transaction and records exactly one audit event (R11.2, R14.1, R8.1, R8.5, R12.8, R15.3). The
rule that governs all grants: nobody grants a role wider than their own
(:func:`hoso.accounts.access.may_grant`).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import IO

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hoso.academics.models import (
    Enrollment,
    EnrollmentStatus,
    SchoolClass,
    Student,
    Subject,
    TeachingAssignment,
    TeachingGroup,
)
from hoso.accounts import errors
from hoso.accounts.access import (
    Actor,
    may_grant,
    may_manage_account,
    scope_of,
)
from hoso.accounts.errors import AccountError
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
from hoso.audit import registry
from hoso.audit.selectors import audit_home_unit
from hoso.audit.services import ClientInfo, audit_record
from hoso.core.errors import NotFoundError, PermissionDeniedError
from hoso.organizations.models import Unit, UnitKind
from hoso.organizations.selectors import today

ACCOUNTS_BULK_CREATED = registry.register(
    "accounts.bulk_created", "Tạo nhiều tài khoản từ tệp Excel"
)
TEACHING_ASSIGNED = registry.register("accounts.teaching_assigned", "Phân công giảng dạy")
TEACHING_UNASSIGNED = registry.register("accounts.teaching_unassigned", "Bỏ phân công giảng dạy")
HOMEROOM_ASSIGNED = registry.register("accounts.homeroom_assigned", "Phân công chủ nhiệm")
PARENT_LINKED = registry.register("accounts.parent_linked", "Liên kết phụ huynh với học sinh")
LOCKOUT_RESET = registry.register("accounts.lockout_reset", "Mở khóa đăng nhập sau nhiều lần sai")
OTP_ENABLED = registry.register("accounts.otp_enabled", "Bật xác thực hai bước")
OTP_RESET = registry.register("accounts.otp_reset", "Đặt lại xác thực hai bước")
CONCURRENT_SESSION = registry.register(
    "accounts.concurrent_session", "Đăng nhập đồng thời từ địa chỉ khác"
)
SESSIONS_ENDED = registry.register("accounts.sessions_ended", "Đăng xuất các phiên khác")
ANOMALY_REPORTED = registry.register("anomaly.reported", "Báo cáo bất thường")
ANOMALY_SEEN = registry.register("anomaly.seen", "Đã xem báo cáo bất thường")
INSPECTOR_VIEWED = registry.register("inspector.viewed", "Thanh tra xem trang")

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,149}$")
# Without look-alikes (0/O, 1/l/I): the temporary password is read off a printed sheet.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TEMP_PASSWORD_LENGTH = 12
BULK_MAX_ROWS = 1000
# A role and the kind of unit it is granted over.
ROLE_UNIT_KINDS: dict[Role, frozenset[str]] = {
    Role.PROVINCE_OFFICER: frozenset({UnitKind.PROVINCE}),
    Role.DISTRICT_OFFICER: frozenset({UnitKind.DISTRICT}),
    Role.INSPECTOR: frozenset({UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.SCHOOL}),
}
_SCHOOL_ONLY = frozenset({UnitKind.SCHOOL})
ROLE_UNIT_MISMATCH = "Vai trò «{role}» không cấp được tại {unit}."


@dataclass(frozen=True)
class CreatedAccount:
    """A new account and, once, the temporary password to hand over (never stored in clear)."""

    user: User
    password: str


def temporary_password() -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(TEMP_PASSWORD_LENGTH))


def _require_user(actor: Actor) -> User:
    if not isinstance(actor, User) or not actor.is_active:
        raise PermissionDeniedError()
    return actor


def _check_grant(actor: User, role: Role, unit: Unit, *, manage: bool = True) -> None:
    kinds = ROLE_UNIT_KINDS.get(role, _SCHOOL_ONLY)
    if unit.kind not in kinds:
        raise AccountError(ROLE_UNIT_MISMATCH.format(role=role.label, unit=unit.name))
    if not may_grant(actor, role, unit, manage=manage):
        raise AccountError(errors.ROLE_TOO_WIDE.format(role=role.label, unit=unit.name))


def _check_dates(role: Role, valid_from: dt.date, valid_to: dt.date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise AccountError(errors.DATES_ORDER)
    if role == Role.INSPECTOR and valid_to is None:
        raise AccountError(errors.INSPECTOR_NEEDS_END)


def _check_username(username: str) -> str:
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise AccountError(errors.USERNAME_INVALID.format(username=username))
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(errors.USERNAME_TAKEN.format(username=username))
    return username


def _password_problems(password: str, user: User) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [str(message) for message in error.messages]
    return []


def _new_user(
    *,
    unit: Unit,
    username: str,
    full_name: str,
    email: str,
    phone: str,
    password: str | None,
) -> CreatedAccount:
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        home_unit=unit,
        password_change_required=True,
    )
    chosen = password or temporary_password()
    problems = _password_problems(chosen, user)
    if problems:
        raise AccountError(problems=problems)
    user.set_password(chosen)
    user.save()
    return CreatedAccount(user=user, password=chosen)


def account_create(
    *,
    actor: Actor,
    unit: Unit,
    username: str,
    full_name: str,
    role: Role,
    password: str | None = None,
    email: str = "",
    phone: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    client: ClientInfo | None = None,
) -> CreatedAccount:
    """A new personal account of ``unit`` with its first role (R11.2). Without ``password`` a
    temporary one is generated; either way it must be changed at the first login."""
    user = _require_user(actor)
    role = Role(role)
    _check_grant(user, role, unit)
    start = valid_from or today()
    _check_dates(role, start, valid_to)
    if not full_name.strip():
        raise AccountError(errors.FULL_NAME_REQUIRED)
    with transaction.atomic():
        created = _new_user(
            unit=unit,
            username=_check_username(username),
            full_name=full_name,
            email=email,
            phone=phone,
            password=password,
        )
        RoleAssignment.objects.create(
            user=created.user,
            role=role,
            unit=unit,
            valid_from=start,
            valid_to=valid_to,
            granted_by=user,
        )
        audit_record(
            actor=user,
            action="accounts.created",
            unit=unit,
            target=created.user,
            summary=f"Tạo tài khoản {created.user.username} ({role.label})",
            changes=[
                {"object": created.user.username, "field": "role", "old": None, "new": role},
                {"object": created.user.username, "field": "unit", "old": None, "new": unit.code},
            ],
            client=client,
        )
    return created


def _account_unit(account: User) -> Unit | None:
    return account.home_unit or audit_home_unit(user=account)


def _end_sessions(account: User, *, keep: str | None = None) -> int:
    """End the account's open sessions (all but ``keep``): their session rows are deleted, so the
    next request of each finds itself logged out."""
    from django.contrib.sessions.models import Session

    open_sessions = UserSession.objects.filter(user=account, ended_at__isnull=True)
    if keep:
        open_sessions = open_sessions.exclude(session_key=keep)
    keys = list(open_sessions.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    return open_sessions.update(ended_at=timezone.now())


def account_disable(
    *, actor: Actor, account: User, reason: str = "", client: ClientInfo | None = None
) -> User:
    """Disable an account (it cannot log in; its roles and history stay) and end its sessions."""
    user = _require_user(actor)
    if account.pk == user.pk:
        raise AccountError(errors.CANNOT_CHANGE_SELF)
    if not may_manage_account(user, account):
        raise NotFoundError()
    if not account.is_active:
        raise AccountError(errors.ALREADY_DISABLED)
    with transaction.atomic():
        account.is_active = False
        account.save(update_fields=["is_active"])
        _end_sessions(account)
        audit_record(
            actor=user,
            action="accounts.disabled",
            unit=_account_unit(account),
            target=account,
            summary=f"Khóa tài khoản {account.username}",
            changes=[{"object": account.username, "field": "is_active", "old": True, "new": False}],
            reason=reason,
            client=client,
        )
    return account


def account_enable(*, actor: Actor, account: User, client: ClientInfo | None = None) -> User:
    user = _require_user(actor)
    if not may_manage_account(user, account):
        raise NotFoundError()
    if account.is_active:
        raise AccountError(errors.ALREADY_ENABLED)
    with transaction.atomic():
        account.is_active = True
        account.save(update_fields=["is_active"])
        audit_record(
            actor=user,
            action="accounts.enabled",
            unit=_account_unit(account),
            target=account,
            summary=f"Mở khóa tài khoản {account.username}",
            changes=[{"object": account.username, "field": "is_active", "old": False, "new": True}],
            client=client,
        )
    return account


def role_grant(
    *,
    actor: Actor,
    account: User,
    role: Role,
    unit: Unit,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    note: str = "",
    client: ClientInfo | None = None,
) -> RoleAssignment:
    """Give ``account`` a role over ``unit`` (an inspector's for a period, R15.3)."""
    user = _require_user(actor)
    role = Role(role)
    if account.pk == user.pk and not user.is_superuser:
        raise AccountError(errors.CANNOT_CHANGE_SELF)
    _check_grant(user, role, unit)
    start = valid_from or today()
    _check_dates(role, start, valid_to)
    if not may_manage_account(user, account):
        raise NotFoundError()
    day = today()
    current = RoleAssignment.objects.filter(user=account, role=role, unit=unit).exclude(
        valid_to__lt=day
    )
    if current.exists():
        raise AccountError(errors.ROLE_ALREADY_HELD.format(role=role.label, unit=unit.name))
    with transaction.atomic():
        assignment = RoleAssignment.objects.create(
            user=account,
            role=role,
            unit=unit,
            valid_from=start,
            valid_to=valid_to,
            granted_by=user,
            note=note.strip(),
        )
        audit_record(
            actor=user,
            action="accounts.role_granted",
            unit=unit,
            target=assignment,
            summary=f"Cấp vai trò {role.label} tại {unit.code} cho {account.username}",
            changes=[
                {"object": account.username, "field": "role", "old": None, "new": role},
                {"object": account.username, "field": "valid_from", "old": None, "new": start},
                {"object": account.username, "field": "valid_to", "old": None, "new": valid_to},
            ],
            client=client,
        )
    return assignment


def role_revoke(
    *, actor: Actor, assignment: RoleAssignment, client: ClientInfo | None = None
) -> None:
    """End a role: it stops yesterday (the row stays, so who held what when stays known), or is
    removed if it had not started yet."""
    user = _require_user(actor)
    role = Role(assignment.role)
    if assignment.user_id == user.pk and not user.is_superuser:
        raise AccountError(errors.CANNOT_CHANGE_SELF)
    if not may_grant(user, role, assignment.unit):
        raise NotFoundError()
    day = today()
    yesterday = day - dt.timedelta(days=1)
    old_to = assignment.valid_to
    with transaction.atomic():
        if assignment.valid_from > yesterday:
            assignment_id = assignment.pk
            assignment.delete()
            new_to: dt.date | None = None
        else:
            assignment_id = assignment.pk
            assignment.valid_to = yesterday
            assignment.save(update_fields=["valid_to", "updated_at"])
            new_to = yesterday
        audit_record(
            actor=user,
            action="accounts.role_revoked",
            unit=assignment.unit,
            target_type="accounts.roleassignment",
            target_id=str(assignment_id),
            summary=f"Thu hồi vai trò {role.label} tại {assignment.unit.code} "
            f"của {assignment.user.username}",
            changes=[
                {
                    "object": assignment.user.username,
                    "field": "valid_to",
                    "old": old_to,
                    "new": new_to,
                },
            ],
            client=client,
        )


def _ensure_role(actor: User, teacher: User, role: Role, school: Unit) -> RoleAssignment | None:
    """Give ``teacher`` the teaching ``role`` at ``school`` when they lack it (in the caller's
    transaction and event); they must already belong to the school in some way."""
    day = today()
    held = RoleAssignment.objects.filter(user=teacher, role=role, unit=school).exclude(
        valid_to__lt=day
    )
    if held.exists():
        return None
    belongs = teacher.home_unit_id == school.id or (
        RoleAssignment.objects.filter(user=teacher, unit=school).exclude(valid_to__lt=day).exists()
    )
    if not belongs:
        raise AccountError(errors.TEACHER_NOT_OF_SCHOOL.format(name=teacher.display_name))
    _check_grant(actor, role, school)
    return RoleAssignment.objects.create(
        user=teacher, role=role, unit=school, valid_from=day, granted_by=actor
    )


def teaching_assign(
    *,
    actor: Actor,
    teacher: User,
    subject: Subject,
    group: TeachingGroup,
    client: ClientInfo | None = None,
) -> TeachingAssignment:
    """Assign ``teacher`` to teach ``subject`` to ``group`` (R4.1: they then enter its marks)."""
    user = _require_user(actor)
    school = group.school
    if not scope_of(user).unit_allows(school.id, Perm.MANAGE_ACCOUNTS) and not user.is_superuser:
        raise NotFoundError()
    school_class = group.school_class
    if school_class is not None and (
        subject.grade != school_class.grade or subject.programme != school_class.programme
    ):
        raise AccountError(
            errors.SUBJECT_NOT_OF_GRADE.format(subject=subject.name, grade=school_class.grade)
        )
    if TeachingAssignment.objects.filter(teacher=teacher, subject=subject, group=group).exists():
        raise AccountError(errors.ASSIGNMENT_EXISTS)
    with transaction.atomic():
        granted = _ensure_role(user, teacher, Role.SUBJECT_TEACHER, school)
        assignment = TeachingAssignment.objects.create(
            school=school, year=group.year, teacher=teacher, subject=subject, group=group
        )
        changes = [
            {
                "object": teacher.username,
                "field": "teaching",
                "old": None,
                "new": f"{subject.name} — {group.name}",
            },
        ]
        if granted is not None:
            changes.append(
                {
                    "object": teacher.username,
                    "field": "role",
                    "old": None,
                    "new": Role.SUBJECT_TEACHER,
                }
            )
        audit_record(
            actor=user,
            action=TEACHING_ASSIGNED,
            unit=school,
            target=assignment,
            summary=f"Phân công {teacher.username} dạy {subject.name} nhóm {group.name}",
            changes=changes,
            school_year=group.year.name,
            client=client,
        )
    return assignment


def teaching_unassign(
    *, actor: Actor, assignment: TeachingAssignment, client: ClientInfo | None = None
) -> None:
    user = _require_user(actor)
    if (
        not scope_of(user).unit_allows(assignment.school_id, Perm.MANAGE_ACCOUNTS)
        and not user.is_superuser
    ):
        raise NotFoundError()
    label = f"{assignment.subject.name} — {assignment.group.name}"
    with transaction.atomic():
        assignment_id = assignment.pk
        assignment.delete()
        audit_record(
            actor=user,
            action=TEACHING_UNASSIGNED,
            unit=assignment.school,
            target_type="academics.teachingassignment",
            target_id=str(assignment_id),
            summary=f"Bỏ phân công {assignment.teacher.username}: {label}",
            changes=[
                {
                    "object": assignment.teacher.username,
                    "field": "teaching",
                    "old": label,
                    "new": None,
                }
            ],
            client=client,
        )


def homeroom_assign(
    *,
    actor: Actor,
    school_class: SchoolClass,
    teacher: User | None,
    client: ClientInfo | None = None,
) -> SchoolClass:
    """Name (or clear, with ``teacher=None``) the homeroom teacher of a class."""
    user = _require_user(actor)
    school = school_class.school
    if not scope_of(user).unit_allows(school.id, Perm.MANAGE_ACCOUNTS) and not user.is_superuser:
        raise NotFoundError()
    old = school_class.homeroom_teacher
    with transaction.atomic():
        granted = _ensure_role(user, teacher, Role.HOMEROOM_TEACHER, school) if teacher else None
        school_class.homeroom_teacher = teacher
        school_class.save(update_fields=["homeroom_teacher", "updated_at"])
        changes = [
            {
                "object": f"lớp {school_class.name}",
                "field": "homeroom_teacher",
                "old": old.username if old else None,
                "new": teacher.username if teacher else None,
            },
        ]
        if granted is not None and teacher is not None:
            changes.append(
                {
                    "object": teacher.username,
                    "field": "role",
                    "old": None,
                    "new": Role.HOMEROOM_TEACHER,
                }
            )
        audit_record(
            actor=user,
            action=HOMEROOM_ASSIGNED,
            unit=school,
            target=school_class,
            summary=f"Phân công chủ nhiệm lớp {school_class.name}: "
            f"{teacher.username if teacher else '—'}",
            changes=changes,
            school_year=school_class.year.name,
            client=client,
        )
    return school_class


# --- Bulk creation from the school's staff list (Excel) -------------------------------------

BULK_COLUMNS = ("Tên đăng nhập", "Họ và tên", "Vai trò", "Email", "Điện thoại")
_REQUIRED_COLUMNS = BULK_COLUMNS[:3]


def _role_from_text(text: str) -> Role | None:
    wanted = text.strip().casefold()
    for role in Role:
        if wanted in (role.value, str(role.label).casefold()):
            return role
    return None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed as a number
    return str(value).strip()


def accounts_bulk_create_from_excel(
    *, actor: Actor, unit: Unit, file: IO[bytes], client: ClientInfo | None = None
) -> list[CreatedAccount]:
    """Create the accounts listed in a workbook (the template of :func:`bulk_template`): all or
    nothing. Every problem is reported at once, naming its row and column, in Vietnamese."""
    import openpyxl

    user = _require_user(actor)
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    except Exception as error:
        raise AccountError(errors.EXCEL_UNREADABLE) from error
    if not rows:
        raise AccountError(errors.EXCEL_NO_ROWS)
    header = [_cell_text(cell) for cell in rows[0]]
    positions: dict[str, int] = {}
    problems: list[str] = []
    for column in BULK_COLUMNS:
        if column in header:
            positions[column] = header.index(column)
        elif column in _REQUIRED_COLUMNS:
            problems.append(errors.EXCEL_MISSING_COLUMN.format(column=column))
    if problems:
        raise AccountError(problems=problems)
    data_rows = [
        (number, row)
        for number, row in enumerate(rows[1:], start=2)
        if any(_cell_text(cell) for cell in row)
    ]
    if not data_rows:
        raise AccountError(errors.EXCEL_NO_ROWS)
    if len(data_rows) > BULK_MAX_ROWS:
        raise AccountError(errors.EXCEL_TOO_MANY_ROWS.format(limit=BULK_MAX_ROWS))

    def cell(row: tuple[object, ...], column: str) -> str:
        index = positions.get(column)
        return _cell_text(row[index]) if index is not None and index < len(row) else ""

    def problem(number: int, column: str, message: str) -> None:
        problems.append(errors.EXCEL_CELL.format(row=number, column=column, message=message))

    wanted: list[tuple[str, str, list[Role], str, str]] = []
    seen: dict[str, int] = {}
    taken = {
        name.lower()
        for name in User.objects.filter(
            username__in=[cell(row, "Tên đăng nhập").lower() for _, row in data_rows]
        ).values_list("username", flat=True)
    }
    for number, row in data_rows:
        username = cell(row, "Tên đăng nhập").lower()
        full_name = cell(row, "Họ và tên")
        role_texts = [t for t in re.split(r"[;,]", cell(row, "Vai trò")) if t.strip()]
        if not USERNAME_RE.match(username):
            problem(number, "Tên đăng nhập", errors.USERNAME_INVALID.format(username=username))
        elif username in seen:
            problems.append(
                errors.EXCEL_DUPLICATE.format(
                    row=number, column="Tên đăng nhập", username=username, other=seen[username]
                )
            )
        elif username in taken:
            problem(number, "Tên đăng nhập", errors.USERNAME_TAKEN.format(username=username))
        seen.setdefault(username, number)
        if not full_name:
            problem(number, "Họ và tên", errors.FULL_NAME_REQUIRED)
        roles: list[Role] = []
        if not role_texts:
            problem(number, "Vai trò", errors.ROLE_UNKNOWN.format(role=""))
        for text in role_texts:
            role = _role_from_text(text)
            if role is None:
                problem(number, "Vai trò", errors.ROLE_UNKNOWN.format(role=text.strip()))
                continue
            try:
                _check_grant(user, role, unit)
            except AccountError as error:
                problem(number, "Vai trò", error.message)
                continue
            roles.append(role)
        wanted.append((username, full_name, roles, cell(row, "Email"), cell(row, "Điện thoại")))
    if problems:
        raise AccountError(problems=problems)

    created: list[CreatedAccount] = []
    day = today()
    with transaction.atomic():
        for username, full_name, roles, email, phone in wanted:
            account = _new_user(
                unit=unit,
                username=username,
                full_name=full_name,
                email=email,
                phone=phone,
                password=None,
            )
            RoleAssignment.objects.bulk_create(
                RoleAssignment(
                    user=account.user, role=r, unit=unit, valid_from=day, granted_by=user
                )
                for r in roles
            )
            created.append(account)
        audit_record(
            actor=user,
            action=ACCOUNTS_BULK_CREATED,
            unit=unit,
            target_type="organizations.unit",
            target_id=str(unit.pk),
            summary=f"Tạo {len(created)} tài khoản từ tệp Excel",
            changes=[
                {
                    "object": a.user.username,
                    "field": "role",
                    "old": None,
                    "new": ", ".join(r.value for r in roles),
                }
                for a, (_, _, roles, _, _) in zip(created, wanted, strict=True)
            ],
            client=client,
        )
    return created


def bulk_template() -> bytes:
    """The workbook a school fills in: the header row, one example row, the roles it may use."""
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Tài khoản"
    sheet.append(list(BULK_COLUMNS))
    sheet.append(["nguyenvan.a", "Nguyễn Văn A", "Giáo viên bộ môn", "", ""])
    for column, width in zip("ABCDE", (22, 28, 36, 28, 16), strict=True):
        sheet.column_dimensions[column].width = width
    roles = workbook.create_sheet("Vai trò")
    roles.append(["Vai trò (ghi đúng một trong các tên sau; nhiều vai trò cách nhau bởi ;)"])
    for role in Role:
        roles.append([str(role.label)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Passwords, lock-out, second factor -----------------------------------------------------


def password_reset(*, actor: Actor, account: User, client: ClientInfo | None = None) -> str:
    """A new temporary password for ``account`` (shown once to the admin; changed at login)."""
    user = _require_user(actor)
    if not may_manage_account(user, account):
        raise NotFoundError()
    password = temporary_password()
    with transaction.atomic():
        account.set_password(password)
        account.password_change_required = True
        account.save(update_fields=["password", "password_change_required"])
        _end_sessions(account)
        audit_record(
            actor=user,
            action="accounts.password_reset",
            unit=_account_unit(account),
            target=account,
            summary=f"Đặt lại mật khẩu của {account.username}",
            client=client,
        )
    return password


def password_changed(*, actor: Actor, client: ClientInfo | None = None) -> None:
    """Record that the person changed their own password (the form has set it)."""
    user = _require_user(actor)
    with transaction.atomic():
        if user.password_change_required:
            user.password_change_required = False
            user.save(update_fields=["password_change_required"])
        audit_record(
            actor=user,
            action="accounts.password_changed",
            unit=audit_home_unit(user=user),
            target=user,
            summary=f"Đổi mật khẩu: {user.username}",
            client=client,
        )


def lockout_reset(*, actor: Actor, account: User, client: ClientInfo | None = None) -> int:
    """Lift a lock-out after repeated wrong passwords (django-axes); the number of failed
    attempts cleared."""
    from axes.models import AccessAttempt

    user = _require_user(actor)
    if not may_manage_account(user, account):
        raise NotFoundError()
    with transaction.atomic():
        cleared, _ = AccessAttempt.objects.filter(username=account.username).delete()
        audit_record(
            actor=user,
            action=LOCKOUT_RESET,
            unit=_account_unit(account),
            target=account,
            summary=f"Mở khóa đăng nhập của {account.username}",
            client=client,
        )
    return cleared


def otp_device_confirm(
    *, actor: Actor, key_hex: str, token: str, client: ClientInfo | None = None
) -> bool:
    """Confirm a new TOTP device when ``token`` matches ``key_hex``; replaces older devices."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = _require_user(actor)
    device = TOTPDevice(user=user, name="Ứng dụng xác thực", key=key_hex, confirmed=False)
    if not token.strip().isdigit() or not device.verify_token(token.strip()):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.save()
        audit_record(
            actor=user,
            action=OTP_ENABLED,
            unit=audit_home_unit(user=user),
            target=user,
            summary=f"Bật xác thực hai bước: {user.username}",
            client=client,
        )
    return True


def otp_reset(*, actor: Actor, account: User, client: ClientInfo | None = None) -> None:
    """Remove the second-factor devices of ``account`` (a lost phone): they set up a new one at
    their next login."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = _require_user(actor)
    if not may_manage_account(user, account):
        raise NotFoundError()
    with transaction.atomic():
        TOTPDevice.objects.filter(user=account).delete()
        _end_sessions(account)
        audit_record(
            actor=user,
            action=OTP_RESET,
            unit=_account_unit(account),
            target=account,
            summary=f"Đặt lại xác thực hai bước của {account.username}",
            client=client,
        )


# --- Sessions and login history (R8.1) ------------------------------------------------------


def login_record(*, user: User | None, username: str, success: bool, client: ClientInfo) -> None:
    """One line of the login history (the audit trail records the same login as an event)."""
    LoginRecord.objects.create(
        user=user,
        username=username[:150],
        occurred_at=timezone.now(),
        ip_address=client.ip,
        user_agent=client.user_agent[:300],
        success=success,
    )


def _session_alive(session: UserSession, now: dt.datetime, idle: int, age: int) -> bool:
    return (now - session.last_seen).total_seconds() < idle and (
        now - session.created_at
    ).total_seconds() < age


def session_start(
    *, user: User, session_key: str, client: ClientInfo, idle_seconds: int, max_age: int
) -> UserSession:
    """Record a new session; flag it (and record an event) when another session of the same
    account is active from another address (R8.1: no shared accounts)."""
    now = timezone.now()
    with transaction.atomic():
        others = [
            s
            for s in UserSession.objects.select_for_update().filter(
                user=user, ended_at__isnull=True
            )
            if s.session_key != session_key
        ]
        stale = [s.pk for s in others if not _session_alive(s, now, idle_seconds, max_age)]
        if stale:
            UserSession.objects.filter(pk__in=stale).update(ended_at=now)
        addresses = sorted(
            {s.ip_address for s in others if s.pk not in stale and s.ip_address != client.ip}
        )
        session, _ = UserSession.objects.update_or_create(
            session_key=session_key,
            defaults={
                "user": user,
                "ip_address": client.ip,
                "user_agent": client.user_agent[:300],
                "created_at": now,
                "last_seen": now,
                "ended_at": None,
                "flagged": bool(addresses),
                "other_addresses": ", ".join(addresses)[:300],
            },
        )
        if addresses:
            audit_record(
                actor=user,
                action=CONCURRENT_SESSION,
                unit=audit_home_unit(user=user),
                target=user,
                summary=f"{user.username} đăng nhập từ {client.ip or '?'} trong khi đang có "
                f"phiên từ {', '.join(addresses)}",
                changes=[
                    {
                        "object": user.username,
                        "field": "other_addresses",
                        "old": None,
                        "new": ", ".join(addresses),
                    }
                ],
                client=client,
            )
    return session


def session_end(*, session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )


def sessions_end_others(
    *, actor: Actor, session: SessionBase, client: ClientInfo | None = None
) -> int:
    """ "Đăng xuất các phiên khác": end every other session of the person's account."""
    user = _require_user(actor)
    with transaction.atomic():
        ended = _end_sessions(user, keep=session.session_key)
        audit_record(
            actor=user,
            action=SESSIONS_ENDED,
            unit=audit_home_unit(user=user),
            target=user,
            summary=f"{user.username} đăng xuất {ended} phiên khác",
            client=client,
        )
    return ended


# --- Parents (R12.8) ------------------------------------------------------------------------


@dataclass(frozen=True)
class ParentLinkResult:
    link: ParentLink
    created: CreatedAccount | None  # a new parent account and its temporary password


def parent_link_create(
    *,
    actor: Actor,
    student: Student,
    parent_username: str,
    parent_full_name: str = "",
    relation: str = "",
    client: ClientInfo | None = None,
) -> ParentLinkResult:
    """The homeroom teacher (or the school's account managers) links a parent account to a
    student of their class; an unknown username creates the parent account of the school."""
    user = _require_user(actor)
    scope = scope_of(user)
    enrollment = (
        Enrollment.objects.filter(student=student, status=EnrollmentStatus.STUDYING)
        .select_related("school_class", "school")
        .order_by("-year__start_date")
        .first()
    )
    if enrollment is None:
        raise NotFoundError()
    school = enrollment.school
    homeroom = enrollment.school_class_id in scope.homeroom_class_ids
    manager = scope.unit_allows(school.id, Perm.MANAGE_ACCOUNTS) or user.is_superuser
    if not (homeroom or manager):
        raise NotFoundError()
    _check_grant(user, Role.PARENT, school, manage=not homeroom)
    username = parent_username.strip().lower()
    parent = User.objects.filter(username__iexact=username).first()
    with transaction.atomic():
        created: CreatedAccount | None = None
        if parent is None:
            if not parent_full_name.strip():
                raise AccountError(errors.FULL_NAME_REQUIRED)
            created = _new_user(
                unit=school,
                username=_check_username(username),
                full_name=parent_full_name,
                email="",
                phone="",
                password=None,
            )
            parent = created.user
        else:
            other_roles = (
                RoleAssignment.objects.filter(user=parent).exclude(role=Role.PARENT).exists()
            )
            if other_roles or parent.is_staff or parent.is_superuser:
                raise AccountError(
                    errors.PARENT_ACCOUNT_HAS_OTHER_ROLES.format(username=parent.username)
                )
            if ParentLink.objects.filter(parent=parent, student=student).exists():
                raise AccountError(errors.PARENT_ALREADY_LINKED)
        if not RoleAssignment.objects.filter(user=parent, role=Role.PARENT, unit=school).exists():
            RoleAssignment.objects.create(
                user=parent, role=Role.PARENT, unit=school, valid_from=today(), granted_by=user
            )
        link = ParentLink.objects.create(
            parent=parent, student=student, relation=relation.strip()[:40], linked_by=user
        )
        audit_record(
            actor=user,
            action=PARENT_LINKED,
            unit=school,
            target=link,
            summary=f"Liên kết phụ huynh {parent.username} với học sinh lớp "
            f"{enrollment.school_class.name}",
            changes=[
                {
                    "object": parent.username,
                    "field": "student",
                    "old": None,
                    "new": str(student.uuid),
                },
            ],
            client=client,
        )
    return ParentLinkResult(link=link, created=created)


# --- Anomaly reports (R8.5) and inspectors' views (R15.3) -----------------------------------


def anomaly_report_create(
    *,
    actor: Actor,
    page_url: str,
    seen_at: dt.datetime | None,
    description: str,
    client: ClientInfo | None = None,
) -> AnomalyReport:
    """Record what the person saw; the principal and admins of their school see it on their
    home page."""
    user = _require_user(actor)
    if not description.strip():
        raise AccountError(errors.ANOMALY_DESCRIPTION_REQUIRED)
    unit = audit_home_unit(user=user)
    with transaction.atomic():
        report = AnomalyReport.objects.create(
            reporter=user,
            school=unit,
            page_url=page_url.strip()[:500],
            seen_at=seen_at or timezone.now(),
            description=description.strip()[:5000],
        )
        audit_record(
            actor=user,
            action=ANOMALY_REPORTED,
            unit=unit,
            target=report,
            summary=f"Báo cáo bất thường tại {report.page_url}",
            reason=report.description[:1000],
            client=client,
        )
    return report


def anomaly_report_mark_seen(
    *, actor: Actor, report: AnomalyReport, client: ClientInfo | None = None
) -> AnomalyReport:
    user = _require_user(actor)
    if report.school_id is None or not (
        scope_of(user).unit_allows(report.school_id, Perm.MANAGE_ACCOUNTS) or user.is_superuser
    ):
        raise NotFoundError()
    if report.status == AnomalyStatus.SEEN:
        return report
    with transaction.atomic():
        report.status = AnomalyStatus.SEEN
        report.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=user,
            action=ANOMALY_SEEN,
            unit=report.school,
            target=report,
            summary=f"Đã xem báo cáo bất thường #{report.pk}",
            changes=[{"object": f"#{report.pk}", "field": "status", "old": "new", "new": "seen"}],
            client=client,
        )
    return report


def inspector_view_record(
    *, actor: User, unit: Unit | None, path: str, client: ClientInfo | None = None
) -> None:
    """One page an inspector opened (R15.3: every view they make is audited)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=INSPECTOR_VIEWED,
            unit=unit,
            target_type="page",
            target_id=path[:128],
            summary=f"Thanh tra {actor.username} xem {path[:300]}",
            client=client,
        )
