"""A whole school's mark workbook for ``bench.import_bench`` (issue 9), 1,500 students, one subject.

No demo school is that big (the largest, TH-DEMO, has ~600 pupils), so :func:`seed_bench_school`
adds one to the demo province in ``hoso_bench_demo``: an upper-secondary school ``BENCH-1500``
with 12 classes in each of grades 10–12, 1,500 pupils, staffed like the demo's generated schools
(``hoso.demo.seed``'s own helpers: names, ids, one whole-class teaching group per class, subject
teachers with up to 8 classes of a subject). :func:`write_school_workbook` then writes, from the
students in the database, the file a school's office would import for one subject: one sheet per
class in the real teacher's format (``so-diem-tt22-…xlsx``: ``STT, Tên lớp, Mã định danh, MSHS,
Email, Họ và tên, Ngày sinh, TX1…TX4, GKTN, GKTH, CKTN, CKTH, Điểm cộng/trừ`` on row 1, identifiers
and dates as text as that file has them).

Everything is deterministic: one seeded ``random.Random`` for the school, another for the marks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

BENCH_SCHOOL = "BENCH-1500"
SUBJECT_NAME = "Toán"  # compulsory in every grade, 4 regular marks (TT22) and both periodic tests
GRADES = (10, 11, 12)
CLASSES_PER_GRADE = 12
# 36 classes: 24 of 42 pupils and 12 of 41 → exactly 1,500.
CLASS_SIZES = (42,) * 24 + (41,) * 12
SCHOOL_SEED = 15001500
MARKS_SEED = 20260119
HEADER = (
    "STT",
    "Tên lớp",
    "Mã định danh",
    "MSHS",
    "Email",
    "Họ và tên",
    "Ngày sinh",
    "TX1",
    "TX2",
    "TX3",
    "TX4",
    "GKTN",
    "GKTH",
    "CKTN",
    "CKTH",
    "Điểm cộng/trừ",
)


@dataclass(frozen=True)
class SchoolWorkbook:
    path: Path
    sheets: int
    students: int
    cells: int  # book cells the file fills (TX1–TX4, GK, CK): what the first import writes


def seed_bench_school(class_sizes: tuple[int, ...] = CLASS_SIZES) -> int:
    """Add ``BENCH-1500`` to the demo province (after ``seed_demo``: it needs the unit SO-DEMO,
    the year 2025-2026 and the subject catalogue); returns its pupils. ``class_sizes``: one per
    class, 10A1 … 12A12 (the smoke test takes a few pupils a class)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from hoso.academics.models import Programme, SchoolClass, SchoolYear, Student, Subject
    from hoso.demo import seed as demo
    from hoso.organizations.models import SchoolType, Unit, UnitKind
    from hoso.organizations.services import unit_attach

    with transaction.atomic():
        state = demo._Seed(rng=random.Random(SCHOOL_SEED), password=make_password(None))
        state.subjects = {
            (s.grade, s.code): s for s in Subject.objects.filter(programme=Programme.GDPT_2018)
        }
        state.years = {demo.CURRENT_YEAR: SchoolYear.objects.get(name=demo.CURRENT_YEAR)}
        # Ids and pupil codes the demo already uses stay unique.
        state.used_ids = set(Student.objects.values_list("national_id", flat=True))
        state.student_code_next = 5_000_000
        school = Unit.objects.create(
            kind=UnitKind.SCHOOL,
            code=BENCH_SCHOOL,
            name="Trường THPT Hòa Sơn số 2 (bench)",
            valid_from=demo.TREE_FROM,
            school_type=SchoolType.UPPER,
            grades=list(GRADES),
            address="phường Trần Phú, thành phố Hòa Sơn, tỉnh Hòa Sơn",
        )
        unit_attach(
            child=school, parent=Unit.objects.get(code="SO-DEMO"), valid_from=demo.TREE_FROM
        )
        classes = SchoolClass.objects.bulk_create(
            SchoolClass(school=school, year=state.year, grade=grade, name=f"{grade}A{number}")
            for grade in GRADES
            for number in range(1, CLASSES_PER_GRADE + 1)
        )
        pupils = [
            (demo._generated_student(state, grade=c.grade, school=school, area="city"), c)
            for c, size in zip(classes, class_sizes, strict=True)
            for _ in range(size)
        ]
        Student.objects.bulk_create(student for student, _ in pupils)
        demo._enroll(state, pupils, year=state.year)
        demo._staff_school(state, school, classes, first_teacher=None)
    return len(pupils)


def _mark(rng: random.Random, low: float, high: float) -> float:
    """A mark as a teacher types it: one decimal, now and then two (rounded on import, D20)."""
    places = 2 if rng.random() < 0.03 else 1
    return round(rng.uniform(low, high), places)


def write_school_workbook(path: Path, *, school_code: str = BENCH_SCHOOL) -> SchoolWorkbook:
    """The school's workbook for ``SUBJECT_NAME`` from its enrolments, one sheet per class."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from hoso.academics.models import Enrollment, EnrollmentStatus
    from hoso.demo.seed import CURRENT_YEAR

    rng = random.Random(MARKS_SEED)
    enrollments = (
        Enrollment.objects.filter(
            school__code=school_code, year__name=CURRENT_YEAR, status=EnrollmentStatus.STUDYING
        )
        .select_related("student", "school_class")
        .order_by("school_class__grade", "school_class__name", "student__name_sort_key", "id")
    )
    book = Workbook()
    default = book.active
    assert default is not None
    book.remove(default)
    sheets: dict[str, Worksheet] = {}
    students = cells = 0
    for e in enrollments:
        name = e.school_class.name
        sheet = sheets.get(name)
        if sheet is None:
            sheet = sheets[name] = book.create_sheet(name)
            sheet.append(HEADER)
        student = e.student
        regular: list[float | None] = [_mark(rng, 5, 10) for _ in range(4)]
        if rng.random() < 0.05:
            regular[3] = None  # not entered yet (D6): a blank never writes nor erases
        mid = (_mark(rng, 2, 6), _mark(rng, 2, 4))
        final = (_mark(rng, 2, 6), _mark(rng, 2, 4))
        students += 1
        cells += sum(v is not None for v in regular) + 2
        row_number = sheet.max_row
        born = student.date_of_birth
        sheet.append(
            (
                str(row_number),
                name,
                student.national_id,
                int(student.school_student_code),
                f"{student.school_student_code}@truong.example.edu.vn",
                student.full_name,
                born.strftime("%d/%m/%Y") if born else None,
                *regular,
                *mid,
                *final,
                0,
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return SchoolWorkbook(path=path, sheets=len(sheets), students=students, cells=cells)
