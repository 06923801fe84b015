"""Statistics of the province, a district, a school (R9, R10, R6.4): figures rolled up the unit
tree, the rounding rule (D1), who may read them, and a constant number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoso.academics.models import Enrollment, SchoolClass, Student, Subject
from hoso.assessment.models import Mark, MarkKind, MarkState
from hoso.organizations.models import Unit, UnitKind
from hoso.organizations.services import unit_attach
from hoso.reporting.statistics import unit_statistics
from tests.personas import OPEN, World

D = Decimal


def _mark(enrollment: Enrollment, kind: str, value: str, state: str, index: int = 1) -> None:
    Mark.objects.create(
        school=enrollment.school,
        year=enrollment.year,
        enrollment=enrollment,
        subject=Subject.objects.get(programme="2018", grade=10, code="toan"),
        semester=1,
        kind=kind,
        index=index,
        value=D(value),
        state=state,
    )


@pytest.fixture
def marked(world: World) -> World:
    a1 = Enrollment.objects.get(student=world.student_a1)
    a2 = Enrollment.objects.get(school_class=world.class_a2)
    b1 = Enrollment.objects.get(student=world.student_b1)
    _mark(a1, MarkKind.FINAL, "8.5", MarkState.SUBMITTED)
    _mark(a1, MarkKind.REGULAR, "4", MarkState.DRAFT)
    _mark(a2, MarkKind.FINAL, "4", MarkState.DRAFT)
    _mark(b1, MarkKind.FINAL, "7", MarkState.SUBMITTED)
    return world


def test_the_province_by_district_and_directly_linked_school(marked: World) -> None:
    stats = unit_statistics(unit=marked.province, year=marked.year, semester=1)
    district, school_b = stats.rows
    assert district.unit == marked.district and school_b.unit == marked.school_b
    f = district.figures
    assert (f.schools, f.students, f.entered, f.submitted, f.finals) == (1, 2, 3, 1, 2)
    assert f.final_average == D("6.3")  # (8,5 + 4) / 2 = 6,25 → 6,3: half up, never to even
    assert (f.below_5_share, f.from_8_share, f.submitted_share) == (D("50.0"), D("50.0"), D("33.3"))
    assert school_b.figures.final_average == D("7.0")
    total = stats.total
    assert (total.schools, total.students, total.finals, total.final_average) == (2, 3, 3, D("6.5"))
    [maths] = stats.subjects
    assert maths.subject.code == "toan" and maths.figures.finals == 3
    assert maths.figures.below_5_share == D("33.3") and maths.figures.final_average == D("6.5")


def test_a_school_by_grade(marked: World) -> None:
    stats = unit_statistics(unit=marked.school_a, year=marked.year, semester=1)
    [grade_10] = stats.rows
    assert stats.by_grade and grade_10.label == "Khối 10"
    assert (grade_10.figures.students, grade_10.figures.finals) == (2, 2)
    assert stats.total.schools == 1
    # Semester II has nothing yet: empty figures, no average
    empty = unit_statistics(unit=marked.school_a, year=marked.year, semester=2)
    assert empty.total.finals == 0 and empty.total.final_average is None and not empty.subjects


def _page(unit: Unit) -> str:
    return reverse("unit-statistics", args=[unit.uuid]) + "?nam=2025-2026&hk=1"


@pytest.mark.parametrize(
    ("persona", "unit", "status"),
    [
        ("province_officer", "province", 200),
        ("province_officer", "school_b", 200),
        ("district_officer", "district", 200),
        ("district_officer", "school_a", 200),
        ("district_officer", "province", 404),
        ("district_officer", "school_b", 404),
        ("principal_a", "school_a", 200),
        ("principal_a", "district", 404),
        ("teacher_a", "school_a", 404),
        ("homeroom_a", "school_a", 404),
        ("parent_a", "school_a", 404),
        ("teacher_b", "school_a", 404),
    ],
)
def test_who_reads_which_unit(
    client: Client, marked: World, persona: str, unit: str, status: int
) -> None:
    client.force_login(getattr(marked, persona))
    assert client.get(_page(getattr(marked, unit))).status_code == status


def test_the_page_links_down_the_tree_and_the_home_page_links_to_it(
    client: Client, marked: World
) -> None:
    client.force_login(marked.province_officer)
    html = client.get(_page(marked.province)).content.decode()
    assert "Đơn vị PGD-T" in html and "6,3" in html and "33,3 %" in html
    assert reverse("unit-statistics", args=[marked.district.uuid]) in html
    home = client.get(reverse("home")).content.decode()
    assert reverse("unit-statistics", args=[marked.province.uuid]) in home
    client.force_login(marked.teacher_a)
    assert "/thong-ke/" not in client.get(reverse("home")).content.decode()


def test_the_same_queries_whatever_the_number_of_schools(marked: World) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            unit_statistics(unit=marked.province, year=marked.year, semester=1)
        return len(queries.captured_queries)

    before = count()
    for n in range(3):
        school = Unit.objects.create(code=f"THCS-{n}", name=f"Trường {n}", kind=UnitKind.SCHOOL)
        unit_attach(child=school, parent=marked.district, valid_from=OPEN)
        school_class = SchoolClass.objects.create(
            school=school, year=marked.year, grade=10, name=f"10X{n}"
        )
        student = Student.objects.create(
            national_id=f"10{n}", full_name=f"Học sinh {n}", current_school=school
        )
        enrollment = Enrollment.objects.create(
            student=student, school_class=school_class, school=school, year=marked.year
        )
        _mark(enrollment, MarkKind.FINAL, "9", MarkState.SUBMITTED)
    assert count() == before
    stats = unit_statistics(unit=marked.province, year=marked.year, semester=1)
    assert stats.rows[0].figures.schools == 4 and stats.total.finals == 6
