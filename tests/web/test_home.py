"""Each role's home page lists what that person can do, in their scope."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from hoso.accounts.models import Role
from tests import factories as f
from tests.web.conftest import World, grant


def home_html(client: Client, user: object) -> str:
    client.force_login(user)  # type: ignore[arg-type]
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def class_url(school_class: object) -> str:
    return reverse("class-detail", args=[school_class.uuid])  # type: ignore[attr-defined]


def school_url(unit: object) -> str:
    return reverse("school-detail", args=[unit.uuid])  # type: ignore[attr-defined]


def test_principal_sees_their_school_and_its_classes_by_grade(client: Client, world: World) -> None:
    html = home_html(client, world.principal_a)
    assert "Hiệu trưởng" in html and "Trường THPT A" in html
    assert "Khối 10" in html and "Khối 11" in html
    assert class_url(world.class_a) in html and "11B2" in html
    assert "4 học sinh" in html  # 10A1's students
    assert school_url(world.school_a) in html
    assert "Khoá và mở khoá sổ theo dõi và đánh giá" in html  # what the role allows
    # nothing of school B
    assert class_url(world.class_b) not in html and "Trường THPT B" not in html


def test_subject_teacher_sees_their_teaching_assignments(client: Client, world: World) -> None:
    html = home_html(client, world.teacher_a)
    assert "Giáo viên bộ môn" in html and "Phân công giảng dạy" in html
    assert "Toán" in html and class_url(world.class_a) in html
    assert "Nhập điểm các môn được phân công" in html
    # a teacher reaches their classes, not the school page
    assert school_url(world.school_a) not in html
    assert class_url(world.class_b) not in html


def test_mixed_group_lists_the_classes_it_draws_from(client: Client, world: World) -> None:
    other = f.SchoolClassFactory(school=world.school_a, year=world.year, name="10A2")
    group = f.TeachingGroupFactory(
        school_class=None, school=world.school_a, year=world.year, name="MUL10L3"
    )
    group.members.add(
        f.EnrollmentFactory(school_class=world.class_a),
        f.EnrollmentFactory(school_class=other),
    )
    f.TeachingAssignmentFactory(teacher=world.teacher_a, group=group, subject=f.subject("tin_hoc"))
    html = home_html(client, world.teacher_a)
    assert "MUL10L3" in html and "Tin học" in html
    assert class_url(world.class_a) in html and class_url(other) in html


def test_homeroom_teacher_sees_their_class(client: Client, world: World) -> None:
    html = home_html(client, world.homeroom_a)
    assert "Lớp chủ nhiệm" in html and class_url(world.class_a) in html
    assert "4 học sinh" in html
    assert "Nhập chuyên cần, đánh giá, nhận xét của lớp chủ nhiệm" in html


def test_district_officer_sees_the_schools_of_the_district(client: Client, world: World) -> None:
    html = home_html(client, world.district_officer)
    assert "Cán bộ Phòng GD&amp;ĐT" in html and "Trường trong phạm vi quản lý" in html
    assert school_url(world.school_a) in html
    assert "Trường THPT B" not in html  # under the department, not this district


def test_province_officer_sees_districts_and_schools(client: Client, world: World) -> None:
    html = home_html(client, world.province_officer)
    assert "Phòng GD&amp;ĐT huyện A" in html  # the district, grouping its school
    assert school_url(world.school_a) in html and school_url(world.school_b) in html
    assert "Trường trực thuộc" in html  # school B hangs directly under the department


def test_inspector_is_marked_read_only_with_the_period(client: Client, world: World) -> None:
    html = home_html(client, world.inspector)
    today = dt.date.today()
    assert "Thanh tra" in html and "Chỉ xem, không được sửa dữ liệu" in html
    assert (today - dt.timedelta(days=30)).strftime("%d/%m/%Y") in html
    assert (today + dt.timedelta(days=60)).strftime("%d/%m/%Y") in html
    assert school_url(world.school_a) in html
    # a read-only role is never told it may write
    assert "Nhập điểm" not in html and "Cập nhật hồ sơ học sinh" not in html


def test_expired_inspector_grant_shows_nothing(client: Client, world: World) -> None:
    expired = grant(
        f.UserFactory(),
        Role.INSPECTOR,
        world.pgd_a,
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2020, 12, 31),
    )
    html = home_html(client, expired)
    assert "Tài khoản chưa được phân quyền" in html
    assert "Trường THPT A" not in html


def test_parent_sees_their_child(client: Client, world: World) -> None:
    html = home_html(client, world.parent_a)
    assert "Con của bạn" in html and "Nguyễn Đức Ánh" in html
    assert "Lớp 10A1 — Trường THPT A" in html
    assert "07/03/2010" in html  # dd/mm/yyyy
    assert "Lê Văn An" not in html  # a classmate
    assert class_url(world.class_a) not in html  # parents see their child, not the class list


def test_user_with_several_roles_gets_one_section_each(client: Client, world: World) -> None:
    grant(world.homeroom_a, Role.SUBJECT_TEACHER, world.school_a)
    html = home_html(client, world.homeroom_a)
    assert "Lớp chủ nhiệm" in html and "Phân công giảng dạy" in html


def test_every_permission_has_a_vietnamese_label() -> None:
    from hoso.accounts.permissions import Perm
    from hoso.core.home import PERM_LABELS

    assert [perm for perm in Perm if perm not in PERM_LABELS] == []
