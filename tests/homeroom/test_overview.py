"""The class overview (R12.4–R12.6): the engine's levels for a hand-checked student, the warnings,
and a constant number of queries for a 45-student class with 13 subjects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hoso.academics.models import (
    Enrollment,
    SchoolClass,
    Student,
    Subject,
    TeachingAssignment,
    TeachingGroup,
)
from hoso.accounts.models import User
from hoso.assessment.models import Absence, ConductRating, Mark, MarkState
from hoso.assessment.overview import class_overview, count_absences
from hoso.core.errors import NotFoundError
from hoso.core.names import name_sort_key
from tests.personas import World

SCORE_CODES = ("toan", "ngu_van", "ngoai_ngu_1", "lich_su", "vat_li", "hoa_hoc", "tin_hoc")
COMMENT_CODE = "giao_duc_the_chat"


def subjects(codes: tuple[str, ...], grade: int = 10) -> list[Subject]:
    found = {
        s.code: s for s in Subject.objects.filter(programme="2018", grade=grade, code__in=codes)
    }
    return [found[code] for code in codes]


def teach(world: World, school_class: SchoolClass, chosen: list[Subject], teacher: User) -> None:
    group, _ = TeachingGroup.objects.get_or_create(
        school=school_class.school,
        year=school_class.year,
        name=school_class.name,
        defaults={"school_class": school_class},
    )
    TeachingAssignment.objects.bulk_create(
        TeachingAssignment(
            school=school_class.school,
            year=school_class.year,
            teacher=teacher,
            subject=s,
            group=group,
        )
        for s in chosen
        if not TeachingAssignment.objects.filter(group=group, subject=s).exists()
    )


def marks_for(
    enrollment: Enrollment, subject: Subject, regular: list[str], mid: str, final: str
) -> list[Mark]:
    rows: list[Mark] = []

    def mark(kind: str, index: int, text: str) -> Mark:
        comment = text in ("Đ", "CĐ")
        return Mark(
            school_id=enrollment.school_id,
            year_id=enrollment.year_id,
            enrollment=enrollment,
            subject=subject,
            semester=1,
            kind=kind,
            index=index,
            value=None if comment else Decimal(text),
            comment=text if comment else "",
            state=MarkState.SUBMITTED,
        )

    for index, text in enumerate(regular, start=1):
        rows.append(mark("regular", index, text))
    if mid:
        rows.append(mark("midterm", 1, mid))
    rows.append(mark("final", 1, final))
    return rows


def full_marks(enrollment: Enrollment, chosen: list[Subject], value: str = "8.5") -> list[Mark]:
    rows: list[Mark] = []
    for s in chosen:
        if s.assessment == "comment":
            rows += marks_for(enrollment, s, ["Đ"] * 2, "Đ", "Đ")
        else:
            rows += marks_for(enrollment, s, [value] * (s.regular_marks or 2), value, value)
    return rows


@pytest.fixture
def a2(world: World) -> tuple[World, Enrollment, list[Subject]]:
    chosen = subjects((*SCORE_CODES, COMMENT_CODE))
    teach(world, world.class_a2, chosen, world.teacher_a)
    return world, Enrollment.objects.get(school_class=world.class_a2), chosen


def test_hand_checked_student_is_tot_with_the_engine_explanation(a2) -> None:  # type: ignore[no-untyped-def]
    world, enrollment, chosen = a2
    toan, others = chosen[0], chosen[1:]
    # secondary.md §3.4: Toán HK I TX 8, 6, 7.5, 9; GK 7; CK 5 → 59.5/9 = 6.61… → 6.6.
    rows = marks_for(enrollment, toan, ["8", "6", "7.5", "9"], "7", "5") + full_marks(
        enrollment, others
    )
    Mark.objects.bulk_create(rows)
    ConductRating.objects.create(
        school=world.school_a,
        year=world.year,
        enrollment=enrollment,
        period="hk1",
        rating="Tốt",
        recorded_by=world.homeroom_a,
    )
    overview = class_overview(actor=world.homeroom_a, school_class=world.class_a2, semester=1)
    row = overview.rows[0]
    cells = {s.subject.code: c for s, c in zip(overview.subjects, row.cells, strict=True)}
    assert cells["toan"].semester == "6,6" and cells["ngu_van"].semester == "8,5"
    assert cells[COMMENT_CODE].semester == "Đ"
    # All score subjects ≥ 6.5 and six ≥ 8.0, comment subject Đạt → Tốt (TT22 Art. 9.2).
    assert row.learning == "Tốt" and row.conduct == "Tốt"
    assert row.warnings == []
    assert any(line.startswith("HK I — kết quả học tập Tốt") for line in row.explanation)
    assert overview.regime_id == "TT22_2021" and overview.absence_limit == 45


def test_warnings_missing_marks_comment_cd_absences_and_rating(a2) -> None:  # type: ignore[no-untyped-def]
    world, enrollment, chosen = a2
    rows = full_marks(enrollment, chosen)
    rows = [m for m in rows if not (m.subject.code == "toan" and m.kind == "midterm")]
    for m in rows:
        if m.subject.code == COMMENT_CODE and m.kind == "final":
            m.comment = "CĐ"
    Mark.objects.bulk_create(rows)
    # 41 days absent (TT22 counts a day once even when both sessions were missed).
    start = dt.date(2025, 9, 8)
    Absence.objects.bulk_create(
        Absence(
            school=world.school_a,
            year=world.year,
            enrollment=enrollment,
            date=start + dt.timedelta(days=day),
            session=session,
            excused=day % 2 == 0,
            recorded_by=world.homeroom_a,
        )
        for day in range(41)
        for session in ("sang", "chieu")
    )
    row = class_overview(actor=world.homeroom_a, school_class=world.class_a2, semester=1).rows[0]
    text = " | ".join(row.warnings)
    assert "Toán, HK I: chưa có kết quả, thiếu điểm giữa kì (ĐĐGgk" in text
    assert "Giáo dục thể chất, HK I: Chưa đạt." in text
    assert "Đã nghỉ 41 buổi, gần giới hạn 45 buổi (còn 4 buổi)." in text
    assert "Chưa đánh giá rèn luyện HK I" in text
    assert row.learning is None  # incomplete, never guessed (D6)
    assert (row.absences.excused, row.absences.unexcused) == (21, 20)


def test_absences_are_counted_as_the_circular_counts_them() -> None:
    day = dt.date(2025, 10, 6)
    rows = [(day, "sang", True), (day, "chieu", False), (day + dt.timedelta(days=1), "sang", True)]
    tt22 = count_absences("TT22_2021", rows)
    assert (tt22.excused, tt22.unexcused, tt22.total) == (1, 1, 2)
    tt58 = count_absences("TT58_2011", rows)
    assert (tt58.excused, tt58.unexcused, tt58.total) == (2, 1, 3)


@pytest.mark.parametrize("persona", ["teacher_b", "teacher_a", "parent_a"])
def test_the_overview_is_not_for_others(world: World, persona: str) -> None:
    with pytest.raises(NotFoundError):
        class_overview(actor=getattr(world, persona), school_class=world.class_a2, semester=1)


def big_class(world: World, students: int) -> SchoolClass:
    school_class = SchoolClass.objects.create(
        school=world.school_a,
        year=world.year,
        grade=10,
        name=f"10Q{students}",
        homeroom_teacher=world.homeroom_a,
    )
    codes = (
        *SCORE_CODES,
        "giao_duc_quoc_phong_va_an_ninh",
        "dia_li",
        "sinh_hoc",
        COMMENT_CODE,
        "hoat_dong_trai_nghiem",
        "noi_dung_giao_duc_dia_phuong",
    )
    chosen = subjects(codes)
    assert len(chosen) == 13
    teach(world, school_class, chosen, world.teacher_a)
    people = Student.objects.bulk_create(
        Student(
            national_id=f"9{students:02d}{n:09d}",
            full_name=f"Học Sinh {n}",
            name_sort_key=name_sort_key(f"Học Sinh {n}"),
        )
        for n in range(students)
    )
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(student=p, school_class=school_class, school=world.school_a, year=world.year)
        for p in people
    )
    Mark.objects.bulk_create(m for e in enrollments for m in full_marks(e, chosen))
    ConductRating.objects.bulk_create(
        ConductRating(
            school=world.school_a,
            year=world.year,
            enrollment=e,
            period="hk1",
            rating="Khá",
            recorded_by=world.homeroom_a,
        )
        for e in enrollments
    )
    return school_class


def test_overview_costs_the_same_queries_for_45_students_and_13_subjects(
    world: World,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    small = big_class(world, 3)
    large = big_class(world, 45)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The actor's scope is read once per request; warm it like a page does.
    class_overview(actor=world.homeroom_a, school_class=small, semester=1)
    with CaptureQueriesContext(connection) as few:
        class_overview(actor=world.homeroom_a, school_class=small, semester=1)
    with django_assert_max_num_queries(len(few)):
        overview = class_overview(actor=world.homeroom_a, school_class=large, semester=1)
    assert len(overview.rows) == 45 and len(overview.subjects) == 13
    assert len(few) <= 10
    assert all(row.learning == "Tốt" for row in overview.rows)
