"""The Excel pages of a book (issue 4): upload → dry-run preview → "Xác nhận nhập", the error
workbook, the export links, and who may use them."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hoso.academics.models import Enrollment, SchoolClass
from hoso.assessment.models import Mark
from hoso.assessment.services import CellInput, marks_save
from hoso.demo.data import REAL_WORKBOOK
from hoso.interchange import errors as E
from tests.interchange.helpers import TODAY, assignment_of, real_rows, row_9, sheet_9, user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_province")]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_url(group: str = "12T1") -> str:
    return reverse("marks-import", args=[assignment_of(group).uuid, 2])


def teacher_client(client: Client) -> Client:
    client.force_login(user("gvbm.tin"))
    return client


def real_file(name: str = "so-diem.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, REAL_WORKBOOK.read_bytes(), content_type=XLSX)


def tin_marks() -> int:
    return Mark.objects.filter(subject__code="tin_hoc", semester=2).count()


def test_upload_shows_the_dry_run_then_confirm_imports_everything(client: Client) -> None:
    teacher_client(client)
    assert client.get(upload_url()).status_code == 200
    response = client.post(upload_url(), {"file": real_file()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Xác nhận nhập" in page
    assert "520 điểm sẽ được ghi" in page
    assert "9,75 → 9,8" in page  # rounded marks are listed (D20)
    assert "Điểm cộng/trừ" in page
    assert tin_marks() == 0  # nothing written yet
    token = response.context["token"]
    done = client.post(reverse("marks-import-confirm", args=[assignment_of("12T1").uuid, 2, token]))
    assert done.status_code == 200
    assert "Đã ghi 520 điểm" in done.content.decode()
    assert tin_marks() == 520
    # The kept file is gone: confirming twice does nothing more.
    again = client.post(
        reverse("marks-import-confirm", args=[assignment_of("12T1").uuid, 2, token])
    )
    assert again.status_code == 410 and E.MSG_EXPIRED in again.content.decode()


def test_a_file_with_errors_lists_them_and_offers_the_error_workbook(
    client: Client, tmp_path: Path
) -> None:
    teacher_client(client)
    first = real_rows("9H01")[0]
    path = sheet_9(tmp_path / "loi.xlsx", [row_9(first, TX2=11)])
    upload = SimpleUploadedFile("loi.xlsx", path.read_bytes(), content_type=XLSX)
    response = client.post(upload_url("9H01"), {"file": upload})
    page = response.content.decode()
    assert "Tệp có 1 lỗi" in page and "Xác nhận nhập" not in page
    assert E.MSG_OUT_OF_RANGE.format(value="11") in page
    token = response.context["token"]
    errors = client.get(reverse("marks-import-errors", args=[assignment_of("9H01").uuid, 2, token]))
    assert errors.status_code == 200 and errors["Content-Type"] == XLSX
    sheet = load_workbook(BytesIO(errors.content)).active
    assert sheet is not None
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [
        ("9H01", 2, "TX2", E.MSG_OUT_OF_RANGE.format(value="11"))
    ]
    assert tin_marks() == 0


def test_a_book_changed_after_the_preview_is_shown_again_not_imported(client: Client) -> None:
    teacher_client(client)
    response = client.post(upload_url(), {"file": real_file()})
    token = response.context["token"]
    first = real_rows("12T1")[0]
    enrollment = Enrollment.objects.get(student__national_id=first.national_id)
    marks_save(
        actor=user("gvbm.tin"),
        assignment=assignment_of("12T1"),
        semester=2,
        cells=[CellInput(enrollment.id, "regular", 1, "5")],
        today=TODAY,
    )
    again = client.post(
        reverse("marks-import-confirm", args=[assignment_of("12T1").uuid, 2, token])
    )
    assert again.status_code == 200
    assert "Sổ điểm đã thay đổi từ lúc xem trước" in again.content.decode()
    assert tin_marks() == 1  # only the grid's mark
    # Confirming the new preview imports (the grid's 5 is replaced by the file's 9,3).
    client.post(reverse("marks-import-confirm", args=[assignment_of("12T1").uuid, 2, token]))
    assert tin_marks() == 520


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("so-diem.xls", b"PK\x03\x04old", E.MSG_NOT_XLSX),
        ("so-diem.xlsx", b"not a zip", E.MSG_NOT_XLSX),
        ("so-diem.xlsx", b"PK\x03\x04" + b"0" * (5 * 1024 * 1024), E.MSG_TOO_BIG.format(limit=5)),
    ],
)
def test_the_upload_accepts_only_xlsx_of_at_most_5_mb(
    client: Client, name: str, content: bytes, message: str
) -> None:
    teacher_client(client)
    response = client.post(upload_url(), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_export_link_downloads_the_book(client: Client) -> None:
    teacher_client(client)
    response = client.get(reverse("marks-export", args=[assignment_of("9H01").uuid, 2]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "so-diem_9H01_tin_hoc_HK2_2025-2026.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None and sheet.cell(row=4, column=1).value == "Môn: Tin học"


def test_out_of_scope_is_404_and_a_reader_may_not_import(client: Client) -> None:
    client.force_login(user("hieutruong.thpt-demo"))
    assert (
        client.get(reverse("marks-export", args=[assignment_of("9H01").uuid, 2])).status_code == 404
    )
    assert client.get(upload_url()).status_code == 404
    school_class = SchoolClass.objects.get(school__code="LC-DEMO", name="9H01")
    class_export = reverse("class-marks-export", args=[school_class.uuid, 2])
    assert client.get(class_export).status_code == 404
    # The inspector sees the book but never writes (R15.3).
    client.force_login(user("thanhtra"))
    assert (
        client.get(reverse("marks-export", args=[assignment_of("9H01").uuid, 2])).status_code == 200
    )
    assert client.get(upload_url()).status_code == 403
    assert (
        client.get(reverse("marks-export", args=[assignment_of("9H01").uuid, 3])).status_code == 404
    )
