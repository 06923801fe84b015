"""Printing a form: build the frozen document, render it, record it, audit it (issue 7; R2.2,
R3.1–R3.3, R6.1). One audit event per print, one per batch (interfaces.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from hoso.academics.models import Enrollment, EnrollmentStatus, SchoolClass
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

    def summary(self) -> RenderedSummary:
        return RenderedSummary(
            request=self.request,
            title=self.title,
            code=self.code,
            sha256=sha256(self.pdf),
            data_fingerprint=self.data_fingerprint,
            pages=page_count(self.pdf),
            size=len(self.pdf),
        )


@dataclass(frozen=True)
class RenderedSummary:
    """What the record of a rendered document needs, without the PDF: a batch keeps only these
    in memory while its PDFs go straight into the zip on disk."""

    request: PrintRequest
    title: str
    code: str
    sha256: str
    data_fingerprint: str
    pages: int
    size: int


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
    rendered: RenderedSummary,
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
        sha256=rendered.sha256,
        data_fingerprint=rendered.data_fingerprint,
        pages=rendered.pages,
        size=rendered.size,
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
        record = _record(
            rendered.summary(), actor=actor, printed_at=printed_at, ad_hoc=ad_hoc, reason=reason
        )
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


# --- batch printing (R6.1: the office prints a whole class or the whole school) ------------------


def print_batch_create(
    *, actor: User, request: PrintRequest, ad_hoc: bool = False, reason: str = ""
) -> PrintBatch:
    """Queue a batch print of one student form for every student of a class, or, with
    ``request.school_class`` empty, for every studying student of the school in the year."""
    if FORMS[request.form].needs != "student":
        raise PrintError("In hàng loạt cần một mẫu in theo học sinh.")
    if request.school_class is not None and request.school_class.school_id != request.school.id:
        raise PrintError("Lớp không thuộc trường đã chọn.")
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


def _folder_name(school_class: SchoolClass) -> str:
    # A class name is free text: keep it one folder level in the zip.
    return re.sub(r"[/\\]+", "-", school_class.name).strip() or str(school_class.id)


def _batch_students(batch: PrintBatch) -> list[tuple[SchoolClass, str, Enrollment]]:
    """(class, file name in the zip, enrolment) in print order. A class: its students in name
    order. The school: every studying student of its classes of the year, classes by grade then
    name, one folder per class, numbered from 1 in each."""
    if batch.school_class is not None:
        enrollments = (
            Enrollment.objects.filter(school_class=batch.school_class)
            .select_related("student")
            .order_by("student__name_sort_key", "student__national_id")
        )
        return [
            (batch.school_class, _file_name(stt, enrollment), enrollment)
            for stt, enrollment in enumerate(enrollments, start=1)
        ]
    classes = {
        school_class.id: school_class
        for school_class in SchoolClass.objects.filter(school=batch.school, year=batch.year)
    }
    enrollments = (
        Enrollment.objects.filter(school_class__in=list(classes), status=EnrollmentStatus.STUDYING)
        .select_related("student")
        .order_by(
            "school_class__grade",
            "school_class__name",
            "student__name_sort_key",
            "student__national_id",
        )
    )
    students: list[tuple[SchoolClass, str, Enrollment]] = []
    stt, previous = 0, None
    for enrollment in enrollments:
        school_class = classes[enrollment.school_class_id]
        stt = 1 if school_class.id != previous else stt + 1
        previous = school_class.id
        name = f"{_folder_name(school_class)}/{_file_name(stt, enrollment)}"
        students.append((school_class, name, enrollment))
    return students


def print_batch_run(
    *,
    batch_id: int,
    client: ClientInfo | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> PrintBatch:
    """Run a queued batch: one PDF per student, zipped; progress saved after each student (the
    page polls it). Plain function: the embedded mode calls it inline, a Celery task wraps it
    in production (``hoso.printing.tasks``). Each PDF goes into a temporary zip on disk as soon
    as it is rendered (a school is some 1,500 files): only the records' metadata stays in memory.
    All documents and the one audit event are recorded together at the end, so a failed batch
    leaves no half-recorded prints."""
    batch = PrintBatch.objects.select_related("school", "year", "school_class", "requested_by").get(
        id=batch_id
    )
    students = _batch_students(batch)
    PrintBatch.objects.filter(id=batch.id).update(
        state=BatchState.RUNNING, total=len(students), done=0
    )
    ad_hoc = bool(batch.parameters.get("ad_hoc"))
    reason = str(batch.parameters.get("reason") or "")
    semester = batch.parameters.get("semester")
    options = dict(batch.parameters.get("options") or {})
    actor = batch.requested_by
    printed_at = timezone.now()
    subject = (
        f"lớp {batch.school_class.name}"
        if batch.school_class
        else f"{batch.school.name} (cả trường)"
    )
    rendered: list[RenderedSummary] = []
    try:
        with tempfile.TemporaryFile(suffix=".zip") as archive:
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
                for done, (school_class, name, enrollment) in enumerate(students, start=1):
                    request = PrintRequest(
                        form=batch.form,
                        school=batch.school,
                        year=batch.year,
                        school_class=school_class,
                        student=enrollment.student,
                        semester=int(semester) if semester else None,
                        options=dict(options),
                    )
                    item = print_render(
                        request=request,
                        printed_on=timezone.localdate(printed_at),
                        ad_hoc=ad_hoc,
                        reason=reason,
                        printed_by=actor.display_name if actor else "",
                    )
                    bundle.writestr(name, item.pdf)
                    rendered.append(item.summary())
                    PrintBatch.objects.filter(id=batch.id).update(done=done)
                    if on_progress is not None:
                        on_progress(done, len(students))
            archive.seek(0)
            with transaction.atomic():
                records = [
                    _record(
                        item_summary,
                        actor=actor,
                        printed_at=printed_at,
                        ad_hoc=ad_hoc,
                        reason=reason,
                        batch=batch,
                    )
                    for item_summary in rendered
                ]
                batch.refresh_from_db()
                batch.archive.save(
                    f"{batch.form}-{_archive_label(batch)}-{batch.uuid}.zip",
                    File(archive),
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
                        f"In hàng loạt {FORMS[batch.form].title.split(' (')[0]} {subject}: "
                        f"{len(records)} tệp"
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


def _archive_label(batch: PrintBatch) -> str:
    if batch.school_class is not None:
        return _folder_name(batch.school_class)
    return re.sub(r"[^A-Za-z0-9-]+", "-", batch.school.code or "truong").strip("-") or "truong"
