"""The issue's "done when", through the pages: a teacher files a request with a photo, the
principal approves, the mark changes and is locked again, the class results and the edit log
show it, the correction record prints, audit_verify passes — and after a raw SQL change to one
event it fails and names it (issue 6; R4.3, R4.6a, R15)."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from hoso.assessment.models import Mark
from hoso.assessment.selectors import gradebook_get
from hoso.audit.models import AuditEvent
from hoso.workflow.models import CorrectionEvidence, CorrectionRequest, CorrectionStatus
from tests.audit.conftest import tampering_as_superuser
from tests.workflow.conftest import Corrections, png_upload


def logged_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def work_events() -> int:
    """Events other than logins (force_login records ``auth.login``)."""
    return AuditEvent.objects.exclude(action__startswith="auth.").count()


def verify() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_teacher_files_principal_approves_mark_locked_log_record_verify(
    corr: Corrections,
) -> None:
    world = corr.world
    teacher = logged_in(world.teacher_a)
    # The teacher finds the link on the home page and the mark in the filterable list
    assert reverse("corrections") in teacher.get(reverse("home")).content.decode()
    new_url = reverse("correction-new")
    page = teacher.get(
        new_url, {"assignment": str(world.assignment_a.uuid), "semester": 1, "q": "An"}
    )
    assert page.status_code == 200 and f'name="new_{corr.tx1.id}"' in page.content.decode()
    # When they file the request with a photo of the test paper
    before = work_events()
    response = teacher.post(
        new_url,
        {
            "assignment": str(world.assignment_a.uuid),
            "semester": "1",
            "pick": [str(corr.tx1.id)],
            f"new_{corr.tx1.id}": "8,5",
            "reason": "Cộng nhầm điểm bài kiểm tra",
            "kind_1": "test_paper",
            "file_1": png_upload(),
        },
    )
    request = CorrectionRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("correction-detail", args=[request.uuid])
    assert work_events() == before + 1
    evidence = CorrectionEvidence.objects.get()
    # The principal sees it to approve, old → new, and the photo behind a checked link
    principal = logged_in(world.principal_a)
    assert request.reference in principal.get(reverse("corrections")).content.decode()
    detail = principal.get(reverse("correction-detail", args=[request.uuid])).content.decode()
    assert (
        "6,0" in detail
        and "8,5" in detail
        and reverse("correction-approve", args=[request.uuid]) in detail
    )
    photo = principal.get(reverse("correction-evidence", args=[request.uuid, evidence.uuid]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
    # When the principal approves
    response = principal.post(
        reverse("correction-approve", args=[request.uuid]), {"comment": "Đồng ý sửa"}
    )
    assert response.status_code == 302
    assert work_events() == before + 2
    # Then the mark changed and is locked again, the request is applied
    mark = Mark.objects.get(pk=corr.tx1.pk)
    assert mark.value == Decimal("8.5") and mark.locked
    request.refresh_from_db()
    assert request.status == CorrectionStatus.APPLIED
    # The class results show it (the engine's averages from the grid's selector)
    book = gradebook_get(actor=world.teacher_a, assignment=world.assignment_a, semester=1)
    cells = {c.column.label: c.text for c in book.rows[0].cells}
    assert cells["TX1"] == "8,5" and book.rows[0].cells[0].mark is not None
    # The teacher's edit log for the month lists it with the request behind it
    month = mark.revisions.latest("version").changed_at.astimezone().strftime("%Y-%m")
    log = principal.get(
        reverse("edit-log"), {"teacher": world.teacher_a.username, "month": month}
    ).content.decode()
    assert request.reference in log and "6,0" in log and "8,5" in log
    printable = principal.get(
        reverse("edit-log"), {"teacher": world.teacher_a.username, "month": month, "print": 1}
    )
    # The A4 print styles come from a stylesheet (the CSP allows no inline <style>)
    assert printable.status_code == 200 and "hoso/print.css" in printable.content.decode()
    # The correction record prints: requester, approver, old/new, evidence
    record = teacher.get(reverse("correction-record", args=[request.uuid])).content.decode()
    for text in (
        "Biên bản sửa dữ liệu",
        "teacher_a",
        "principal_a",
        "6,0",
        "8,5",
        "bai-kiem-tra.png",
        evidence.sha256,
    ):
        assert text in record
    # And audit_verify passes
    assert verify()[0] == 0
    # After a raw SQL change to one event it fails and names it
    event = AuditEvent.objects.get(action="correction.applied")
    with tampering_as_superuser(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["sửa lén", event.pk]
        )
    code, output = verify()
    assert code == 1 and f"sự kiện id={event.pk}" in output and "hash" in output


def test_evidence_is_404_for_another_school_and_for_a_teacher_of_the_same_school(
    corr: Corrections,
) -> None:
    world = corr.world
    teacher = logged_in(world.teacher_a)
    teacher.post(
        reverse("correction-new"),
        {
            "assignment": str(world.assignment_a.uuid),
            "semester": "1",
            "pick": [str(corr.tx1.id)],
            f"new_{corr.tx1.id}": "9",
            "reason": "Nhầm",
            "kind_1": "test_paper",
            "file_1": png_upload(),
        },
    )
    request = CorrectionRequest.objects.get()
    evidence = CorrectionEvidence.objects.get()
    url = reverse("correction-evidence", args=[request.uuid, evidence.uuid])
    assert teacher.get(url).status_code == 200
    for outsider in (world.teacher_b, world.homeroom_a, world.parent_a):
        client = logged_in(outsider)
        assert client.get(url).status_code == 404
        assert client.get(reverse("correction-detail", args=[request.uuid])).status_code == 404
        assert client.get(reverse("correction-record", args=[request.uuid])).status_code == 404
    # an evidence id under another request's URL is 404 too
    assert (
        teacher.get(reverse("correction-evidence", args=[evidence.uuid, evidence.uuid])).status_code
        == 404
    )
    # an inspector of the province reads it (R15), anonymous users are sent to log in
    assert logged_in(world.inspector).get(url).status_code == 200
    assert Client().get(url).status_code == 302


def test_a_bad_file_on_the_form_is_refused_with_the_reason_and_nothing_kept(
    corr: Corrections,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    world = corr.world
    response = logged_in(world.teacher_a).post(
        reverse("correction-new"),
        {
            "assignment": str(world.assignment_a.uuid),
            "semester": "1",
            "pick": [str(corr.tx1.id)],
            f"new_{corr.tx1.id}": "9",
            "reason": "Nhầm",
            "kind_1": "test_paper",
            "file_1": SimpleUploadedFile("anh.png", b"<?php echo 1; ?>", "image/png"),
        },
    )
    assert response.status_code == 400
    assert "chỉ nhận ảnh JPEG, PNG hoặc tệp PDF" in response.content.decode()
    assert not CorrectionRequest.objects.exists()


def test_the_teacher_cannot_approve_and_another_teacher_cannot_file(corr: Corrections) -> None:
    world = corr.world
    assert (
        logged_in(world.teacher_b)
        .get(reverse("correction-new"), {"assignment": str(world.assignment_a.uuid)})
        .status_code
        == 404
    )


def test_the_principal_chooses_admins_apply_and_the_admin_applies_on_the_page(
    corr: Corrections,
) -> None:
    world = corr.world
    principal = logged_in(world.principal_a)
    settings_url = reverse("correction-settings")
    assert principal.get(settings_url).status_code == 200
    assert logged_in(world.teacher_a).get(settings_url).status_code == 404
    principal.post(settings_url, {"apply_mode": "by_admin"})
    # delegation to the vice principal from the page
    principal.post(settings_url, {"delegate": "vp_a", "valid_from": "2025-09-01"})
    teacher = logged_in(world.teacher_a)
    teacher.post(
        reverse("correction-new"),
        {
            "assignment": str(world.assignment_a.uuid),
            "semester": "1",
            "pick": [str(corr.gk.id)],
            f"new_{corr.gk.id}": "7,5",
            "reason": "Chấm sót câu 3",
            "kind_1": "test_paper",
            "file_1": png_upload(),
        },
    )
    request = CorrectionRequest.objects.get()
    # the delegated vice principal approves; the mark waits for the admin (R14.6)
    logged_in(corr.vp_a).post(reverse("correction-approve", args=[request.uuid]), {"comment": ""})
    request.refresh_from_db()
    assert request.status == CorrectionStatus.APPROVED and request.approver == corr.vp_a
    admin = logged_in(corr.admin_a)
    assert request.reference in admin.get(reverse("corrections")).content.decode()
    assert (
        reverse("correction-apply", args=[request.uuid])
        in admin.get(reverse("correction-detail", args=[request.uuid])).content.decode()
    )
    admin.post(reverse("correction-apply", args=[request.uuid]))
    request.refresh_from_db()
    assert request.status == CorrectionStatus.APPLIED and request.admin_in_charge == corr.admin_a
    assert Mark.objects.get(pk=corr.gk.pk).value == Decimal("7.5")
    record = admin.get(reverse("correction-record", args=[request.uuid])).content.decode()
    assert "vp_a" in record and "admin_a" in record


def test_a_rejection_from_the_page_needs_a_comment(corr: Corrections) -> None:
    world = corr.world
    logged_in(world.teacher_a).post(
        reverse("correction-new"),
        {
            "assignment": str(world.assignment_a.uuid),
            "semester": "1",
            "pick": [str(corr.tx1.id)],
            f"new_{corr.tx1.id}": "9",
            "reason": "Nhầm",
            "kind_1": "class_log",
            "file_1": png_upload(),
        },
    )
    request = CorrectionRequest.objects.get()
    principal = logged_in(world.principal_a)
    principal.post(reverse("correction-reject", args=[request.uuid]), {"comment": ""})
    request.refresh_from_db()
    assert request.status == CorrectionStatus.SUBMITTED
    principal.post(reverse("correction-reject", args=[request.uuid]), {"comment": "Chưa đủ"})
    request.refresh_from_db()
    assert request.status == CorrectionStatus.REJECTED
    # the teacher may not decide anything
    response = logged_in(world.teacher_a).post(
        reverse("correction-approve", args=[request.uuid]), {"comment": ""}
    )
    assert response.status_code == 302
    assert Mark.objects.get(pk=corr.tx1.pk).value == Decimal("6.0")
