"""The teacher's mark workbook reader, on the real file and on small variants of its format."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from hoso.demo.data import REAL_WORKBOOK
from hoso.interchange.teacher_workbook import (
    MSG_MISSING_COLUMN,
    TeacherWorkbook,
    WorkbookError,
    read_teacher_workbook,
)

HEADER = [
    "STT",
    "Tên lớp",
    "Mã định danh",
    "MSHS",
    "Email",
    "Họ và tên",
    "Ngày sinh",
    "TX1",
    "TX2",
    "GKTN",
    "CKTN",
    "CKTH",
    "Điểm cộng/trừ",
]


@pytest.fixture(scope="module")
def real() -> TeacherWorkbook:
    return read_teacher_workbook(REAL_WORKBOOK)


def write_book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


# --- the real file --------------------------------------------------------------------------


def test_real_file_has_four_sheets_and_116_students(real: TeacherWorkbook) -> None:
    assert [s.name for s in real.sheets] == ["12T1", "9H01", "9H02", "MUL10L3"]
    assert len(real.rows) == 116
    assert len({r.national_id for r in real.rows}) == 116


def test_real_file_classes_come_from_the_class_column_not_the_sheet(
    real: TeacherWorkbook,
) -> None:
    assert set(real.class_names) == {"12T1", "9H01", "9H02", "10A1", "10A2", "10F1", "10F2"}
    group = real.sheet("MUL10L3")
    assert set(group.class_names) == {"10A1", "10A2", "10F1", "10F2"}
    assert len(group.rows) == 27
    counts = Counter(r.class_name for r in real.rows)
    assert counts["12T1"] == 29 and counts["9H01"] == 30 and counts["9H02"] == 30


def test_real_file_ids_stay_text(real: TeacherWorkbook) -> None:
    for row in real.rows:
        assert isinstance(row.national_id, str) and row.national_id.isdigit()
        assert len(row.national_id) == 10
        assert isinstance(row.student_code, str) and row.student_code.isdigit()
    first = real.sheet("12T1").rows[0]
    assert first.row == 2  # the Excel row, header on row 1
    assert first.national_id == "7944185218"
    assert first.student_code == "8136247"
    assert first.email == "8136247@truong.example.edu.vn"
    assert first.full_name == "Trần Gia Anh"
    assert first.birth_date == dt.date(2008, 6, 7)


def test_real_file_marks_are_exact_decimals_by_header(real: TeacherWorkbook) -> None:
    sheet_12 = real.sheet("12T1")
    assert sheet_12.mark_columns == (
        "TX1",
        "TX2",
        "TX3",
        "GKTN",
        "GKTH",
        "CKTN",
        "CKTH",
        "Điểm cộng/trừ",
    )
    assert "TX3" not in real.sheet("9H01").mark_columns  # grade 9: two regular marks
    assert sheet_12.rows[0].marks["TX1"] == Decimal("9.3")
    values = {v for r in real.rows for v in r.marks.values()}
    # Two decimals kept as entered: the importer rounds (D20), not the reader.
    assert Decimal("4.95") in values and Decimal("9.75") in values
    assert all(isinstance(v, Decimal) for v in values)
    assert all(str(v) == str(v).strip() and "E" not in str(v) for v in values)


# --- tolerant reading -----------------------------------------------------------------------


def test_title_block_odd_headers_float_ids_and_blank_marks(tmp_path: Path) -> None:
    # Given a title block, headers in another case/spacing/normal form and an unknown column
    header = [
        "stt",
        " TÊN  LỚP ",
        unicodedata.normalize("NFD", "Mã định danh"),
        "mshs",
        "EMAIL",
        "Họ và  tên",
        "Ngày sinh",
        "Ghi chú",
        "tx1",
        "TX 2",
        "GKTN",
        "CKTN",
        "CKTH",
        "Điểm cộng / trừ",
    ]
    first_identity = [1, "9H01", 2503656229.0, 1517275.0, None, "  Phạm  Hữu Mỹ An ", "03/09/2011"]
    second_identity = [2, "9H01", "0012345678", "A12", "", "Lê Thị Bình", dt.datetime(2011, 4, 27)]
    rows: list[list[Any]] = [
        ["SỞ GIÁO DỤC VÀ ĐÀO TẠO"],
        ["SỔ ĐIỂM MÔN TIN HỌC — HỌC KÌ II"],
        [],
        header,
        [*first_identity, "x", 10, None, "8,5", 5.7, 2.8, -0.5],
        [*second_identity, None, "", 0, 9.95, 4.75, 0, None],
        [None, None, None, None, None, None, None, "Người lập bảng"],
    ]
    path = write_book(tmp_path / "book.xlsx", {"Trang 1": rows})
    # When it is read
    book = read_teacher_workbook(path)
    # Then the table under the title block is found and every value comes back as text/Decimal
    (sheet,) = book.sheets
    assert sheet.header_row == 4
    assert sheet.mark_columns == ("TX1", "TX2", "GKTN", "CKTN", "CKTH", "Điểm cộng/trừ")
    first, second = sheet.rows
    assert (first.row, second.row) == (5, 6)
    assert first.national_id == "2503656229"
    assert first.student_code == "1517275"
    assert first.full_name == "Phạm Hữu Mỹ An"
    assert first.birth_date == dt.date(2011, 9, 3)
    assert first.marks == {
        "TX1": Decimal("10"),
        "TX2": None,
        "GKTN": Decimal("8.5"),
        "CKTN": Decimal("5.7"),
        "CKTH": Decimal("2.8"),
        "Điểm cộng/trừ": Decimal("-0.5"),
    }
    assert second.national_id == "0012345678"  # leading zeros survive
    assert second.birth_date == dt.date(2011, 4, 27)
    assert second.marks["TX1"] is None and second.marks["TX2"] == Decimal("0")
    assert second.marks["GKTN"] == Decimal("9.95")


def test_sheet_without_a_table_is_skipped(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "book.xlsx",
        {
            "Hướng dẫn": [["Nhập điểm vào các trang tính lớp."]],
            "9H01": [HEADER, [1, "9H01", "123", "1", "", "An", "01/01/2011", 9, 9, 9, 5, 4, 0]],
        },
    )
    assert [s.name for s in read_teacher_workbook(path).sheets] == ["9H01"]


# --- errors ---------------------------------------------------------------------------------


def test_missing_required_column_names_sheet_row_and_column(tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "Mã định danh"]
    path = write_book(tmp_path / "book.xlsx", {"9H02": [["Sổ điểm"], header]})
    with pytest.raises(WorkbookError) as caught:
        read_teacher_workbook(path)
    error = caught.value
    assert (error.sheet, error.row, error.column) == ("9H02", 2, "Mã định danh")
    assert error.reason == MSG_MISSING_COLUMN.format(column="Mã định danh")
    assert "trang tính “9H02”, dòng 2, cột “Mã định danh”" in str(error)


def test_unreadable_date_and_mark_are_reported_together(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        HEADER,
        [1, "9H01", "1", "1", "", "Lê An", "31/02/2011", 9, 9, 9, 5, 4, 0],
        [2, "9H01", "2", "2", "", "Lê Bình", "01/01/2011", 9, "chín", 9, 5, 4, 0],
        [3, "9H01", "3", "3", "", "Lê Chi", "hôm qua", 9, 9, 9, 5, 4, 0],
    ]
    path = write_book(tmp_path / "book.xlsx", {"9H01": rows})
    with pytest.raises(WorkbookError) as caught:
        read_teacher_workbook(path)
    where = [(p.sheet, p.row, p.column) for p in caught.value.problems]
    assert where == [("9H01", 2, "Ngày sinh"), ("9H01", 3, "TX2"), ("9H01", 4, "Ngày sinh")]
    assert "không đọc được" in caught.value.problems[0].reason
    assert "không phải là số" in caught.value.problems[1].reason


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_text("không phải Excel", encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        read_teacher_workbook(path)
    assert "Không mở được tệp Excel" in caught.value.reason
