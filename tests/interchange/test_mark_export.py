"""Exporting a mark book to Excel (issue 4): the official layout, numbers as numbers, ids as text,
the engine's averages — and the same file read back by the importer (the template round trip)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hoso.academics.models import Enrollment, SchoolClass, TeachingAssignment
from hoso.assessment.models import Mark
from hoso.assessment.services import CellInput, marks_save
from hoso.core.errors import NotFoundError
from hoso.interchange import errors as E
from hoso.interchange.mark_export import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    export_assignment_book,
    export_class_book,
)
from hoso.interchange.mark_import import import_marks
from tests.interchange.helpers import TODAY, assignment_of, real_rows, run, user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_province")]


def test_an_assignment_book_has_the_official_layout_and_the_engines_averages() -> None:
    run()
    exported = export_assignment_book(
        actor=user("gvbm.tin"), assignment=assignment_of("9H02"), semester=2
    )
    assert exported.file_name == "so-diem_9H02_tin_hoc_HK2_2025-2026.xlsx"
    sheet = load_workbook(BytesIO(exported.content)).active
    assert sheet is not None
    titles = [sheet.cell(row=r, column=1).value for r in range(1, 7)]
    assert titles == [
        "Sở: Sở Giáo dục và Đào tạo tỉnh Hòa Sơn",
        f"Trường: {assignment_of('9H02').school.name}",
        "Lớp: 9H02",
        "Môn: Tin học",
        "Học kì: II",
        "Năm học: 2025-2026",
    ]
    top = [c.value for c in sheet[HEADER_ROW]]
    sub = [c.value for c in sheet[HEADER_ROW + 1]]
    assert top[:6] == ["STT", "Mã định danh", "Họ và tên", "Ngày sinh", "Tên lớp", "ĐĐGtx"]
    assert top[-4:] == ["ĐĐGgk", "ĐĐGck", "ĐTBmhk", "ĐTBmcn"]
    assert sub[5:8] == ["TX1", "TX2", "TX3"]  # the two required columns and one spare (D13)
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A8:A9", "F8:H8", "I8:I9"} <= merged
    rows = {
        r[2]: r
        for r in sheet.iter_rows(min_row=FIRST_DATA_ROW, values_only=True)
        if r[2] is not None
    }
    assert len(rows) == 30
    anh = rows["Trịnh Thu Xuân Anh"]
    assert anh[1] == "7974371048"  # text, not a number
    assert anh[3] == dt.datetime(2011, 7, 15)
    assert anh[5:11] == (10, 10, None, 9.6, 6.3, 8.3)  # CK 6,25 → 6,3; ĐTBmhk 8,3
    first = sheet.cell(row=FIRST_DATA_ROW, column=6)
    assert first.number_format == "0.0"
    assert sheet.cell(row=FIRST_DATA_ROW, column=2).number_format == "@"
    assert sheet.cell(row=FIRST_DATA_ROW, column=4).number_format == "DD/MM/YYYY"


def test_the_export_is_the_template_export_edit_import_and_the_mark_changed(
    tmp_path: Path,
) -> None:
    run()
    teacher = user("gvbm.tin")
    exported = export_assignment_book(
        actor=teacher, assignment=assignment_of("MUL10L3"), semester=2
    )
    book = load_workbook(BytesIO(exported.content))
    sheet = book.active
    assert sheet is not None
    # The teacher corrects one TX2 and fills the spare TX4 column of the first student.
    first_name = sheet.cell(row=FIRST_DATA_ROW, column=3).value
    sheet.cell(row=FIRST_DATA_ROW, column=7).value = 7.5
    sheet.cell(row=FIRST_DATA_ROW, column=9).value = 8.25
    path = tmp_path / exported.file_name
    book.save(path)
    report = import_marks(
        actor=teacher,
        source=path,
        file_name=path.name,
        school_code="LC-DEMO",
        year="2025-2026",
        semester=2,
        subject_name="tin hoc",
        today=TODAY,
    )
    assert report.applied, report.errors
    assert [(c.student_name, c.book_column, c.old_text, c.new_text) for c in report.changes] == [
        (first_name, "TX2", "10,0", "7,5"),
        (first_name, "TX4", "", "8,3"),
    ]
    assert report.unchanged == 27 * 5 - 1  # every other mark read back identical
    assert {i.column for i in report.ignored} == {"ĐTBmhk", "ĐTBmcn"}
    stored = Mark.objects.get(
        enrollment__student__full_name=first_name,
        subject__code="tin_hoc",
        semester=2,
        kind="regular",
        index=2,
    )
    assert stored.value == Decimal("7.5")


def test_a_template_of_another_semester_is_refused(tmp_path: Path) -> None:
    run()
    exported = export_assignment_book(
        actor=user("gvbm.tin"), assignment=assignment_of("9H01"), semester=2
    )
    path = tmp_path / "hk2.xlsx"
    path.write_bytes(exported.content)
    report = run(path, semester=1, file_name="hk2.xlsx")
    (problem,) = report.errors
    assert problem.reason == E.MSG_OTHER_SEMESTER.format(given="II", semester=1)


def test_a_class_book_has_one_sheet_per_subject_with_only_that_classs_students() -> None:
    run()
    school_class = SchoolClass.objects.get(school__code="LC-DEMO", name="10A1")
    exported = export_class_book(actor=user("hieutruong"), school_class=school_class, semester=2)
    book = load_workbook(BytesIO(exported.content))
    assert "Tin học" in book.sheetnames and len(book.sheetnames) > 5
    sheet = book["Tin học"]
    classes = {
        r[4] for r in sheet.iter_rows(min_row=FIRST_DATA_ROW, values_only=True) if r[2] is not None
    }
    assert classes == {"10A1"}
    assert sheet.cell(row=3, column=1).value == "Lớp: 10A1"
    # The class's book of every subject (another subject's sheet) is skipped by a Tin học import.
    report = run(BytesIO(exported.content), file_name=exported.file_name)
    assert report.ok and report.changes == () and report.unchanged == 3 * 5
    assert any(i.reason.startswith("Trang tính của môn") for i in report.ignored)


def test_a_comment_subject_is_exported_as_d_and_cd_and_imported_back(tmp_path: Path) -> None:
    assignment = (
        TeachingAssignment.objects.select_related("group", "subject", "teacher", "school", "year")
        .filter(
            group__school_class__name="12T1",
            school__code="LC-DEMO",
            subject__assessment="comment",
        )
        .first()
    )
    assert assignment is not None
    first = real_rows("12T1")[0]
    enrollment = Enrollment.objects.get(student__national_id=first.national_id)
    marks_save(
        actor=assignment.teacher,
        assignment=assignment,
        semester=2,
        cells=[CellInput(enrollment.id, "regular", 1, "Đ")],
        today=TODAY,
    )
    exported = export_assignment_book(actor=assignment.teacher, assignment=assignment, semester=2)
    book = load_workbook(BytesIO(exported.content))
    sheet = book.active
    assert sheet is not None
    row = next(
        r
        for r in range(FIRST_DATA_ROW, sheet.max_row + 1)
        if sheet.cell(row=r, column=2).value == first.national_id
    )
    assert sheet.cell(row=row, column=6).value == "Đ"
    sheet.cell(row=row, column=7).value = "CĐ"
    path = tmp_path / "gdtc.xlsx"
    book.save(path)
    report = import_marks(
        actor=assignment.teacher,
        source=path,
        file_name=path.name,
        school_code="LC-DEMO",
        year="2025-2026",
        semester=2,
        subject_name=assignment.subject.name,
        today=TODAY,
    )
    assert report.applied, report.errors
    assert [(c.book_column, c.new_text) for c in report.changes] == [("TX2", "CĐ")]


def test_someone_outside_the_school_cannot_export() -> None:
    stranger = user("hieutruong.thpt-demo")
    with pytest.raises(NotFoundError):
        export_assignment_book(actor=stranger, assignment=assignment_of("9H01"), semester=2)
    school_class = SchoolClass.objects.get(school__code="LC-DEMO", name="9H01")
    with pytest.raises(NotFoundError):
        export_class_book(actor=stranger, school_class=school_class, semester=2)
