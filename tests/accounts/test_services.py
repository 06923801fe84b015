"""Account services (issue 8; R11.1, R11.2, R14.1): nobody grants a role wider than their own,
all or nothing, exactly one audit event per call, Vietnamese errors naming row and column."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from hoso.academics.models import SchoolClass, Subject, TeachingGroup
from hoso.accounts import services
from hoso.accounts.errors import AccountError
from hoso.accounts.models import Role, RoleAssignment, User
from hoso.audit.models import AuditEvent
from hoso.core.errors import NotFoundError
from tests.personas import World


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_the_principal_creates_a_teacher(world: World) -> None:
    created = services.account_create(
        actor=world.principal_a,
        unit=world.school_a,
        username="gv.moi",
        full_name="Giáo Viên Mới",
        role=Role.SUBJECT_TEACHER,
    )
    user = created.user
    assert user.check_password(created.password) and user.password_change_required
    assert user.home_unit == world.school_a
    assert RoleAssignment.objects.get(user=user).role == Role.SUBJECT_TEACHER
    assert _events("accounts.created") == 1


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.DISTRICT_OFFICER, Role.INSPECTOR])
def test_the_principal_cannot_grant_a_wider_role(world: World, role: Role) -> None:
    with pytest.raises(AccountError):
        services.account_create(
            actor=world.principal_a,
            unit=world.school_a,
            username="nguoi.moi",
            full_name="Người Mới",
            role=role,
        )
    assert not User.objects.filter(username="nguoi.moi").exists()
    assert _events("accounts.created") == 0


def test_nobody_grants_in_another_school(world: World) -> None:
    with pytest.raises(AccountError, match="vượt quá quyền"):
        services.account_create(
            actor=world.principal_a,
            unit=world.school_b,
            username="gv.b",
            full_name="GV B",
            role=Role.SUBJECT_TEACHER,
        )


def test_an_admin_cannot_disable_the_principal(world: World) -> None:
    admin = User.objects.create_user(username="quantri_a", password="x" * 12)
    RoleAssignment.objects.create(user=admin, role=Role.SCHOOL_ADMIN, unit=world.school_a)
    with pytest.raises(NotFoundError):
        services.account_disable(actor=admin, account=world.principal_a)
    services.account_disable(actor=admin, account=world.teacher_a)
    world.teacher_a.refresh_from_db()
    assert not world.teacher_a.is_active
    assert _events("accounts.disabled") == 1


def test_a_disabled_account_cannot_log_in(client: Client, world: World) -> None:
    services.account_disable(actor=world.principal_a, account=world.teacher_a)
    response = client.post(reverse("login"), {"username": "teacher_a", "password": "hoso-test-pw"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    services.account_enable(actor=world.principal_a, account=world.teacher_a)
    assert _events("accounts.enabled") == 1


def test_role_grant_and_revoke(world: World) -> None:
    grant = services.role_grant(
        actor=world.principal_a,
        account=world.teacher_a,
        role=Role.HOMEROOM_TEACHER,
        unit=world.school_a,
    )
    services.role_revoke(actor=world.principal_a, assignment=grant)
    assert _events("accounts.role_granted") == 1 and _events("accounts.role_revoked") == 1
    with pytest.raises(AccountError):
        services.role_grant(
            actor=world.principal_a,
            account=world.principal_a,
            role=Role.SUBJECT_TEACHER,
            unit=world.school_a,
        )


def test_an_inspector_grant_needs_an_end_date(world: World) -> None:
    account = services.account_create(
        actor=world.district_officer,
        unit=world.school_a,
        username="thanhtra2",
        full_name="Thanh Tra",
        role=Role.INSPECTOR,
        valid_to=__import__("datetime").date(2099, 6, 30),
    ).user
    assert RoleAssignment.objects.get(user=account).valid_to is not None
    with pytest.raises(AccountError, match="thời hạn"):
        services.account_create(
            actor=world.district_officer,
            unit=world.school_a,
            username="thanhtra3",
            full_name="Thanh Tra",
            role=Role.INSPECTOR,
        )


def test_teaching_and_homeroom_assignments(world: World) -> None:
    group = TeachingGroup.objects.get(school_class=world.class_a1)
    ly = Subject.objects.get(programme="2018", grade=10, code="vat_li")
    assignment = services.teaching_assign(
        actor=world.principal_a, teacher=world.teacher_a, subject=ly, group=group
    )
    assert assignment.school == world.school_a
    assert _events("accounts.teaching_assigned") == 1
    services.homeroom_assign(
        actor=world.principal_a, school_class=world.class_a1, teacher=world.teacher_a
    )
    assert SchoolClass.objects.get(pk=world.class_a1.pk).homeroom_teacher == world.teacher_a
    # The homeroom role came with it, in the same event
    assert RoleAssignment.objects.filter(user=world.teacher_a, role=Role.HOMEROOM_TEACHER).exists()
    assert _events("accounts.homeroom_assigned") == 1
    # Another school's teacher cannot be assigned here
    with pytest.raises(AccountError):
        services.homeroom_assign(
            actor=world.principal_a, school_class=world.class_a2, teacher=world.teacher_b
        )


def _workbook(rows: list[list[object]]) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Tên đăng nhập", "Họ và tên", "Vai trò", "Email", "Điện thoại"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_bulk_creation_from_excel(world: World) -> None:
    created = services.accounts_bulk_create_from_excel(
        actor=world.principal_a,
        unit=world.school_a,
        file=_workbook(
            [
                ["gv.toan1", "Nguyễn Thị Toán", "Giáo viên bộ môn", "", 912345678],
                ["gv.van1", "Lê Văn Văn", "Giáo viên bộ môn; Giáo viên chủ nhiệm", "", ""],
            ]
        ),
    )
    assert [c.user.username for c in created] == ["gv.toan1", "gv.van1"]
    assert User.objects.get(username="gv.toan1").phone == "912345678"
    assert RoleAssignment.objects.filter(user__username="gv.van1").count() == 2
    assert _events("accounts.bulk_created") == 1


def test_bulk_creation_is_all_or_nothing_and_names_row_and_column(world: World) -> None:
    with pytest.raises(AccountError) as refused:
        services.accounts_bulk_create_from_excel(
            actor=world.principal_a,
            unit=world.school_a,
            file=_workbook(
                [
                    ["gv.tot", "Người Tốt", "Giáo viên bộ môn"],
                    ["Gv Sai Tên", "", "Hiệu trưởng"],
                    ["teacher_a", "Trùng", "Bảo vệ"],
                    ["gv.tot", "Trùng dòng", "Giáo viên bộ môn"],
                ]
            ),
        )
    problems = refused.value.problems
    assert any(p.startswith("Dòng 3, cột «Tên đăng nhập»") for p in problems)
    assert any(p.startswith("Dòng 3, cột «Họ và tên»") for p in problems)
    assert any(p.startswith("Dòng 3, cột «Vai trò»") and "vượt quá" in p for p in problems)
    assert any(p.startswith("Dòng 4, cột «Tên đăng nhập»") and "đã có" in p for p in problems)
    assert any(p.startswith("Dòng 4, cột «Vai trò»") and "Bảo vệ" in p for p in problems)
    assert any(p.startswith("Dòng 5") and "trùng với dòng 2" in p for p in problems)
    assert not User.objects.filter(username="gv.tot").exists()
    assert _events("accounts.bulk_created") == 0


def test_the_upload_page_and_template(client: Client, world: World) -> None:
    client.force_login(world.principal_a)
    template = client.get(reverse("accounts-import-template"))
    assert template.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["Tên đăng nhập", "Họ và tên", "Vai trò"]
    bad = client.post(reverse("accounts-import"), {"file": io.BytesIO(b"not excel")})
    assert bad.status_code == 400 and "Không đọc được tệp" in bad.content.decode()


def test_the_account_pages(client: Client, world: World) -> None:
    client.force_login(world.principal_a)
    listing = client.get(reverse("accounts-list")).content.decode()
    assert "teacher_a" in listing and "teacher_b" not in listing
    response = client.post(
        reverse("account-create"),
        {"username": "gv.web", "full_name": "GV Web", "role": "subject_teacher"},
    )
    assert response.status_code == 200 and "Mật khẩu tạm" in response.content.decode()
    detail = client.get(reverse("account-detail", args=[world.teacher_a.uuid]))
    assert detail.status_code == 200
    home = client.get(reverse("home")).content.decode()
    assert reverse("accounts-list") in home
    # A teacher has no account management
    teacher = Client()
    teacher.force_login(world.teacher_a)
    assert teacher.get(reverse("accounts-list")).status_code == 404
