"""The subject teacher's mark grid and the principal's locks and deadlines page (issue 4).

Thin: each view authorizes through the access helpers (404 out of scope), calls one selector or
service, and renders. The rules — what a mark is, states, locks, deadlines, averages — live in
``services.py``, ``selectors.py`` and the rules engine.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.academics.models import SchoolYear, TeachingAssignment
from hoso.academics.selectors import school_year_current
from hoso.accounts.access import access_school, is_principal_of
from hoso.accounts.models import User
from hoso.accounts.permissions import Perm
from hoso.assessment.forms import (
    DeadlineForm,
    ExtensionForm,
    LockForm,
    MidtermDateForm,
    SaveOutcome,
    SubmitForm,
    cells_from_json,
    grid_cells_save,
)
from hoso.assessment.models import BookLock, MarkKind
from hoso.assessment.selectors import (
    Gradebook,
    GridCell,
    GridRow,
    access_assignment,
    can_enter_marks,
    gradebook_get,
    grid_cell_closed,
    locks_overview_get,
    midterm_test_date,
    result_text,
)
from hoso.assessment.services import (
    book_lock,
    book_unlock,
    deadline_extend,
    deadline_set,
    marks_submit,
    midterm_test_record,
)
from hoso.audit.services import client_info_from_request
from hoso.core.errors import HosoError, NotFoundError, PermissionDeniedError
from hoso.organizations.models import Unit

REGIME_LABELS = {
    "TT22_2021": "Thông tư 22/2021/TT-BGDĐT",
    "TT43_2021": "Thông tư 43/2021/TT-BGDĐT (GDTX)",
    "TT58_2011": "Thông tư 58/2011/TT-BGDĐT (sửa đổi bởi TT26/2020)",
    "TT58_2011_original": "Thông tư 58/2011/TT-BGDĐT",
    "GDTX_old": "Quy chế GDTX (chương trình cũ)",
}
KIND_NAMES = {
    MarkKind.REGULAR: "ĐĐGtx",
    MarkKind.MIDTERM: "ĐĐGgk",
    MarkKind.FINAL: "ĐĐGck",
}
READ_ONLY_NOTE = "Bạn chỉ được xem sổ điểm này."


def grid_messages() -> dict[str, str]:
    """What grid.js says, translated here (the script has no catalogue of its own)."""
    return {
        "saving": _("Đang lưu…"),
        "saved": _("Đã lưu mọi thay đổi."),
        "dirty": _("%(n)s ô chưa lưu…"),
        "problems": _("%(n)s ô chưa lưu được (ô đỏ): chọn ô để xem lí do."),
        "offline": _("Mất kết nối: chưa lưu được, sẽ thử lại…"),
        "error": _("Không lưu được: "),
        "use": _("Dùng %(v)s"),
        "keep_theirs": _("Lấy giá trị hiện có (%(v)s)"),
        "keep_mine": _("Ghi giá trị tôi nhập"),
        "revert": _("Trả lại giá trị cũ"),
        "pasted": _("Đã dán %(n)s ô."),
        "skipped": _("%(n)s ô bỏ qua (không sửa được hoặc ngoài bảng)."),
        "empty": _("trống"),
    }


def grid_url(assignment: TeachingAssignment, semester: int) -> str:
    return reverse("mark-grid", args=[assignment.uuid, semester])


def _assignment(request: HttpRequest, assignment_uuid: uuid.UUID) -> TeachingAssignment:
    try:
        return access_assignment(request.user, str(assignment_uuid), Perm.VIEW_MARKS)
    except NotFoundError as error:
        raise Http404(error.message) from error


def _check_semester(semester: int) -> None:
    if semester not in (1, 2):
        raise Http404()


# --- The grid page --------------------------------------------------------------------------


@dataclass
class CellView:
    cell: GridCell
    closed: str | None  # why it is read-only (shown as its title and in the note)


@dataclass
class RowView:
    number: int
    row: GridRow
    cells: list[CellView]
    semester_average: str
    year_average: str


def _rows(book: Gradebook, editable: bool) -> list[RowView]:
    views = []
    for number, row in enumerate(book.rows, start=1):
        cells = []
        for cell in row.cells:
            closed = grid_cell_closed(row=row, cell=cell)
            cells.append(CellView(cell, closed or (None if editable else READ_ONLY_NOTE)))
        averages = row.averages
        semester_average = averages.semester_1 if book.semester == 1 else averages.semester_2
        views.append(
            RowView(
                number=number,
                row=row,
                cells=cells,
                semester_average=result_text(semester_average),
                year_average=result_text(averages.year) if book.semester == 2 else "",
            )
        )
    return views


@login_required
def grid_page(request: HttpRequest, assignment_uuid: uuid.UUID, semester: int) -> HttpResponse:
    """One teaching assignment's marks for one semester (R4.2, R4.4, R4.5, R13.1)."""
    _check_semester(semester)
    assignment = _assignment(request, assignment_uuid)
    book = gradebook_get(actor=request.user, assignment=assignment, semester=semester)
    editable = can_enter_marks(request.user, assignment)
    group = assignment.group
    locked_names = sorted(
        {row.enrollment.school_class.name for row in book.rows if row.locked_by_book}
    )
    test_date = midterm_test_date(assignment=assignment, semester=semester)
    return render(
        request,
        "assessment/grid.html",
        {
            "assignment": assignment,
            "book": book,
            "rows": _rows(book, editable),
            "semester": semester,
            "other_semester_url": grid_url(assignment, 3 - semester),
            "mixed": group.school_class_id is None,
            "editable": editable,
            "regime_label": REGIME_LABELS.get(book.regime_id, book.regime_id),
            "locked_names": locked_names,
            "any_closed": any(col.closed_reason for col in book.columns),
            "deadline_rows": [
                (KIND_NAMES[MarkKind(col.kind)], col) for col in book.columns if col.index == 1
            ],
            "test_date": test_date,
            "midterm_form": MidtermDateForm(initial={"test_date": test_date}),
            "grid_messages": grid_messages(),
            "save_url": reverse("mark-grid-save", args=[assignment.uuid, semester]),
            "submit_url": reverse("mark-grid-submit", args=[assignment.uuid, semester]),
            "midterm_url": reverse("mark-grid-midterm", args=[assignment.uuid, semester]),
            "has_draft": any(
                cell.mark is not None and cell.mark.is_entered and not cell.submitted
                for row in book.rows
                for cell in row.cells
            ),
        },
    )


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"message": message, "problems": []}, status=status)


def outcome_json(outcome: SaveOutcome, semester: int) -> dict[str, Any]:
    """The grid's answer: texts as on screen (decimal comma), as the page shows them."""
    if outcome.problems:
        return {
            "message": outcome.message,
            "problems": [
                {
                    "enrollment": p.enrollment,
                    "kind": p.problem.kind,
                    "index": p.problem.index,
                    "code": p.code,
                    "message": p.problem.message,
                    "suggestion": p.problem.suggestion,
                    "current_text": p.problem.current_text,
                    "current_version": p.problem.current_version,
                }
                for p in outcome.problems
            ],
        }
    rows = []
    for row in outcome.rows:
        averages = row.averages
        semester_average = averages.semester_1 if semester == 1 else averages.semester_2
        rows.append(
            {
                "enrollment": str(row.enrollment_uuid),
                "cells": [
                    {
                        "kind": kind,
                        "index": index,
                        "text": mark.display,
                        "version": mark.version,
                        "state": mark.state,
                    }
                    for (kind, index), mark in sorted(row.marks.items())
                ],
                "semester_average": result_text(semester_average),
                "year_average": result_text(averages.year) if semester == 2 else "",
                "missing": row.missing,
            }
        )
    return {
        "message": "",
        "saved": [
            {
                "enrollment": outcome.uuid_of.get(cell.enrollment_id, ""),
                "kind": cell.kind,
                "index": cell.index,
                "text": cell.text,
                "version": cell.version,
            }
            for cell in outcome.saved
        ],
        "unchanged": outcome.unchanged,
        "rows": rows,
    }


@login_required
@require_POST
def grid_save(request: HttpRequest, assignment_uuid: uuid.UUID, semester: int) -> JsonResponse:
    """``POST …/luu``: the grid's changed cells, saved all or nothing by ``marks_save``."""
    _check_semester(semester)
    try:
        assignment = access_assignment(request.user, str(assignment_uuid), Perm.VIEW_MARKS)
    except NotFoundError as error:
        return _json_error(error.message, 404)
    try:
        cells = cells_from_json(json.loads(request.body or b"null"))
        outcome = grid_cells_save(
            actor=request.user,
            assignment=assignment,
            semester=semester,
            cells=cells,
            client=client_info_from_request(request),
        )
    except (ValueError, RecursionError):  # not JSON at all, or nested too deep to parse
        return _json_error(MSG_NOT_JSON, 400)
    except PermissionDeniedError as error:
        return _json_error(error.message, 403)
    except HosoError as error:
        return _json_error(error.message, 400)
    return JsonResponse(outcome_json(outcome, semester), status=outcome.status)


MSG_NOT_JSON = "Dữ liệu gửi lên không đọc được (cần JSON)."


@login_required
@require_POST
def grid_submit(
    request: HttpRequest, assignment_uuid: uuid.UUID, semester: int
) -> HttpResponseRedirect:
    """'Hoàn tất' a column or the whole semester (R4.2): the teacher cannot change them after."""
    _check_semester(semester)
    assignment = _assignment(request, assignment_uuid)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cột điểm không hợp lệ."))
        return HttpResponseRedirect(grid_url(assignment, semester))
    kind = form.cleaned_data["kind"] or None
    index = form.cleaned_data["index"] if kind else None
    try:
        count = marks_submit(
            actor=request.user,  # type: ignore[arg-type]
            assignment=assignment,
            semester=semester,
            kind=kind,
            index=index,
            client=client_info_from_request(request),
        )
    except PermissionDeniedError as error:
        raise Http404(error.message) from error
    except HosoError as error:
        messages.error(request, error.message)
    else:
        if count:
            messages.success(request, _("Đã hoàn tất %(count)s điểm.") % {"count": count})
        else:
            messages.info(request, _("Không có điểm nháp nào để hoàn tất."))
    return HttpResponseRedirect(grid_url(assignment, semester))


@login_required
@require_POST
def grid_midterm(
    request: HttpRequest, assignment_uuid: uuid.UUID, semester: int
) -> HttpResponseRedirect:
    """The mid-term test date (R4.5b): ĐĐGgk are due within 7 days of it."""
    _check_semester(semester)
    assignment = _assignment(request, assignment_uuid)
    form = MidtermDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ngày kiểm tra giữa kì không hợp lệ (dd/mm/yyyy)."))
        return HttpResponseRedirect(grid_url(assignment, semester))
    try:
        midterm_test_record(
            actor=request.user,  # type: ignore[arg-type]
            assignment=assignment,
            semester=semester,
            test_date=form.cleaned_data["test_date"],
            client=client_info_from_request(request),
        )
    except PermissionDeniedError as error:
        raise Http404(error.message) from error
    except HosoError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã ghi ngày kiểm tra giữa kì."))
    return HttpResponseRedirect(grid_url(assignment, semester))


# --- The principal's locks and deadlines page (R4.4, R4.5, R14.2) ---------------------------


def lock_label(lock: BookLock) -> str:
    """'Lớp 10A1 — HK I' / 'Khối 10 — cả năm' / 'Toàn trường — HK II' for the lists."""
    period = f"HK {'I' * lock.semester}" if lock.semester else _("cả năm")
    if lock.scope == "school":
        return f"{_('Toàn trường')} — {period}"
    if lock.scope == "grade":
        return f"{_('Khối')} {lock.grade} — {period}"
    name = lock.school_class.name if lock.school_class else ""
    return f"{_('Lớp')} {name} — {period}"


def _school(request: HttpRequest, school_uuid: uuid.UUID) -> Unit:
    try:
        return access_school(request.user, str(school_uuid), Perm.LOCK_BOOK)
    except NotFoundError as error:
        raise Http404(error.message) from error


def _year(request: HttpRequest) -> SchoolYear:
    wanted = request.GET.get("nam")
    year = SchoolYear.objects.filter(name=wanted).first() if wanted else None
    year = year or school_year_current()
    if year is None:
        raise Http404(_("Chưa có năm học."))
    return year


@login_required
def locks_page(request: HttpRequest, school_uuid: uuid.UUID) -> HttpResponse:
    """Lock / unlock books, set deadlines, grant extensions — each through its service."""
    school = _school(request, school_uuid)
    year = _year(request)
    actor = request.user
    assert isinstance(actor, User)  # login_required
    overview = locks_overview_get(actor=actor, school=school, year=year)

    def lock_form(data: Any = None) -> LockForm:
        return LockForm(
            data,
            classes=overview.classes,
            principals=overview.principals,
            grades=overview.grades,
        )

    forms_: dict[str, Any] = {
        "lock_form": lock_form(),
        "deadline_form": DeadlineForm(),
        "extension_form": ExtensionForm(classes=overview.classes, teachers=overview.teachers),
    }
    action = request.POST.get("action", "") if request.method == "POST" else ""
    client = client_info_from_request(request)
    page_url = request.get_full_path()
    try:
        if action == "lock":
            locking = forms_["lock_form"] = lock_form(request.POST)
            if locking.is_valid():
                data = locking.cleaned_data
                book_lock(
                    actor=actor,
                    school=school,
                    year=year,
                    semester=locking.semester,
                    scope=data["scope"],
                    grade=data["grade"] or None,
                    school_class=data["school_class"],
                    decided_by=data["decided_by"],
                    note=data["note"],
                    client=client,
                )
                messages.success(request, _("Đã khóa sổ."))
                return HttpResponseRedirect(page_url)
        elif action == "unlock":
            lock = next(
                (lk for lk in overview.open_locks if str(lk.uuid) == request.POST.get("lock")),
                None,
            )
            if lock is None:
                raise Http404()
            decided_by = next(
                (p for p in overview.principals if str(p.pk) == request.POST.get("decided_by")),
                None,
            )
            book_unlock(
                actor=actor,
                lock=lock,
                decided_by=decided_by,
                note=request.POST.get("note", "")[:300],
                client=client,
            )
            messages.success(request, _("Đã mở khóa sổ."))
            return HttpResponseRedirect(page_url)
        elif action == "deadline":
            deadline = forms_["deadline_form"] = DeadlineForm(request.POST)
            if deadline.is_valid():
                data = deadline.cleaned_data
                deadline_set(
                    actor=actor,
                    school=school,
                    year=year,
                    semester=data["semester"],
                    kind=data["kind"],
                    due_on=data["due_on"],
                    opens_on=data["opens_on"],
                    client=client,
                )
                messages.success(request, _("Đã đặt hạn nhập điểm."))
                return HttpResponseRedirect(page_url)
        elif action == "extend":
            extension = forms_["extension_form"] = ExtensionForm(
                request.POST, classes=overview.classes, teachers=overview.teachers
            )
            if extension.is_valid():
                data = extension.cleaned_data
                deadline_extend(
                    actor=actor,
                    school=school,
                    year=year,
                    semester=data["semester"],
                    until=data["until"],
                    reason=data["reason"],
                    kind=data["kind"],
                    teacher=data["teacher"],
                    school_class=data["school_class"],
                    client=client,
                )
                messages.success(request, _("Đã gia hạn nhập điểm."))
                return HttpResponseRedirect(page_url)
    except HosoError as error:
        # Nothing was written (one transaction); the form keeps what was typed.
        messages.error(request, error.message)
    status = 400 if action else 200
    return render(
        request,
        "assessment/locks.html",
        {
            "school": school,
            "year": year,
            "years": list(SchoolYear.objects.all()),
            "overview": overview,
            "open_locks": [(lock, lock_label(lock)) for lock in overview.open_locks],
            "closed_locks": [(lock, lock_label(lock)) for lock in overview.closed_locks],
            "is_principal": is_principal_of(actor, school),
            **forms_,
        },
        status=status,
    )
