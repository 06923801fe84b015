"""Personas and data for the web pages.

A small province: the department ``so``; district office ``pgd_a`` with ``school_a``; and
``school_b`` directly under the department (the tree allows it). Personas follow the style guide:
``principal_a``, ``teacher_a`` (teaches Toán in 10A1 of school A), ``homeroom_a`` (10A1),
``district_officer`` (of ``pgd_a``), ``province_officer``, ``inspector`` (``pgd_a``, this term
only), ``parent_a`` (of a 10A1 student) — and ``teacher_b`` of school B, who must see nothing of A.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils.translation import trans_real

from hoso.academics.models import Gender, SchoolClass, SchoolYear
from hoso.accounts.models import Role, User
from hoso.core.i18n_compile import compile_locale
from hoso.organizations.models import Unit
from tests import factories as f


@pytest.fixture(scope="session", autouse=True)
def _english_catalogue() -> None:
    """The ``.mo`` files are build products (git-ignored); compile them in pure Python so the
    English tests need no system ``msgfmt`` (hoso.core.i18n_compile says why)."""
    if compile_locale():
        # A catalogue loaded before the compile (by an earlier test) would hide the new one.
        trans_real._translations = {}


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Argon2 costs tens of milliseconds a user; the page tests build a dozen users each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    so: Unit
    pgd_a: Unit
    school_a: Unit
    school_b: Unit
    year: SchoolYear
    class_a: SchoolClass  # 10A1 of school A
    class_b: SchoolClass  # 10A1 of school B
    principal_a: User
    teacher_a: User
    homeroom_a: User
    teacher_b: User
    district_officer: User
    province_officer: User
    inspector: User
    parent_a: User


def grant(user: User, role: Role, unit: Unit, **dates: dt.date | None) -> User:
    f.RoleAssignmentFactory(user=user, role=role, unit=unit, **dates)
    return user


@pytest.fixture
def world(db: None) -> World:
    so = f.ProvinceFactory(code="SO-THU", name="Sở GD&ĐT Thử")
    pgd_a = f.DistrictFactory(code="PGD-A", name="Phòng GD&ĐT huyện A", parent=so)
    school_a = f.UnitFactory(code="THPT-A", name="Trường THPT A", parent=pgd_a)
    school_b = f.UnitFactory(code="THPT-B", name="Trường THPT B", parent=so)
    year = f.SchoolYearFactory()
    homeroom_a = f.UserFactory(username="gvcn.a", full_name="Lê Thị Chủ Nhiệm")
    class_a = f.SchoolClassFactory(
        school=school_a, year=year, name="10A1", homeroom_teacher=homeroom_a
    )
    f.SchoolClassFactory(school=school_a, year=year, grade=11, name="11B2")
    class_b = f.SchoolClassFactory(school=school_b, year=year, name="10A1")
    students = [
        f.StudentFactory(
            full_name="Nguyễn Đức Ánh", national_id="001210000001", gender=Gender.MALE
        ),
        f.StudentFactory(
            full_name="Lê Văn An",
            national_id="001210000002",
            gender=Gender.MALE,
            date_of_birth=dt.date(2010, 12, 31),
        ),
        f.StudentFactory(full_name="Bùi Thị Đào", national_id="001210000003"),
        f.StudentFactory(full_name="Trần Thị Ân", national_id="001210000004"),
    ]
    for student in students:
        f.EnrollmentFactory(student=student, school_class=class_a)
    f.EnrollmentFactory(school_class=class_b, student__full_name="Phạm Văn Bê")

    teacher_a = f.UserFactory(username="gvbm.a", full_name="Hoàng Văn Toán")
    f.TeachingAssignmentFactory(
        teacher=teacher_a, group=f.TeachingGroupFactory(school_class=class_a)
    )
    teacher_b = f.UserFactory(username="gvbm.b", full_name="Đỗ Minh Bê")
    f.TeachingAssignmentFactory(
        teacher=teacher_b, group=f.TeachingGroupFactory(school_class=class_b)
    )
    parent_a = f.UserFactory(username="phuhuynh.a", full_name="Nguyễn Thị Mẹ")
    f.ParentLinkFactory(parent=parent_a, student=students[0])

    today = dt.date.today()
    return World(
        so=so,
        pgd_a=pgd_a,
        school_a=school_a,
        school_b=school_b,
        year=year,
        class_a=class_a,
        class_b=class_b,
        principal_a=grant(
            f.UserFactory(username="hieutruong.a", full_name="Phan Văn Hiệu"),
            Role.PRINCIPAL,
            school_a,
        ),
        teacher_a=grant(teacher_a, Role.SUBJECT_TEACHER, school_a),
        homeroom_a=grant(homeroom_a, Role.HOMEROOM_TEACHER, school_a),
        teacher_b=grant(teacher_b, Role.SUBJECT_TEACHER, school_b),
        district_officer=grant(
            f.UserFactory(username="phonggd.a", full_name="Vũ Văn Phòng"),
            Role.DISTRICT_OFFICER,
            pgd_a,
        ),
        province_officer=grant(
            f.UserFactory(username="sogd", full_name="Ngô Thị Sở"), Role.PROVINCE_OFFICER, so
        ),
        inspector=grant(
            f.UserFactory(username="thanhtra", full_name="Đinh Văn Tra"),
            Role.INSPECTOR,
            pgd_a,
            valid_from=today - dt.timedelta(days=30),
            valid_to=today + dt.timedelta(days=60),
        ),
        parent_a=grant(parent_a, Role.PARENT, school_a),
    )
