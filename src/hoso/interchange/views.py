"""Excel import and export pages of a mark book (issue 4). Thin: the work is in ``mark_import``
and ``mark_export``; here only upload checks, the preview → confirm flow and file responses.

Import flow: the teacher (or a school admin) uploads a ``.xlsx`` (≤ 5 MB) on a grid; the file is
kept under ``MEDIA_ROOT/imports/<token>.xlsx`` and a dry run is shown — what will change, the
marks rounded (D20), ignored columns, every error with a downloadable error workbook. "Xác nhận
nhập" re-plans the same file: if the book changed since the preview, the new preview is shown
again; otherwise the import is applied, all or nothing. Kept files older than a day are removed.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoso.academics.models import TeachingAssignment
from hoso.accounts.access import access_class
from hoso.accounts.models import User
from hoso.accounts.permissions import Perm
from hoso.assessment.selectors import access_assignment
from hoso.audit.services import client_info_from_request
from hoso.core.errors import NotFoundError
from hoso.interchange import errors as E
from hoso.interchange.mark_export import (
    ExportedFile,
    export_assignment_book,
    export_class_book,
)
from hoso.interchange.mark_import import (
    ImportReport,
    apply_import,
    errors_workbook,
    may_import,
    plan_import,
)
from hoso.interchange.teacher_workbook import WorkbookProblem

MAX_UPLOAD_MB = 5
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
KEEP_SECONDS = 24 * 3600
_ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip archive


def _semester(semester: int) -> int:
    if semester not in (1, 2):
        raise Http404()
    return semester


def _assignment(request: HttpRequest, assignment_uuid: uuid.UUID) -> TeachingAssignment:
    try:
        return access_assignment(request.user, str(assignment_uuid), Perm.VIEW_MARKS)
    except NotFoundError as error:
        raise Http404(error.message) from error


def _writable(request: HttpRequest, assignment_uuid: uuid.UUID) -> TeachingAssignment:
    """The assignment, if the user may import into it: its teacher or a school admin."""
    assignment = _assignment(request, assignment_uuid)
    user = request.user
    if not isinstance(user, User) or not may_import(user, assignment):
        raise PermissionDenied(E.MSG_PERMISSION)
    return assignment


def _download(exported: ExportedFile) -> HttpResponse:
    response = HttpResponse(exported.content, content_type=ExportedFile.content_type)
    disposition = content_disposition_header(as_attachment=True, filename=exported.file_name)
    response["Content-Disposition"] = disposition or "attachment"
    return response


def _grid_url(assignment: TeachingAssignment, semester: int) -> str | None:
    try:
        return reverse("mark-grid", args=[assignment.uuid, semester])
    except NoReverseMatch:  # the grid page lives in hoso.assessment
        return None


# --- export -------------------------------------------------------------------------------------


@login_required
@require_GET
def export_assignment(
    request: HttpRequest, assignment_uuid: uuid.UUID, semester: int
) -> HttpResponse:
    """The book of one teaching assignment as ``.xlsx`` (also the import template)."""
    assignment = _assignment(request, assignment_uuid)
    try:
        exported = export_assignment_book(
            actor=request.user, assignment=assignment, semester=_semester(semester)
        )
    except NotFoundError as error:
        raise Http404(error.message) from error
    return _download(exported)


@login_required
@require_GET
def export_class(request: HttpRequest, class_uuid: uuid.UUID, semester: int) -> HttpResponse:
    """A class's book for all its subjects (one sheet per subject)."""
    try:
        school_class = access_class(request.user, str(class_uuid), Perm.VIEW_MARKS)
        exported = export_class_book(
            actor=request.user, school_class=school_class, semester=_semester(semester)
        )
    except NotFoundError as error:
        raise Http404(error.message) from error
    return _download(exported)


# --- import -------------------------------------------------------------------------------------


def _import_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:  # pragma: no cover - removed by a concurrent request
            pass


def _paths(token: str) -> tuple[Path, Path]:
    if not token.isalnum():
        raise Http404()
    folder = _import_dir()
    return folder / f"{token}.xlsx", folder / f"{token}.json"


def _load_pending(
    request: HttpRequest, assignment: TeachingAssignment, semester: int, token: str
) -> tuple[Path, dict[str, Any]]:
    file_path, meta_path = _paths(token)
    if not file_path.exists() or not meta_path.exists():
        raise _Expired()
    meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    if (
        meta.get("user_id") != request.user.pk
        or meta.get("assignment") != str(assignment.uuid)
        or meta.get("semester") != semester
    ):
        raise Http404()
    return file_path, meta


class _Expired(Exception):
    pass


def _plan(
    request: HttpRequest, assignment: TeachingAssignment, semester: int, path: Path, name: str
) -> tuple[ImportReport, dict[int, TeachingAssignment]]:
    user = request.user
    assert isinstance(user, User)
    return plan_import(
        actor=user,
        source=path,
        file_name=name,
        school=assignment.school,
        year=assignment.year,
        semester=semester,
        subject_name=assignment.subject.name,
    )


def _problems_json(problems: tuple[WorkbookProblem, ...]) -> list[list[Any]]:
    return [[p.sheet, p.row, p.column, p.reason] for p in problems]


def _render_form(
    request: HttpRequest,
    assignment: TeachingAssignment,
    semester: int,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "interchange/import_upload.html",
        {
            "assignment": assignment,
            "semester": semester,
            "error": error,
            "max_mb": MAX_UPLOAD_MB,
            "grid_url": _grid_url(assignment, semester),
        },
        status=status,
    )


def _render_preview(
    request: HttpRequest,
    assignment: TeachingAssignment,
    semester: int,
    report: ImportReport,
    token: str,
    *,
    notice: str = "",
) -> HttpResponse:
    return render(
        request,
        "interchange/import_preview.html",
        {
            "assignment": assignment,
            "semester": semester,
            "report": report,
            "token": token,
            "notice": notice,
            "new": sum(c.new for c in report.counts),
            "changed": sum(c.changed for c in report.counts),
            "grid_url": _grid_url(assignment, semester),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, assignment_uuid: uuid.UUID, semester: int) -> HttpResponse:
    """GET: the upload form. POST: check the file and show the dry run (nothing written)."""
    assignment = _writable(request, assignment_uuid)
    semester = _semester(semester)
    if request.method == "GET":
        return _render_form(request, assignment, semester)
    upload = request.FILES.get("file")
    if upload is None:
        return _render_form(request, assignment, semester, error=E.MSG_NO_UPLOAD, status=400)
    name = Path(upload.name or "").name
    if not name.lower().endswith(".xlsx"):
        return _render_form(request, assignment, semester, error=E.MSG_NOT_XLSX, status=400)
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        message = E.MSG_TOO_BIG.format(limit=MAX_UPLOAD_MB)
        return _render_form(request, assignment, semester, error=message, status=400)
    content = upload.read()
    if not content.startswith(_ZIP_MAGIC):
        return _render_form(request, assignment, semester, error=E.MSG_NOT_XLSX, status=400)
    folder = _import_dir()
    _forget_old(folder)
    token = secrets.token_hex(16)
    file_path, meta_path = _paths(token)
    file_path.write_bytes(content)
    report, _ = _plan(request, assignment, semester, file_path, name)
    meta = {
        "user_id": request.user.pk,
        "assignment": str(assignment.uuid),
        "semester": semester,
        "file_name": name,
        "fingerprint": report.fingerprint,
        "errors": _problems_json(report.errors),
    }
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return _render_preview(request, assignment, semester, report, token)


@login_required
@require_POST
def import_confirm(
    request: HttpRequest, assignment_uuid: uuid.UUID, semester: int, token: str
) -> HttpResponse:
    """ "Xác nhận nhập": apply the previewed file, all or nothing."""
    assignment = _writable(request, assignment_uuid)
    semester = _semester(semester)
    try:
        file_path, meta = _load_pending(request, assignment, semester, token)
    except _Expired:
        return _render_form(request, assignment, semester, error=E.MSG_EXPIRED, status=410)
    name = meta["file_name"]
    report, assignments = _plan(request, assignment, semester, file_path, name)
    _, meta_path = _paths(token)
    if report.errors or report.fingerprint != meta["fingerprint"]:
        # The book changed since the preview (or the file now fails): show it again.
        meta.update(fingerprint=report.fingerprint, errors=_problems_json(report.errors))
        meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        notice = E.MSG_BOOK_CHANGED.format(current="xem lại các thay đổi dưới đây")
        return _render_preview(request, assignment, semester, report, token, notice=notice)
    user = request.user
    assert isinstance(user, User)
    result = apply_import(report, assignments, actor=user, client=client_info_from_request(request))
    if not result.applied:
        meta.update(errors=_problems_json(result.errors))
        meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        return _render_preview(request, assignment, semester, result, token)
    file_path.unlink(missing_ok=True)
    meta_path.unlink(missing_ok=True)
    return render(
        request,
        "interchange/import_done.html",
        {
            "assignment": assignment,
            "semester": semester,
            "report": result,
            "grid_url": _grid_url(assignment, semester),
        },
    )


@login_required
@require_GET
def import_errors(
    request: HttpRequest, assignment_uuid: uuid.UUID, semester: int, token: str
) -> HttpResponse:
    """The errors of a previewed file as an Excel workbook (sheet, row, column, reason)."""
    assignment = _writable(request, assignment_uuid)
    semester = _semester(semester)
    try:
        _, meta = _load_pending(request, assignment, semester, token)
    except _Expired as error:
        raise Http404(E.MSG_EXPIRED) from error
    problems = [WorkbookProblem(*item) for item in meta.get("errors", [])]
    stem = Path(meta["file_name"]).stem
    exported = ExportedFile(f"loi_{stem}.xlsx", errors_workbook(problems))
    return _download(exported)
