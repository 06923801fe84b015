"""Correction requests (issue 6; R4.3, R4.6a, R4.6b, R14.6): who may file, approve and apply;
files; the R4.6a deadline and the R4.3 path; the mark locked again at once; one event a call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest

from hoso.assessment.errors import MarkSaveRefused
from hoso.assessment.models import LockScope, Mark, MarkRevision
from hoso.assessment.selectors import gradebook_get
from hoso.assessment.services import CellInput, book_lock, deadline_set, marks_save
from hoso.audit.models import AuditEvent
from hoso.audit.verify import verify_chains
from hoso.core.errors import PermissionDeniedError
from hoso.workflow.errors import CorrectionError, EvidenceError
from hoso.workflow.evidence import MAX_EVIDENCE_BYTES, EvidenceInput
from hoso.workflow.models import (
    ApplyMode,
    CorrectionEvidence,
    CorrectionPath,
    CorrectionStatus,
    ReissueFlag,
    ReissueWhat,
)
from hoso.workflow.services import (
    CorrectionRefused,
    ItemInput,
    approval_delegate,
    correction_apply,
    correction_request_approve,
    correction_request_reject,
    correction_request_submit,
    workflow_settings_set,
)
from tests.workflow.conftest import TINY_PDF, TODAY, Corrections, png_evidence


def submit(corr: Corrections, text: str = "8,5", **kwargs):  # type: ignore[no-untyped-def]
    world = corr.world
    options = {
        "actor": world.teacher_a,
        "assignment": world.assignment_a,
        "semester": 1,
        "items": [ItemInput(corr.tx1.id, text)],
        "reason": "Nhập nhầm điểm của bạn khác",
        "evidence": [png_evidence()],
        "today": TODAY,
    }
    options.update(kwargs)
    return correction_request_submit(**options)


def test_given_a_submitted_mark_when_the_principal_approves_then_it_changes_and_is_locked(
    corr: Corrections,
) -> None:
    world = corr.world
    # Given a request filed with a photo of the test paper
    request = submit(corr)
    assert request.status == CorrectionStatus.SUBMITTED
    assert request.path == CorrectionPath.TEACHER_REQUEST
    evidence = CorrectionEvidence.objects.get(request=request)
    assert evidence.content_type == "image/png" and evidence.original_name == "bài kiểm tra.png"
    assert evidence.file.name.startswith(f"corrections/{world.school_a.uuid}/")
    assert "bài" not in evidence.file.name  # the stored name is never the uploaded one
    # When the principal approves (the school applies on approval, the default)
    correction_request_approve(actor=world.principal_a, request=request, comment="Đồng ý")
    # Then the mark has the new value, a new version, is locked on its own, and still submitted
    mark = Mark.objects.get(pk=corr.tx1.pk)
    assert mark.value == Decimal("8.5") and mark.locked and mark.state == "submitted"
    assert mark.version == corr.tx1.version + 1
    revision = MarkRevision.objects.filter(mark=mark).latest("version")
    assert (revision.old_text, revision.new_text) == ("6,0", "8,5")
    assert str(request.uuid) in revision.reason
    request.refresh_from_db()
    assert request.status == CorrectionStatus.APPLIED and request.approver == world.principal_a
    # And one event of the application, naming the request, lists old → new
    event = AuditEvent.objects.get(id=revision.event_id)
    assert event.action == "correction.applied" and event.approval_ref == str(request.uuid)
    assert any(c["old"] == "6,0" and c["new"] == "8,5" for c in event.changes)
    # And the class results (the engine's averages on the grid) use the new value
    book = gradebook_get(actor=world.principal_a, assignment=world.assignment_a, semester=1)
    row = book.rows[0]
    assert [c.text for c in row.cells if c.column.label == "TX1"] == ["8,5"]
    # And everything derived from the marks is flagged for re-issue (R4.6b)
    assert set(ReissueFlag.objects.values_list("what", flat=True)) == set(ReissueWhat.values)
    # And the teacher cannot change it in the grid any more (R4.6a: locked again at once)
    with pytest.raises(MarkSaveRefused):
        marks_save(
            actor=world.teacher_a,
            assignment=world.assignment_a,
            semester=1,
            cells=[CellInput(corr.enrollment.id, "regular", 1, "9", mark.version)],
            today=TODAY,
        )
    assert verify_chains().ok


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00 not an image", "anh.png"),  # an executable renamed .png
        (b"<html><script>alert(1)</script>", "bai.pdf"),
        (b"GIF89a\x01\x00", "anh.gif"),
    ],
)
def test_a_file_that_is_not_jpeg_png_or_pdf_is_refused(
    corr: Corrections, content: bytes, name: str
) -> None:
    bad = EvidenceInput(file=BytesIO(content), kind="test_paper", name=name)
    with pytest.raises(EvidenceError, match="chỉ nhận ảnh JPEG, PNG hoặc tệp PDF"):
        submit(corr, evidence=[png_evidence(), bad])
    # nothing written, no file left behind
    assert not CorrectionEvidence.objects.exists()
    assert not AuditEvent.objects.filter(action="correction.requested").exists()


def test_a_file_over_10_mb_and_an_empty_file_are_refused(corr: Corrections) -> None:
    big = EvidenceInput(
        file=BytesIO(TINY_PDF + b"0" * MAX_EVIDENCE_BYTES), kind="test_paper", name="to.pdf"
    )
    with pytest.raises(EvidenceError, match="quá 10 MB"):
        submit(corr, evidence=[big])
    with pytest.raises(EvidenceError, match="rỗng"):
        submit(corr, evidence=[EvidenceInput(file=BytesIO(b""), kind="test_paper", name="x")])
    with pytest.raises(EvidenceError, match="minh chứng"):
        submit(corr, evidence=[])


def test_a_pdf_is_accepted(corr: Corrections) -> None:
    request = submit(
        corr,
        evidence=[EvidenceInput(file=BytesIO(TINY_PDF), kind="personal_book", name="so.pdf")],
    )
    assert request.evidence.get().content_type == "application/pdf"


def test_only_the_teacher_of_the_assignment_files_and_only_for_submitted_marks(
    corr: Corrections,
) -> None:
    world = corr.world
    for outsider in (world.teacher_b, world.principal_a, world.homeroom_a):
        with pytest.raises(PermissionDeniedError):
            submit(corr, actor=outsider)
    # A draft mark is corrected in the grid, not by request
    marks_save(
        actor=world.teacher_a,
        assignment=world.assignment_a,
        semester=1,
        cells=[CellInput(corr.enrollment.id, "regular", 2, "5")],
        today=TODAY,
    )
    draft = Mark.objects.get(kind="regular", index=2)
    with pytest.raises(CorrectionRefused) as refused:
        submit(corr, items=[ItemInput(draft.id, "6")])
    assert "đã hoàn tất hoặc đã khóa" in refused.value.problems[0].message
    # A bad value is refused with the mark entry's own message
    with pytest.raises(CorrectionRefused, match="Có phải là 8,6"):
        submit(corr, text="8,55")
    with pytest.raises(CorrectionRefused, match="giống điểm hiện tại"):
        submit(corr, text="6")


def test_a_mark_in_a_pending_request_cannot_be_requested_twice(corr: Corrections) -> None:
    submit(corr)
    with pytest.raises(CorrectionRefused, match="phiếu đề nghị sửa điểm khác"):
        submit(corr, text="9")


def test_a_non_principal_cannot_approve(corr: Corrections) -> None:
    world = corr.world
    request = submit(corr)
    for actor in (corr.vp_a, corr.admin_a, world.homeroom_a, world.teacher_b, world.inspector):
        with pytest.raises(PermissionDeniedError):
            correction_request_approve(actor=actor, request=request)
        with pytest.raises(PermissionDeniedError):
            correction_request_reject(actor=actor, request=request, comment="không")
    request.refresh_from_db()
    assert request.status == CorrectionStatus.SUBMITTED
    assert Mark.objects.get(pk=corr.tx1.pk).value == Decimal("6.0")


def test_a_vice_principal_with_the_principals_delegation_can_approve(corr: Corrections) -> None:
    world = corr.world
    request = submit(corr)
    approval_delegate(
        actor=world.principal_a,
        school=world.school_a,
        delegate=corr.vp_a,
        valid_from=dt.date(2025, 9, 1),
        valid_to=dt.date(2099, 1, 1),
    )
    correction_request_approve(actor=corr.vp_a, request=request, comment="Thay Hiệu trưởng")
    request.refresh_from_db()
    assert request.status == CorrectionStatus.APPLIED and request.approver == corr.vp_a


def test_an_expired_delegation_gives_no_right(corr: Corrections) -> None:
    world = corr.world
    request = submit(corr)
    approval_delegate(
        actor=world.principal_a,
        school=world.school_a,
        delegate=corr.vp_a,
        valid_from=dt.date(2025, 9, 1),
        valid_to=dt.date(2025, 10, 1),
    )
    with pytest.raises(PermissionDeniedError):
        correction_request_approve(actor=corr.vp_a, request=request)


def test_reject_needs_a_comment_and_leaves_the_mark(corr: Corrections) -> None:
    world = corr.world
    request = submit(corr)
    with pytest.raises(CorrectionError, match="ý kiến"):
        correction_request_reject(actor=world.principal_a, request=request, comment=" ")
    correction_request_reject(actor=world.principal_a, request=request, comment="Thiếu minh chứng")
    request.refresh_from_db()
    assert request.status == CorrectionStatus.REJECTED
    assert Mark.objects.get(pk=corr.tx1.pk).value == Decimal("6.0")
    # a rejected request frees the mark for a new one
    submit(corr, text="9")


def test_r46a_closes_one_week_before_the_end_of_semester_test(corr: Corrections) -> None:
    world = corr.world
    # The end-of-semester test (the end-of-term period opens) on 20/12/2025
    deadline_set(
        actor=world.principal_a,
        school=world.school_a,
        year=world.year,
        semester=1,
        kind="final",
        opens_on=dt.date(2025, 12, 20),
        due_on=dt.date(2025, 12, 31),
    )
    # On the last day (13/12) R4.6a is open
    on_time = submit(corr, today=dt.date(2025, 12, 13))
    assert on_time.path == CorrectionPath.TEACHER_REQUEST
    correction_request_reject(actor=world.principal_a, request=on_time, comment="làm lại")
    # The day after, only R4.3 — which needs the admin in charge
    with pytest.raises(CorrectionError, match="Ban Quản trị phụ trách"):
        submit(corr, today=dt.date(2025, 12, 14))
    with pytest.raises(CorrectionError, match=r"R4\.6a"):
        submit(corr, today=dt.date(2025, 12, 14), path=CorrectionPath.TEACHER_REQUEST)
    with pytest.raises(CorrectionError, match="Ban Quản trị"):
        submit(corr, today=dt.date(2025, 12, 14), admin_in_charge=world.homeroom_a)
    late = submit(corr, today=dt.date(2025, 12, 14), admin_in_charge=corr.admin_a)
    assert late.path == CorrectionPath.CORRECTION_RECORD and late.admin_in_charge == corr.admin_a


def test_a_locked_book_allows_only_the_r43_path(corr: Corrections) -> None:
    world = corr.world
    book_lock(
        actor=world.principal_a,
        school=world.school_a,
        year=world.year,
        semester=1,
        scope=LockScope.CLASS,
        school_class=world.class_a1,
    )
    with pytest.raises(CorrectionError, match=r"R4\.3"):
        submit(corr)
    request = submit(corr, admin_in_charge=corr.admin_a)
    assert request.path == CorrectionPath.CORRECTION_RECORD
    # The approved correction writes through the book's lock (that is what R4.3 is for)
    correction_request_approve(actor=world.principal_a, request=request)
    assert Mark.objects.get(pk=corr.tx1.pk).value == Decimal("8.5")


def test_where_admins_apply_the_admin_in_charge_applies_after_approval(corr: Corrections) -> None:
    world = corr.world
    workflow_settings_set(actor=world.principal_a, school=world.school_a, apply_mode="by_admin")
    request = submit(corr)
    correction_request_approve(actor=world.principal_a, request=request)
    request.refresh_from_db()
    assert request.status == CorrectionStatus.APPROVED
    assert Mark.objects.get(pk=corr.tx1.pk).value == Decimal("6.0")
    # the teacher cannot apply it; the admin can, and is then the admin in charge
    with pytest.raises(PermissionDeniedError):
        correction_apply(actor=world.teacher_a, request=request)
    correction_apply(actor=corr.admin_a, request=request)
    request.refresh_from_db()
    assert request.status == CorrectionStatus.APPLIED and request.admin_in_charge == corr.admin_a
    assert Mark.objects.get(pk=corr.tx1.pk).value == Decimal("8.5")
    assert ApplyMode.BY_ADMIN == "by_admin"


def test_a_mark_changed_since_the_request_is_not_overwritten(corr: Corrections) -> None:
    world = corr.world
    first = submit(corr)
    correction_request_approve(actor=world.principal_a, request=first)
    # a second request filed on the old version (forged base version) is refused at apply
    second = submit(corr, text="9")
    second.items.update(base_version=1)
    with pytest.raises(CorrectionError, match="đã thay đổi"):
        correction_request_approve(actor=world.principal_a, request=second)
    assert Mark.objects.get(pk=corr.tx1.pk).value == Decimal("8.5")


def test_nobody_approves_their_own_request(corr: Corrections) -> None:
    # A principal who also teaches the class files a request: another must approve it
    world = corr.world
    world.assignment_a.teacher = world.principal_a
    world.assignment_a.save()
    from hoso.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(
        user=world.principal_a, role=Role.SUBJECT_TEACHER, unit=world.school_a
    )
    request = submit(corr, actor=world.principal_a)
    with pytest.raises(PermissionDeniedError, match="chính mình"):
        correction_request_approve(actor=world.principal_a, request=request)
