"""Primary classes (TT27/TT30: levels and periodic test scores, no ĐTB) are not entered through
the secondary mark grid: the grid, its save, the class overview and the home page say so in
Vietnamese instead of failing (a newcomer hit a 500 on every primary grid)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hoso.academics.models import (
    Enrollment,
    SchoolClass,
    Student,
    Subject,
    TeachingAssignment,
    TeachingGroup,
)
from hoso.accounts.models import Role, RoleAssignment, User
from hoso.assessment.errors import MSG_PRIMARY_BOOK, PrimaryBookError
from hoso.assessment.services import CellInput, marks_save
from tests.personas import World


@pytest.fixture
def primary(world: World) -> tuple[TeachingAssignment, SchoolClass]:
    teacher = User.objects.create_user(username="gv.th", password="x-pw-12345", full_name="GV TH")
    RoleAssignment.objects.create(user=teacher, role=Role.SUBJECT_TEACHER, unit=world.school_a)
    RoleAssignment.objects.create(user=teacher, role=Role.HOMEROOM_TEACHER, unit=world.school_a)
    school_class = SchoolClass.objects.create(
        school=world.school_a, year=world.year, grade=4, name="4A", homeroom_teacher=teacher
    )
    student = Student.objects.create(
        national_id="444", full_name="Phạm Thị Duyên", current_school=world.school_a
    )
    Enrollment.objects.create(
        student=student, school_class=school_class, school=world.school_a, year=world.year
    )
    group = TeachingGroup.objects.create(
        school=world.school_a, year=world.year, name="4A", school_class=school_class
    )
    assignment = TeachingAssignment.objects.create(
        school=world.school_a,
        year=world.year,
        teacher=teacher,
        subject=Subject.objects.get(programme="2018", grade=4, code="toan"),
        group=group,
    )
    return assignment, school_class


def test_the_grid_and_the_overview_explain_instead_of_failing(
    client: Client, primary: tuple[TeachingAssignment, SchoolClass]
) -> None:
    assignment, school_class = primary
    client.force_login(assignment.teacher)
    page = client.get(reverse("mark-grid", args=[assignment.uuid, 1]))
    assert page.status_code == 400 and "tiểu học" in page.content.decode()
    save = client.post(
        reverse("mark-grid-save", args=[assignment.uuid, 1]),
        data='{"cells": [{"enrollment": "x", "kind": "final", "index": 1, "text": "9", '
        '"base_version": 0}]}',
        content_type="application/json",
    )
    assert save.status_code == 400 and "tiểu học" in save.json()["message"]
    overview = client.get(reverse("homeroom-overview", args=[school_class.uuid]) + "?hk=1")
    assert overview.status_code == 400 and "tiểu học" in overview.content.decode()
    home = client.get(reverse("home")).content.decode()
    assert "Tiểu học: chưa nhập đánh giá trên hệ thống" in home
    assert reverse("mark-grid", args=[assignment.uuid, 1]) not in home


def test_the_service_refuses_a_primary_save(
    primary: tuple[TeachingAssignment, SchoolClass],
) -> None:
    assignment, school_class = primary
    enrollment = Enrollment.objects.get(school_class=school_class)
    with pytest.raises(PrimaryBookError) as refused:
        marks_save(
            actor=assignment.teacher,
            assignment=assignment,
            semester=1,
            cells=[CellInput(enrollment.id, "final", 1, "9", 0)],
        )
    assert refused.value.message == MSG_PRIMARY_BOOK
