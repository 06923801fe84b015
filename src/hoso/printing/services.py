"""Printing a form: build the frozen document, render it, record it, audit it (issue 7; R2.2,
R3.1–R3.3, R6.1). One audit event per print, one per batch (interfaces.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from hoso.academics.models import Enrollment
from hoso.accounts.access import can, scope_of
from hoso.accounts.models import Role, User
from hoso.accounts.permissions import Perm
from hoso.assessment.models import Mark, MarkState
from hoso.audit import registry
from hoso.audit.services import ClientInfo, audit_record
from hoso.core.errors import PermissionDeniedError
from hoso.printing.documents.common import PrintRequest, roman
from hoso.printing.errors import PrintError
from hoso.printing.forms import FORMS, FormSpec
from hoso.printing.models import BatchState, PrintBatch, PrintedDocument
from hoso.printing.render import PrintStamp, compile_json, document_json, fingerprint, stamp_json

PRINT_ISSUED = "print.issued"
PRINT_BATCH_ISSUED = registry.register("print.batch_issued", "In hàng loạt")

# Crockford-like: no 0/O, 1/I/L, so a code read off paper is typed back right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_PATTERN = re.compile(r"hoso-ma-xac-minh:([0-9A-Z]{4}-[0-9A-Z]{4})")
COMMAND_LINE_ROLE = "Quản trị hệ thống (dòng lệnh)"
TRANSFER_REASON = "Chuyển trường"


@dataclass(frozen=True)
class IssuedPrint:
    record: PrintedDocument
    pdf: bytes


@dataclass(frozen=True)
class Rendered:
    """A rendered document not yet recorded."""

    request: PrintRequest
    spec: FormSpec
    title: str
    code: str
    pdf: bytes
    data_fingerprint: str


def public_base_url() -> str:
    return str(getattr(settings, "HOSO_PUBLIC_URL", "") or "http://127.0.0.1:8000").rstrip("/")


def verification_url(code: str) -> str:
    return f"{public_base_url()}/xac-minh/{code}/"


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(text: str) -> str:
    raw = re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFC", text).upper())
    return f"{raw[:4]}-{raw[4:8]}" if len(raw) == 8 else raw


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def sha256(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()


def code_in_pdf(pdf: bytes) -> str | None:
    """The verification code written in the PDF's metadata, if any."""
    match = CODE_PATTERN.search(pdf.decode("latin-1"))
    return match.group(1) if match else None


def role_label(actor: User | None, request: PrintRequest) -> str:
    """The printer's role as the verification page shows it publicly (not the name)."""
    if actor is None:
        return COMMAND_LINE_ROLE
    labels = [
        Role(grant.role).label
        for grant in scope_of(actor).grants
        if grant.unit_id == request.school.id
    ]
    if not labels:
        labels = [Role(grant.role).label for grant in scope_of(actor).grants]
    return ", ".join(str(label) for label in labels[:2])


def may_print(actor: User | None, request: PrintRequest) -> bool:
    """The office prints (R6.1: Perm.PRINT on the school); a teacher prints their own personal
    book and edit log; a homeroom teacher prints the report cards of their class (R12.8)."""
    if actor is None:  # manage.py print_form: whoever runs the server's commands
        return True
    if can(actor, Perm.PRINT, request.school):
        return True
    if request.form in ("so-ca-nhan", "nhat-ky-sua-diem") and request.teacher == actor:
        return True
    if request.form == "phieu-lien-lac" and request.school_class is not None:
        if can(actor, Perm.ENTER_HOMEROOM, request.school_class):
            return True
        return _parent_may_print(actor, request)
    return False


def _parent_may_print(actor: User, request: PrintRequest) -> bool:
    """A parent prints their own child's report card of a semester whose marks are all published
    (R12.8: drafts stay the teacher's)."""
    if request.student is None or request.semester not in (1, 2):
        return False
    scope = scope_of(actor)
    if Role.PARENT not in scope.roles or request.student.id not in scope.child_student_ids:
        return False
    marks = Mark.objects.filter(
        enrollment__student=request.student,
        enrollment__school_class=request.school_class,
        semester=request.semester,
    )
    return marks.exists() and not marks.filter(state=MarkState.DRAFT).exists()


def describe(request: PrintRequest, spec: FormSpec) -> str:
    parts = [spec.title.split(" (")[0]]
    if request.school_class is not None:
        parts.append(f"lớp {request.school_class.name}")
    if request.student is not None:
        parts.append(request.student.full_name)
    if request.teacher is not None:
        parts.append(request.teacher.display_name)
    if request.semester:
        parts.append(f"học kì {roman(request.semester)}")
    parts.append(f"năm học {request.year.name}")
    return ", ".join(parts)


def print_render(
    *,
    request: PrintRequest,
    printed_on: dt.date,
    ad_hoc: bool,
    reason: str = "",
    printed_by: str = "",
    code: str | None = None,
) -> Rendered:
    """Build and render one document (no writes)."""
    spec = FORMS[request.form]
    document = spec.builder()(request)
    data_text = document_json(document)
    code = code or new_code()
    stamp = PrintStamp(
        code=code,
        url=verification_url(code),
        printed_on=printed_on,
        ad_hoc=ad_hoc,
        reason=reason,
        printed_by=printed_by,
    )
    pdf = compile_json(spec.name, data_text, stamp_json(stamp), archived=spec.archived)
    return Rendered(request, spec, describe(request, spec), code, pdf, fingerprint(data_text))


def _record(
    rendered: Rendered,
    *,
    actor: User | None,
    printed_at: dt.datetime,
    ad_hoc: bool,
    reason: str,
    batch: PrintBatch | None = None,
) -> PrintedDocument:
    request = rendered.request
    parameters: dict[str, object] = {"options": dict(request.options)}
    if request.semester:
        parameters["semester"] = request.semester
    return PrintedDocument.objects.create(
        code=rendered.code,
        form=request.form,
        title=rendered.title[:300],
        school=request.school,
        year=request.year,
        school_class=request.school_class,
        student=request.student,
        teacher=request.teacher,
        parameters=parameters,
        printed_by=actor,
        printed_by_role=role_label(actor, request)[:120],
        printed_at=printed_at,
        ad_hoc=ad_hoc,
        reason=reason[:300],
        sha256=sha256(rendered.pdf),
        data_fingerprint=rendered.data_fingerprint,
        pages=page_count(rendered.pdf),
        size=len(rendered.pdf),
        batch=batch,
    )


def print_issue(
    *,
    actor: User | None,
    request: PrintRequest,
    ad_hoc: bool = False,
    reason: str = "",
    client: ClientInfo | None = None,
) -> IssuedPrint:
    """Print one form and record it: the PDF, its SHA-256, the data fingerprint, one audit event
    ``print.issued``. Ad hoc prints show "In ngày dd/mm/yyyy" on every page (R3.2)."""
    if not may_print(actor, request):
        raise PermissionDeniedError()
    if request.form == "ho-so-chuyen-truong":  # R6.3: a transfer print is always ad hoc
        ad_hoc, reason = True, reason or TRANSFER_REASON
    printed_at = timezone.now()
    # Rendering happens before the transaction: the audit chain's lock is held only for the
    # moment of appending (interfaces.md).
    rendered = print_render(
        request=request,
        printed_on=timezone.localdate(printed_at),
        ad_hoc=ad_hoc,
        reason=reason,
        printed_by=actor.display_name if actor else "",
    )
    with transaction.atomic():
        record = _record(rendered, actor=actor, printed_at=printed_at, ad_hoc=ad_hoc, reason=reason)
        audit_record(
            actor=actor,
            action=PRINT_ISSUED,
            unit=request.school,
            target=record,
            summary=f"In {rendered.title} (mã {record.code}, {record.pages} trang)",
            changes=[_change(record)],
            reason=reason,
            client=client,
            school_year=request.year.name,
            actor_username=None if actor else "manage.py",
        )
    return IssuedPrint(record, rendered.pdf)


def _change(record: PrintedDocument) -> dict[str, object]:
    return {
        "object": f"printing.printeddocument:{record.code}",
        "field": "sha256",
        "old": None,
        "new": record.sha256,
    }


# --- batch printing (R6.1: the office prints a whole class) -------------------------------------


def print_batch_create(
    *, actor: User, request: PrintRequest, ad_hoc: bool = False, reason: str = ""
) -> PrintBatch:
    """Queue a batch print of one student form for every student of a class."""
    if request.school_class is None or FORMS[request.form].needs != "student":
        raise PrintError("In hàng loạt cần một lớp và một mẫu in theo học sinh.")
    if not can(actor, Perm.PRINT, request.school):
        raise PermissionDeniedError()
    return PrintBatch.objects.create(
        form=request.form,
        school=request.school,
        year=request.year,
        school_class=request.school_class,
        parameters={
            "semester": request.semester,
            "options": dict(request.options),
            "ad_hoc": ad_hoc,
            "reason": reason,
        },
        requested_by=actor,
    )


def _file_name(stt: int, enrollment: Enrollment) -> str:
    ascii_name = (
        unicodedata.normalize(
            "NFKD", enrollment.student.full_name.replace("Đ", "D").replace("đ", "d")
        )
        .encode("ascii", "ignore")
        .decode()
    )
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-")
    return f"{stt:03d}-{enrollment.student.national_id}-{slug}.pdf"


def print_batch_run(
    *,
    batch_id: int,
    client: ClientInfo | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> PrintBatch:
    """Run a queued batch: one PDF per student, zipped; progress saved after each student (the
    page polls it). Plain function: the embedded mode calls it inline, a Celery task wraps it
    in production (``hoso.printing.tasks``). All documents and the one audit event are recorded
    together at the end, so a failed batch leaves no half-recorded prints."""
    batch = PrintBatch.objects.select_related("school", "year", "school_class", "requested_by").get(
        id=batch_id
    )
    assert batch.school_class is not None
    enrollments = list(
        Enrollment.objects.filter(school_class=batch.school_class)
        .select_related("student")
        .order_by("student__name_sort_key", "student__national_id")
    )
    PrintBatch.objects.filter(id=batch.id).update(
        state=BatchState.RUNNING, total=len(enrollments), done=0
    )
    ad_hoc = bool(batch.parameters.get("ad_hoc"))
    reason = str(batch.parameters.get("reason") or "")
    semester = batch.parameters.get("semester")
    actor = batch.requested_by
    printed_at = timezone.now()
    rendered: list[tuple[str, Rendered]] = []
    try:
        for done, enrollment in enumerate(enrollments, start=1):
            request = PrintRequest(
                form=batch.form,
                school=batch.school,
                year=batch.year,
                school_class=batch.school_class,
                student=enrollment.student,
                semester=int(semester) if semester else None,
                options=dict(batch.parameters.get("options") or {}),
            )
            item = print_render(
                request=request,
                printed_on=timezone.localdate(printed_at),
                ad_hoc=ad_hoc,
                reason=reason,
                printed_by=actor.display_name if actor else "",
            )
            rendered.append((_file_name(done, enrollment), item))
            PrintBatch.objects.filter(id=batch.id).update(done=done)
            if on_progress is not None:
                on_progress(done, len(enrollments))
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
            for name, item in rendered:
                bundle.writestr(name, item.pdf)
        with transaction.atomic():
            records = [
                _record(
                    item,
                    actor=actor,
                    printed_at=printed_at,
                    ad_hoc=ad_hoc,
                    reason=reason,
                    batch=batch,
                )
                for _, item in rendered
            ]
            batch.refresh_from_db()
            batch.archive.save(
                f"{batch.form}-{batch.school_class.name}-{batch.uuid}.zip",
                ContentFile(archive.getvalue()),
                save=False,
            )
            batch.state = BatchState.DONE
            batch.finished_at = timezone.now()
            batch.save(update_fields=["archive", "state", "finished_at", "updated_at"])
            audit_record(
                actor=actor,
                action=PRINT_BATCH_ISSUED,
                unit=batch.school,
                target=batch,
                summary=(
                    f"In hàng loạt {FORMS[batch.form].title.split(' (')[0]} lớp "
                    f"{batch.school_class.name}: {len(records)} tệp"
                ),
                changes=[_change(record) for record in records],
                reason=reason,
                client=client,
                school_year=batch.year.name,
            )
    except Exception as exc:
        PrintBatch.objects.filter(id=batch.id).update(
            state=BatchState.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    return batch
