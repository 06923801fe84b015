"""Export of a mark book to Excel (issue 4): one teaching assignment's book for a semester, or a
class's book for all its subjects (one sheet per subject).

The layout is the official book's: a title block (Sở, Trường, Lớp, Môn, Học kì, Năm học), then the
two-row header — ``ĐĐGtx`` over ``TX1 … TXn``, ``ĐĐGgk``, ``ĐĐGck``, ``ĐTBmhk`` (and ``ĐTBmcn`` in
semester 2) — with STT, Mã định danh (text, so leading zeros survive), Họ và tên, Ngày sinh
(dd/mm/yyyy) and Tên lớp. Marks are numbers shown with one decimal (``0.0``); comment subjects
are written Đ / CĐ. Averages come from the rules engine through ``gradebook_get``; nothing is
computed here.

The same file is the **template** the importer reads back (``mark_import``): a teacher fills in
or corrects marks and uploads it; the title lines ``Môn:`` and ``Học kì:`` keep a sheet from
being imported into another subject or semester, and the average columns are ignored.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from hoso.academics.models import SchoolClass, TeachingAssignment
from hoso.accounts.access import Actor, can
from hoso.accounts.permissions import Perm
from hoso.assessment.models import MarkKind
from hoso.assessment.selectors import Gradebook, GridRow, gradebook_get
from hoso.core.errors import NotFoundError
from hoso.organizations.models import Unit, UnitKind
from hoso.organizations.selectors import ancestors_of
from hoso.rules.values import Comment

SEMESTER_ROMAN = {1: "I", 2: "II"}
# Title lines the importer reads back (``mark_import``): keep these prefixes.
TITLE_SUBJECT = "Môn: "
TITLE_SEMESTER = "Học kì: "
TITLE_ROWS = 6
HEADER_ROW = TITLE_ROWS + 2  # a blank line, then the two-row header
FIRST_DATA_ROW = HEADER_ROW + 2
IDENTITY = ("STT", "Mã định danh", "Họ và tên", "Ngày sinh", "Tên lớp")
IDENTITY_WIDTHS = (5, 14, 28, 12, 9)
MARK_FORMAT = "0.0"
DATE_FORMAT = "DD/MM/YYYY"
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class ExportedFile:
    file_name: str
    content: bytes

    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _department(school: Unit) -> str:
    for unit in ancestors_of(school):
        if unit.kind == UnitKind.PROVINCE:
            return unit.name
    return ""


def _safe_file_part(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z._-]+", "-", text).strip("-") or "so-diem"


def _sheet_title(text: str, taken: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("-", text)[:31] or "Sổ điểm"
    title, n = base, 2
    while title in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


def _number(value: object) -> Decimal | str | None:
    if value is None:
        return None
    if isinstance(value, Comment):
        return value.value
    if isinstance(value, Decimal):
        return value
    return str(value)


def _write_book(
    sheet: Worksheet,
    *,
    book: Gradebook,
    rows: Sequence[GridRow],
    class_label: str,
    department: str,
) -> None:
    assignment = book.assignment
    semester = book.semester
    titles = (
        f"Sở: {department}" if department else "Sở:",
        f"Trường: {assignment.school.name}",
        class_label,
        f"{TITLE_SUBJECT}{assignment.subject.name}",
        f"{TITLE_SEMESTER}{SEMESTER_ROMAN[semester]}",
        f"Năm học: {assignment.year.name}",
    )
    for number, text in enumerate(titles, start=1):
        sheet.cell(row=number, column=1, value=text).font = Font(bold=number <= 2)

    regular = [c for c in book.columns if c.kind == MarkKind.REGULAR]
    periodic = [c for c in book.columns if c.kind != MarkKind.REGULAR]
    averages = ["ĐTBmhk"] + (["ĐTBmcn"] if semester == 2 else [])
    top, sub = HEADER_ROW, HEADER_ROW + 1
    col = 1
    for text in IDENTITY:
        sheet.cell(row=top, column=col, value=text)
        sheet.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
        col += 1
    first_regular = col
    sheet.cell(row=top, column=col, value="ĐĐGtx")
    if len(regular) > 1:
        sheet.merge_cells(
            start_row=top, start_column=col, end_row=top, end_column=col + len(regular) - 1
        )
    for column in regular:
        sheet.cell(row=sub, column=col, value=column.label)
        col += 1
    for text in [
        *("ĐĐGgk" if c.kind == MarkKind.MIDTERM else "ĐĐGck" for c in periodic),
        *averages,
    ]:
        sheet.cell(row=top, column=col, value=text)
        sheet.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
        col += 1
    last_col = col - 1
    for r in (top, sub):
        for c in range(1, last_col + 1):
            cell = sheet.cell(row=r, column=c)
            cell.font = Font(bold=True)
            cell.alignment = _CENTER
            cell.border = _BORDER

    for offset, grid_row in enumerate(rows):
        r = FIRST_DATA_ROW + offset
        student = grid_row.enrollment.student
        values: list[object] = [
            offset + 1,
            student.national_id,
            student.full_name,
            student.date_of_birth,
            grid_row.enrollment.school_class.name,
        ]
        for cell_data in grid_row.cells:
            mark = cell_data.mark
            if mark is None or not mark.is_entered:
                values.append(None)
            else:
                values.append(mark.value if mark.value is not None else mark.comment)
        values.append(
            _number(grid_row.averages.semester_1 if semester == 1 else grid_row.averages.semester_2)
        )
        if semester == 2:
            values.append(_number(grid_row.averages.year))
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.border = _BORDER
            if c == 2:
                cell.number_format = "@"  # Mã định danh stays text
            elif c == 4:
                cell.number_format = DATE_FORMAT
                cell.alignment = Alignment(horizontal="center")
            elif c >= first_regular:
                cell.number_format = MARK_FORMAT
                cell.alignment = Alignment(horizontal="center")
    for c, width in enumerate(IDENTITY_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    for c in range(first_regular, last_col + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 8
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=first_regular)
    sheet.page_setup.orientation = "landscape"
    sheet.print_title_rows = f"{top}:{sub}"


def _class_label(book: Gradebook, rows: Sequence[GridRow]) -> str:
    group = book.assignment.group
    if group.school_class_id is not None:
        return f"Lớp: {group.name}"
    classes = sorted({r.enrollment.school_class.name for r in rows})
    return f"Lớp: {', '.join(classes)} (nhóm {group.name})"


def _save(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_assignment_book(
    *, actor: Actor, assignment: TeachingAssignment, semester: int
) -> ExportedFile:
    """One teaching assignment's book for a semester (the grid as a file, and the template the
    importer reads back). ``NotFoundError`` when the actor may not see its marks."""
    book = gradebook_get(actor=actor, assignment=assignment, semester=semester)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _sheet_title(assignment.group.name, set())
    _write_book(
        sheet,
        book=book,
        rows=book.rows,
        class_label=_class_label(book, book.rows),
        department=_department(assignment.school),
    )
    name = (
        f"so-diem_{_safe_file_part(assignment.group.name)}_{assignment.subject.code}"
        f"_HK{semester}_{assignment.year.name}.xlsx"
    )
    return ExportedFile(name, _save(workbook))


def export_class_book(*, actor: Actor, school_class: SchoolClass, semester: int) -> ExportedFile:
    """A class's book for every subject taught to it (its own groups and the mixed groups its
    students sit in), one sheet per subject, only this class's students. Needs the right to see
    the marks of every subject of the class (principal, admins, officers)."""
    if not can(actor, Perm.VIEW_MARKS, school_class):
        raise NotFoundError()
    assignments = (
        TeachingAssignment.objects.filter(
            school_id=school_class.school_id, year_id=school_class.year_id
        )
        .filter(Q(group__school_class=school_class) | Q(group__members__school_class=school_class))
        .select_related("group", "group__school_class", "subject", "school", "year", "teacher")
        .distinct()
        .order_by("subject__position", "subject__name", "group__name")
    )
    workbook = Workbook()
    default = workbook.active
    assert default is not None
    taken: set[str] = set()
    department = _department(school_class.school)
    for assignment in assignments:
        book = gradebook_get(actor=actor, assignment=assignment, semester=semester)
        rows = [r for r in book.rows if r.enrollment.school_class_id == school_class.id]
        sheet = workbook.create_sheet(_sheet_title(assignment.subject.name, taken))
        _write_book(
            sheet,
            book=book,
            rows=rows,
            class_label=f"Lớp: {school_class.name}",
            department=department,
        )
    if len(workbook.worksheets) > 1:
        workbook.remove(default)
    else:
        default.title = school_class.name
        default.cell(row=1, column=1, value="Lớp chưa có phân công giảng dạy.")
    name = (
        f"so-diem_{_safe_file_part(school_class.name)}_HK{semester}_{school_class.year.name}.xlsx"
    )
    return ExportedFile(name, _save(workbook))
