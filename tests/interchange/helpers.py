"""Shared helpers of the import/export tests: the demo school's people and small workbooks made
of real rows of the teacher's file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from hoso.academics.models import TeachingAssignment
from hoso.accounts.models import User
from hoso.demo.data import REAL_WORKBOOK
from hoso.interchange.mark_import import ImportReport, import_marks
from hoso.interchange.teacher_workbook import MarkRow, read_teacher_workbook

SCHOOL = "LC-DEMO"
YEAR = "2025-2026"
SUBJECT = "Tin học"
# Within semester 2 of 2025-2026 (the demo sets no entry deadline).
TODAY = dt.date(2026, 5, 20)
HEADER_9 = ["STT", "Tên lớp", "Mã định danh", "MSHS", "Email", "Họ và tên", "Ngày sinh"]
MARKS_9 = ["TX1", "TX2", "GKTN", "CKTN", "CKTH", "Điểm cộng/trừ"]


def user(username: str) -> User:
    return User.objects.get(username=username)


def assignment_of(group: str) -> TeachingAssignment:
    return TeachingAssignment.objects.select_related(
        "group", "subject", "school", "year", "teacher"
    ).get(group__name=group, group__school__code=SCHOOL, subject__code="tin_hoc")


def run(
    source: Any = REAL_WORKBOOK,
    *,
    dry_run: bool = False,
    actor: User | None = None,
    semester: int = 2,
    file_name: str = "so-diem-tt22-2025-2026-anon.xlsx",
) -> ImportReport:
    return import_marks(
        actor=actor,
        source=source,
        file_name=file_name,
        school_code=SCHOOL,
        year=YEAR,
        semester=semester,
        subject_name=SUBJECT,
        dry_run=dry_run,
        today=TODAY,
    )


def real_rows(sheet: str) -> tuple[MarkRow, ...]:
    return read_teacher_workbook(REAL_WORKBOOK).sheet(sheet).rows


def row_9(row: MarkRow, **marks: Any) -> list[Any]:
    """A line of a grade-9 sheet in the real layout, with some marks replaced."""
    values = {h: row.marks.get(h) for h in MARKS_9}
    values.update(marks)
    birth = row.birth_date.strftime("%d/%m/%Y") if row.birth_date else None
    identity = [1, row.class_name, row.national_id, row.student_code, row.email]
    return [*identity, row.full_name, birth, *(values[h] for h in MARKS_9)]


def write_book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = Workbook()
    default = book.active
    assert default is not None
    book.remove(default)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for line in rows:
            sheet.append(line)
    book.save(path)
    return path


def sheet_9(path: Path, lines: list[list[Any]], title: str = "9H01") -> Path:
    return write_book(path, {title: [HEADER_9 + MARKS_9, *lines]})
