"""bien-ban-sua-diem: the correction record (biên bản sửa dữ liệu) of one correction request
(R4.3, R4.6, R6.1: archived with the books). Data from ``hoso.workflow``'s frozen selector
``correction_record``; without a request reference (or without that app) a blank record prints,
to be filled by hand."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.utils import timezone

from hoso.printing.documents.common import Header, PrintRequest, roman, school_header
from hoso.printing.errors import MSG_NO_CORRECTION, PrintError


@dataclass(frozen=True)
class RecordLine:
    stt: int
    student: str
    class_name: str
    subject: str
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class CorrectionSheet:
    title: str
    header: Header
    blank: bool
    reference: str
    year: str
    semester: str
    subject: str
    group: str
    path: str
    status: str
    requester: str
    approver: str
    applied_by: str
    reason: str
    approver_comment: str
    submitted_at: str
    decided_at: str
    applied_at: str
    lines: tuple[RecordLine, ...]
    evidence: tuple[str, ...]


def _when(value: object) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")  # type: ignore[arg-type]


def build(request: PrintRequest) -> CorrectionSheet:
    header = school_header(request.school, request.year)
    ref = request.options.get("ref", "")
    empty = CorrectionSheet(
        title=f"Biên bản sửa dữ liệu — {request.school.name}",
        header=header,
        blank=True,
        reference="",
        year=request.year.name,
        semester="",
        subject="",
        group="",
        path="",
        status="",
        requester="",
        approver="",
        applied_by="",
        reason="",
        approver_comment="",
        submitted_at="",
        decided_at="",
        applied_at="",
        lines=(),
        evidence=(),
    )
    if not ref:
        return empty
    try:
        models = importlib.import_module("hoso.workflow.models")
        selectors = importlib.import_module("hoso.workflow.selectors")
    except ImportError:
        raise PrintError(MSG_NO_CORRECTION.format(ref=ref)) from None
    # The reference is "SĐ-" and the first 8 hex digits of the request's UUID (workflow).
    key = ref.upper().removeprefix("SĐ-").removeprefix("SD-").strip().lower()
    found = (
        models.CorrectionRequest.objects.filter(school=request.school, uuid__istartswith=key[:8])
        .select_related("requester")
        .first()
    )
    if found is None:
        raise PrintError(MSG_NO_CORRECTION.format(ref=ref))
    # The print was authorised by print_issue; the selector reads as the requester.
    record = selectors.correction_record(actor=found.requester, request=found)
    return CorrectionSheet(
        title=f"Biên bản sửa dữ liệu {record.reference}",
        header=header,
        blank=False,
        reference=record.reference,
        year=record.school_year,
        semester=roman(record.semester),
        subject=record.subject,
        group=record.group,
        path=f"{record.path_label} ({record.path})",
        status=record.status_label,
        requester=record.requester.full_name,
        approver=record.approver.full_name if record.approver else "",
        applied_by=record.applied_by.full_name if record.applied_by else "",
        reason=record.reason,
        approver_comment=record.approver_comment,
        submitted_at=_when(record.submitted_at),
        decided_at=_when(record.decided_at),
        applied_at=_when(record.applied_at),
        lines=tuple(
            RecordLine(
                i, it.student_name, it.class_name, it.subject, it.column, it.old_text, it.new_text
            )
            for i, it in enumerate(record.items, start=1)
        ),
        evidence=tuple(
            f"{e.kind_label}: {e.original_name} (SHA-256 {e.sha256[:16]}…)" for e in record.evidence
        ),
    )
