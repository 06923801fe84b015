"""Reader of a subject teacher's own mark workbook (the real format of ``so-diem-tt22-…xlsx``).

Each sheet holds a table with the columns ``STT, Tên lớp, Mã định danh, MSHS, Email, Họ và tên,
Ngày sinh, TX1, TX2[, TX3], GKTN[, GKTH], CKTN, CKTH, Điểm cộng/trừ``, possibly under a title
block. The sheet name is not the class: ``Tên lớp`` is, and one sheet (a teaching group such as
``MUL10L3``) may hold several classes.

It also reads the official two-row header hoso exports (``mark_export``): a group header
``ĐĐGtx`` over ``TX1 … TXn``, ``ĐĐGgk`` / ``ĐĐGck`` for the mid-term and end-of-term marks.
Columns it does not use are listed in ``MarkSheet.ignored_columns``; ``Đ`` / ``CĐ`` in a mark
cell (comment subjects) come back in ``MarkRow.comments``.

The reader only reads: marks come back exactly as entered (``Decimal``, never rounded — decision
D20 and the two-part sums belong to the importer), identifiers come back as text. It imports
nothing of Django so it can run anywhere (a command, a worker, a test).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

# Canonical headers of the identity columns; marks are recognised by pattern below.
STT = "STT"
CLASS_NAME = "Tên lớp"
NATIONAL_ID = "Mã định danh"
STUDENT_CODE = "MSHS"
EMAIL = "Email"
FULL_NAME = "Họ và tên"
BIRTH_DATE = "Ngày sinh"
BONUS = "Điểm cộng/trừ"

IDENTITY_HEADERS = (STT, CLASS_NAME, NATIONAL_ID, STUDENT_CODE, EMAIL, FULL_NAME, BIRTH_DATE)
REQUIRED_HEADERS = (CLASS_NAME, NATIONAL_ID, FULL_NAME, BIRTH_DATE)

# Regular marks TX1…TXn; mid-term / end-of-term as one mark (GK, CK) or two parts
# (…TN multiple-choice, …TH practical).
_MARK_PATTERN = re.compile(r"^(tx\d{1,2}|gk|gktn|gkth|ck|cktn|ckth)$")
# The official book's spellings of the mid-term / end-of-term columns (two-row header).
_MARK_ALIASES = {"đđggk": "GK", "đđgck": "CK"}
# A group header over the TX sub-columns of a two-row header: not a column of its own.
GROUP_HEADERS = frozenset({"đđgtx"})
# Comment subjects (Đ / CĐ) in a mark cell.
_COMMENT_WORDS = {"đ": "Đ", "đạt": "Đ", "cđ": "CĐ", "chưađạt": "CĐ"}
# A title block (department, school, motto, title, dates) runs to about seven rows in real files.
HEADER_SEARCH_ROWS = 20

MSG_NO_HEADER = "Không tìm thấy dòng tiêu đề của bảng điểm (cần các cột: {columns})."
MSG_MISSING_COLUMN = "Thiếu cột bắt buộc “{column}”."
MSG_BAD_DATE = "Ngày sinh “{value}” không đọc được (cần dạng dd/mm/yyyy)."
MSG_BAD_MARK = "Điểm “{value}” không phải là số."
MSG_BAD_ID = "Mã “{value}” không hợp lệ (cần một dãy chữ số)."
MSG_NO_SHEET = "Tệp không có trang tính nào chứa bảng điểm."
MSG_UNREADABLE = "Không mở được tệp Excel: {reason}"


@dataclass(frozen=True, slots=True)
class WorkbookProblem:
    """One thing wrong with the file, where a teacher can find it (1-based Excel row)."""

    sheet: str
    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = [f"trang tính “{self.sheet}”"] if self.sheet else []
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột “{self.column}”")
        return (", ".join(where) + ": " if where else "") + self.reason


class WorkbookError(Exception):
    """The workbook cannot be read; ``problems`` lists every problem found, first one first."""

    def __init__(self, problems: Sequence[WorkbookProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    @property
    def sheet(self) -> str:
        return self.problems[0].sheet

    @property
    def row(self) -> int | None:
        return self.problems[0].row

    @property
    def column(self) -> str:
        return self.problems[0].column

    @property
    def reason(self) -> str:
        return self.problems[0].reason


@dataclass(frozen=True, slots=True)
class MarkRow:
    """One student's line of one sheet, as the teacher wrote it."""

    sheet: str
    row: int
    class_name: str
    national_id: str
    student_code: str
    email: str
    full_name: str
    birth_date: dt.date | None
    # Mark cells keyed by canonical header ("TX1", "GKTN", "Điểm cộng/trừ" …); None = blank.
    marks: Mapping[str, Decimal | None] = field(hash=False)
    # Comment-subject cells ("Đ" / "CĐ") keyed the same way (their ``marks`` entry is None).
    comments: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class MarkSheet:
    name: str
    header_row: int
    mark_columns: tuple[str, ...]
    rows: tuple[MarkRow, ...]
    # Header texts of columns the reader does not use ("Ghi chú", "ĐTBmhk" …), left to right.
    ignored_columns: tuple[str, ...] = ()
    # The texts of the title block above the table ("Môn: Tin học", "Học kì: II" …), in order.
    title_lines: tuple[str, ...] = ()

    @property
    def class_names(self) -> tuple[str, ...]:
        """The classes the sheet draws from, in order of first appearance."""
        return tuple(dict.fromkeys(r.class_name for r in self.rows if r.class_name))


@dataclass(frozen=True, slots=True)
class TeacherWorkbook:
    sheets: tuple[MarkSheet, ...]

    @property
    def rows(self) -> tuple[MarkRow, ...]:
        return tuple(row for sheet in self.sheets for row in sheet.rows)

    @property
    def class_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for s in self.sheets for name in s.class_names))

    def sheet(self, name: str) -> MarkSheet:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(name)


def _header_key(text: str) -> str:
    """Tolerant header comparison: NFC, case and every space ignored ("Điểm cộng / trừ")."""
    return "".join(unicodedata.normalize("NFC", text).casefold().split())


_KNOWN = {_header_key(h): h for h in (*IDENTITY_HEADERS, BONUS)}
# Spellings seen in other exports of the same columns.
_KNOWN.update(
    {
        _header_key("Lớp"): CLASS_NAME,
        _header_key("Mã số học sinh"): STUDENT_CODE,
        _header_key("Họ tên"): FULL_NAME,
        _header_key("E-mail"): EMAIL,
        _header_key("Điểm cộng trừ"): BONUS,
    }
)


def canonical_header(value: Any) -> str | None:
    """The canonical name of a header cell, or None for a column the reader does not use."""
    if value is None:
        return None
    key = _header_key(str(value))
    if key in _KNOWN:
        return _KNOWN[key]
    if key in _MARK_ALIASES:
        return _MARK_ALIASES[key]
    if _MARK_PATTERN.match(key):
        return key.upper()
    return None


def read_comment(value: Any) -> str | None:
    """``Đ`` / ``CĐ`` for a comment-subject cell (also ``Đạt``, ``Chưa đạt``), else None."""
    if not isinstance(value, str):
        return None
    return _COMMENT_WORDS.get(_header_key(value))


def clean_text(value: Any) -> str:
    """NFC text with inner whitespace collapsed (names typed with double spaces, NBSP …)."""
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def read_code(value: Any) -> str:
    """An identifier as text: spreadsheets turn ``2503656229`` into the float ``2503656229.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ValueError(MSG_BAD_ID.format(value=value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(MSG_BAD_ID.format(value=value))
        return str(int(value))
    text = clean_text(value)
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    return text


_DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def read_date(value: Any) -> dt.date | None:
    """A birth date from a date cell, ``dd/mm/yyyy`` text or an Excel serial number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell whose format was lost: Excel's serial day number.
        if 1 <= value < 2958466:
            converted = from_excel(value)
            if isinstance(converted, dt.datetime):
                return converted.date()
            if isinstance(converted, dt.date):
                return converted
        raise ValueError(MSG_BAD_DATE.format(value=value))
    text = clean_text(value)
    match = _DATE_TEXT.match(text)
    if match is None:
        raise ValueError(MSG_BAD_DATE.format(value=text))
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(MSG_BAD_DATE.format(value=text)) from None


def read_mark(value: Any) -> Decimal | None:
    """A mark exactly as entered: ``repr`` of a float is its shortest exact spelling (4.95 stays
    4.95, not 4.9500000000000001776…); a decimal comma is accepted in text cells."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(MSG_BAD_MARK.format(value=value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = clean_text(value)
    if not text:
        return None
    try:
        mark = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(MSG_BAD_MARK.format(value=text)) from None
    if not mark.is_finite():
        raise ValueError(MSG_BAD_MARK.format(value=text))
    return mark


def _find_header(rows: Sequence[tuple[Any, ...]]) -> tuple[int, dict[int, str]] | None:
    """The 0-based index of the header row and its used columns (column index → canonical
    header), or None. The header is the row, among the first ones, that names the most known
    columns — at least three, so a title line that happens to say "Lớp" is not taken for it.

    A two-row header (``ĐĐGtx`` over ``TX1 … TXn``) is read as one: mark sub-headers of the row
    just above or below fill the columns the header row leaves to them."""
    best: tuple[int, dict[int, str]] | None = None
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[int, str] = {}
        for col, value in enumerate(cells):
            header = canonical_header(value)
            if header is not None and header not in columns.values():
                columns[col] = header
        if len(columns) >= 3 and (best is None or len(columns) > len(best[1])):
            best = (index, columns)
    if best is None:
        return None
    index, columns = best
    for neighbour in (index - 1, index + 1):
        if not 0 <= neighbour < len(rows):
            continue
        for col, value in enumerate(rows[neighbour]):
            header = canonical_header(value)
            if (
                header is not None
                and header not in IDENTITY_HEADERS
                and col not in columns
                and header not in columns.values()
            ):
                columns[col] = header
    return index, columns


def _ignored_columns(cells: tuple[Any, ...], used: dict[int, str]) -> tuple[str, ...]:
    """The header texts of the header row the reader does not use (group headers excepted)."""
    ignored: list[str] = []
    for col, value in enumerate(cells):
        text = clean_text(value)
        if col in used or not text or _header_key(text) in GROUP_HEADERS:
            continue
        ignored.append(text)
    return tuple(ignored)


def _read_sheet(name: str, rows: Sequence[tuple[Any, ...]]) -> MarkSheet | WorkbookError | None:
    found = _find_header(rows)
    if found is None:
        # A sheet with no table at all (notes, instructions) is skipped; one that looks like a
        # mark table but lacks a required column is an error (below).
        return None
    header_index, columns = found
    header_row = header_index + 1
    problems: list[WorkbookProblem] = []
    present = set(columns.values())
    for required in REQUIRED_HEADERS:
        if required not in present:
            problems.append(
                WorkbookProblem(
                    name, header_row, required, MSG_MISSING_COLUMN.format(column=required)
                )
            )
    if problems:
        return WorkbookError(problems)
    by_header = {header: col for col, header in columns.items()}
    mark_columns = tuple(
        header for _, header in sorted(columns.items()) if header not in IDENTITY_HEADERS
    )
    marks_out: list[MarkRow] = []

    def cell(cells: tuple[Any, ...], header: str) -> Any:
        col = by_header.get(header)
        if col is None or col >= len(cells):
            return None
        value = cells[col]
        return None if isinstance(value, str) and not value.strip() else value

    for offset, cells in enumerate(rows[header_index + 1 :]):
        excel_row = header_row + offset + 1
        if not clean_text(cell(cells, FULL_NAME)) and not read_code_safe(cell(cells, NATIONAL_ID)):
            continue  # blank lines, totals or signatures under the table
        values: dict[str, Any] = {}
        for header, reader in (
            (NATIONAL_ID, read_code),
            (STUDENT_CODE, read_code),
            (BIRTH_DATE, read_date),
        ):
            try:
                values[header] = reader(cell(cells, header))
            except ValueError as exc:
                problems.append(WorkbookProblem(name, excel_row, header, str(exc)))
        marks: dict[str, Decimal | None] = {}
        comments: dict[str, str] = {}
        for header in mark_columns:
            raw = cell(cells, header)
            comment = read_comment(raw)
            if comment is not None:
                marks[header] = None
                comments[header] = comment
                continue
            try:
                marks[header] = read_mark(raw)
            except ValueError as exc:
                problems.append(WorkbookProblem(name, excel_row, header, str(exc)))
        if problems:
            continue
        marks_out.append(
            MarkRow(
                sheet=name,
                row=excel_row,
                class_name=clean_text(cell(cells, CLASS_NAME)),
                national_id=values[NATIONAL_ID],
                student_code=values[STUDENT_CODE],
                email=clean_text(cell(cells, EMAIL)),
                full_name=clean_text(cell(cells, FULL_NAME)),
                birth_date=values[BIRTH_DATE],
                marks=marks,
                comments=comments,
            )
        )
    if problems:
        return WorkbookError(problems)
    return MarkSheet(
        name=name,
        header_row=header_row,
        mark_columns=mark_columns,
        rows=tuple(marks_out),
        ignored_columns=_ignored_columns(rows[header_index], columns),
        title_lines=tuple(
            text for cells in rows[:header_index] for text in map(clean_text, cells) if text
        ),
    )


def read_code_safe(value: Any) -> str:
    try:
        return read_code(value)
    except ValueError:
        return str(value)


def read_teacher_workbook(source: str | Path | IO[bytes]) -> TeacherWorkbook:
    """Every mark table of the workbook; ``WorkbookError`` lists all problems if any."""
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, KeyError) for a bad file
        problem = WorkbookProblem("", None, "", MSG_UNREADABLE.format(reason=exc))
        raise WorkbookError([problem]) from exc
    try:
        sheets: list[MarkSheet] = []
        problems: list[WorkbookProblem] = []
        for worksheet in book.worksheets:
            rows = [tuple(r) for r in worksheet.iter_rows(values_only=True)]
            result = _read_sheet(worksheet.title, rows)
            if isinstance(result, WorkbookError):
                problems.extend(result.problems)
            elif result is not None:
                sheets.append(result)
    finally:
        book.close()
    if problems:
        raise WorkbookError(problems)
    if not sheets:
        reason = MSG_NO_SHEET + " " + MSG_NO_HEADER.format(columns=", ".join(REQUIRED_HEADERS))
        raise WorkbookError([WorkbookProblem("", None, "", reason)])
    return TeacherWorkbook(sheets=tuple(sheets))
