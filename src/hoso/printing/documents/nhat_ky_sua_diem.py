"""nhat-ky-sua-diem: a teacher's mark-edit log for one month, printed for leadership before the
monthly subject meeting (R4.3, R4.6a; forms.md §7). Data from ``hoso.workflow``'s frozen selector
``mark_edit_log`` when that app is installed; an empty log otherwise."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass

from django.utils import timezone

from hoso.printing.documents.common import Header, PrintRequest, school_header
from hoso.printing.errors import MSG_BAD_MONTH, PrintError


@dataclass(frozen=True)
class LogLine:
    stt: int
    changed_at: str
    student: str
    class_name: str
    subject: str
    semester: str
    column: str
    old: str
    new: str
    changed_by: str
    request: str
    reason: str


@dataclass(frozen=True)
class EditLog:
    title: str
    header: Header
    teacher: str
    month: str  # "03/2026"
    lines: tuple[LogLine, ...]
    corrections: int


def month_of(request: PrintRequest) -> tuple[int, int]:
    text = request.options.get("month") or timezone.localdate().strftime("%Y-%m")
    try:
        year, month = (int(part) for part in text.split("-"))
        dt.date(year, month, 1)
    except ValueError:
        raise PrintError(MSG_BAD_MONTH) from None
    return year, month


def build(request: PrintRequest) -> EditLog:
    teacher = request.teacher
    assert teacher is not None
    year, month = month_of(request)
    lines: list[LogLine] = []
    corrections = 0
    try:
        selectors = importlib.import_module("hoso.workflow.selectors")
    except ImportError:
        selectors = None
    if selectors is not None:
        # The print was authorised by print_issue; the selector reads as the teacher themself.
        log = selectors.mark_edit_log(actor=teacher, teacher=teacher, year=year, month=month)
        corrections = log.corrections
        for i, entry in enumerate(log.entries, start=1):
            lines.append(
                LogLine(
                    stt=i,
                    changed_at=timezone.localtime(entry.changed_at).strftime("%d/%m/%Y %H:%M"),
                    student=entry.student_name,
                    class_name=entry.class_name,
                    subject=entry.subject,
                    semester="I" if entry.semester == 1 else "II",
                    column=entry.column,
                    old=entry.old_text,
                    new=entry.new_text,
                    changed_by=entry.changed_by,
                    request=entry.request_reference,
                    reason=entry.request_reason,
                )
            )
    return EditLog(
        title=f"Nhật kí sửa điểm tháng {month:02d}/{year} — {teacher.display_name}",
        header=school_header(request.school, request.year),
        teacher=teacher.display_name,
        month=f"{month:02d}/{year}",
        lines=tuple(lines),
        corrections=corrections,
    )
