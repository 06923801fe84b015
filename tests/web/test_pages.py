"""The school page and the class page: what they show, and to whom (404 outside one's scope)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from hoso.academics.models import EnrollmentStatus
from tests import factories as f
from tests.web.conftest import World


def school_url(unit: object) -> str:
    return reverse("school-detail", args=[unit.uuid])  # type: ignore[attr-defined]


def class_url(school_class: object) -> str:
    return reverse("class-detail", args=[school_class.uuid])  # type: ignore[attr-defined]


def test_school_page_lists_classes_by_grade_with_student_counts(
    client: Client, world: World
) -> None:
    client.force_login(world.principal_a)
    html = client.get(school_url(world.school_a)).content.decode()
    assert "Trường THPT A" in html and "Phòng GD&amp;ĐT huyện A" in html
    assert "Khối 10" in html and "Khối 11" in html
    assert class_url(world.class_a) in html
    row = re.search(r"10A1</a></td>\s*<td class=\"num\">(\d+)</td>", html)
    assert row is not None and row.group(1) == "4"
    assert "Lê Thị Chủ Nhiệm" in html  # 10A1's homeroom teacher
    assert "2 lớp, 4 học sinh đang học." in html


def test_school_page_counts_only_students_studying(client: Client, world: World) -> None:
    f.EnrollmentFactory(school_class=world.class_a, status=EnrollmentStatus.TRANSFERRED_OUT)
    client.force_login(world.principal_a)
    assert "2 lớp, 4 học sinh đang học." in client.get(school_url(world.school_a)).content.decode()


def test_school_page_shows_another_year_on_request(client: Client, world: World) -> None:
    last = f.SchoolYearFactory(
        start_date=world.year.start_date.replace(year=world.year.start_date.year - 1)
    )
    old = f.SchoolClassFactory(school=world.school_a, year=last, name="10C9")
    client.force_login(world.principal_a)
    current = client.get(school_url(world.school_a)).content.decode()
    assert "10C9" not in current
    html = client.get(school_url(world.school_a), {"nam": last.name}).content.decode()
    assert class_url(old) in html and class_url(world.class_a) not in html


@pytest.mark.parametrize("persona", ["district_officer", "province_officer", "inspector"])
def test_offices_and_inspector_reach_the_school_page(
    client: Client, world: World, persona: str
) -> None:
    client.force_login(getattr(world, persona))
    assert client.get(school_url(world.school_a)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("teacher_a", "school_b"),
        ("principal_a", "school_b"),
        ("district_officer", "school_b"),
        ("inspector", "school_b"),
        ("teacher_b", "school_a"),
        ("parent_a", "school_a"),
        ("principal_a", "pgd_a"),  # a unit that is not a school
    ],
)
def test_school_page_outside_scope_is_404(
    client: Client, world: World, persona: str, target: str
) -> None:
    client.force_login(getattr(world, persona))
    assert client.get(school_url(getattr(world, target))).status_code == 404


def test_unknown_uuid_is_404(client: Client, world: World) -> None:
    client.force_login(world.principal_a)
    assert client.get(reverse("school-detail", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("class-detail", args=[uuid.uuid4()])).status_code == 404


def test_class_page_lists_students_in_vietnamese_name_order(client: Client, world: World) -> None:
    client.force_login(world.homeroom_a)
    response = client.get(class_url(world.class_a))
    html = response.content.decode()
    assert response.status_code == 200
    for header in ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Mã định danh"):
        assert f">{header}</th>" in html
    names = re.findall(r'<td class="name">([^<]+?)\s*</td>', html)
    assert names == ["Lê Văn An", "Trần Thị Ân", "Nguyễn Đức Ánh", "Bùi Thị Đào"]
    assert "31/12/2010" in html  # dd/mm/yyyy
    assert "001210000002" in html and ">Nam</td>" in html and ">Nữ</td>" in html


def test_class_page_marks_a_student_who_left(client: Client, world: World) -> None:
    f.EnrollmentFactory(
        school_class=world.class_a,
        status=EnrollmentStatus.TRANSFERRED_OUT,
        student__full_name="Vũ Bảo Châu",
    )
    client.force_login(world.principal_a)
    html = client.get(class_url(world.class_a)).content.decode()
    assert "Vũ Bảo Châu" in html and "Chuyển trường" in html
    assert "4 học sinh đang học" in html


@pytest.mark.parametrize("persona", ["principal_a", "teacher_a", "homeroom_a", "inspector"])
def test_class_page_in_scope(client: Client, world: World, persona: str) -> None:
    client.force_login(getattr(world, persona))
    assert client.get(class_url(world.class_a)).status_code == 200


@pytest.mark.parametrize("persona", ["teacher_a", "homeroom_a", "principal_a", "parent_a"])
def test_class_page_of_another_school_is_404(client: Client, world: World, persona: str) -> None:
    client.force_login(getattr(world, persona))
    assert client.get(class_url(world.class_b)).status_code == 404


def test_teacher_b_gets_404_on_school_a_class(client: Client, world: World) -> None:
    client.force_login(world.teacher_b)
    assert client.get(class_url(world.class_a)).status_code == 404
    assert client.get(class_url(world.class_b)).status_code == 200


def test_anonymous_is_sent_to_login(client: Client, world: World) -> None:
    for url in (school_url(world.school_a), class_url(world.class_a)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
