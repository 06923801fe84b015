"""Verification (issue 7): the public page behind the QR code hides personal data, says whether
the data changed since; verify_pdf says valid / tampered with exit 0 / 1; the print page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command

from hoso.printing.documents.common import PrintRequest
from hoso.printing.models import PrintBatch, PrintedDocument
from hoso.printing.services import print_issue


def _transcript(world):  # type: ignore[no-untyped-def]
    request = PrintRequest(
        form="hoc-ba",
        school=world.school_a,
        year=world.year,
        student=world.student_a1,
        school_class=world.class_a1,
    )
    return print_issue(actor=world.principal_a, request=request)


def test_verification_page_without_login_hides_personal_data(world, client) -> None:
    issued = _transcript(world)
    response = client.get(f"/xac-minh/{issued.record.code}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert issued.record.code in body and "Hiệu trưởng" in body and issued.record.sha256 in body
    assert "dữ liệu không thay đổi" in body
    assert "Nguyễn Văn An" not in body and "principal_a" not in body


def test_verification_page_shows_details_to_a_user_with_the_right(world, client) -> None:
    issued = _transcript(world)
    client.force_login(world.principal_a)
    body = client.get(f"/xac-minh/{issued.record.code.lower().replace('-', '')}/").content.decode()
    assert "Nguyễn Văn An" in body


def test_verification_page_hides_details_from_another_school(world, client) -> None:
    issued = _transcript(world)
    client.force_login(world.teacher_b)
    assert "Nguyễn Văn An" not in client.get(f"/xac-minh/{issued.record.code}/").content.decode()


def test_verification_page_says_the_data_changed(world, client) -> None:
    issued = _transcript(world)
    # Given a print, when a value it showed changes (a corrected birth date) …
    world.student_a1.date_of_birth = dt.date(2010, 1, 2)
    world.student_a1.save()
    body = client.get(f"/xac-minh/{issued.record.code}/").content.decode()
    assert "dữ liệu đã thay đổi kể từ khi in" in body


def test_unknown_code_is_404(db, client) -> None:
    assert client.get("/xac-minh/ZZZZ-ZZZZ/").status_code == 404


def test_verify_pdf_valid_and_tampered(world, tmp_path: Path) -> None:
    issued = _transcript(world)
    good = tmp_path / "hoc-ba.pdf"
    good.write_bytes(issued.pdf)
    call_command("verify_pdf", str(good))  # exit 0: no SystemExit
    tampered = tmp_path / "sua.pdf"
    middle = len(issued.pdf) // 2
    flipped = bytes([issued.pdf[middle] ^ 0x01])
    tampered.write_bytes(issued.pdf[:middle] + flipped + issued.pdf[middle + 1 :])
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_pdf", str(tampered))
    assert exit_info.value.code == 1


def test_print_form_command_and_its_errors(world, tmp_path: Path, capsys) -> None:
    out = tmp_path / "so.pdf"
    call_command(
        "print_form",
        "so-theo-doi",
        "--school",
        "THPT-A",
        "--year",
        "2025-2026",
        "--class",
        "10A1",
        "--ad-hoc",
        "--out",
        str(out),
    )
    assert out.read_bytes().startswith(b"%PDF") and PrintedDocument.objects.get().ad_hoc
    with pytest.raises(SystemExit) as exit_info:
        call_command("print_form", "so-theo-doi", "--school", "THPT-A", "--out", str(out))
    assert exit_info.value.code == 1
    assert "cần tên lớp" in capsys.readouterr().err


def test_print_page_download_and_permissions(world, client) -> None:
    client.force_login(world.principal_a)
    assert client.get(f"/in/?lop={world.class_a1.uuid}").status_code == 200
    response = client.post(
        "/in/tai-ve/", {"form": "so-theo-doi", "lop": str(world.class_a1.uuid), "dot_xuat": "1"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(world.teacher_b)
    response = client.post("/in/tai-ve/", {"form": "so-theo-doi", "lop": str(world.class_a1.uuid)})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/in/hang-loat/", {}),
        ("/in/hang-loat/", {"lop": "khong-phai-uuid", "form": "hoc-ba"}),
        ("/in/tai-ve/", {"form": "so-theo-doi"}),
        ("/in/tai-ve/", {"form": "so-theo-doi", "lop": "1 OR 1=1"}),
        ("/in/tai-ve/", {"form": "hoc-ba", "lop": "", "hoc_sinh": ""}),
    ],
)
def test_an_empty_or_tampered_print_form_is_not_found_not_a_server_error(
    world, client, url, data
) -> None:
    """A form posted without a class, or with an id that is not one, answers 404 as for a class
    out of scope (it used to be a 500 from the UUID lookup)."""
    client.force_login(world.principal_a)
    assert client.post(url, data).status_code == 404
    assert not PrintedDocument.objects.exists()


def test_batch_print_of_a_class_is_zipped_with_one_event(world, client) -> None:
    import io
    import zipfile

    from hoso.audit.models import AuditEvent

    client.force_login(world.principal_a)
    response = client.post("/in/hang-loat/", {"lop": str(world.class_a1.uuid), "form": "hoc-ba"})
    batch = PrintBatch.objects.get()
    assert response.status_code == 302 and batch.state == "done" and batch.done == batch.total == 1
    assert AuditEvent.objects.filter(action="print.batch_issued").count() == 1
    assert PrintedDocument.objects.filter(batch=batch).count() == 1
    page = client.get(f"/in/hang-loat/{batch.uuid}/")
    assert "Tải tệp ZIP" in page.content.decode()
    download = client.get(f"/in/hang-loat/{batch.uuid}/tai-ve/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert [n.endswith(".pdf") for n in archive.namelist()] == [True]


@pytest.mark.parametrize(
    ("data", "status", "says"),
    [
        ({"form": "so-ca-nhan"}, 404, ""),  # printed from its own page, not for a class
        ({"form": "nhat-ky-sua-diem"}, 404, ""),
        ({"form": "so-theo-doi", "hoc_ki": "3"}, 400, "Học kì phải là I hoặc II"),
        ({"form": "bang-tong-hop"}, 400, "tiểu học"),  # a primary form for a THPT class
        ({"form": "so-theo-doi", "dot_xuat": "1", "ly_do": "x" * 301}, 400, "tối đa 300"),
    ],
)
def test_the_print_page_refuses_what_its_buttons_never_send(
    world, client, data, status, says
) -> None:
    client.force_login(world.principal_a)
    response = client.post("/in/tai-ve/", {"lop": str(world.class_a1.uuid), **data})
    assert response.status_code == status
    assert says in response.content.decode()
    assert not PrintedDocument.objects.exists()


def test_the_office_prints_a_teachers_blank_personal_book_from_the_print_page(
    world, client
) -> None:
    """R3.1: the blank personal book, from /in/ (it was only on the command line)."""
    client.force_login(world.principal_a)
    page = client.get("/in/").content.decode()
    assert "Sổ cá nhân của giáo viên" in page and "teacher_a" in page
    response = client.post(
        "/in/so-ca-nhan/", {"truong": str(world.school_a.uuid), "giao_vien": "teacher_a"}
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert PrintedDocument.objects.get().form == "so-ca-nhan"
    # A teacher of another school, another school, or a teacher asking: not found
    assert (
        client.post(
            "/in/so-ca-nhan/", {"truong": str(world.school_a.uuid), "giao_vien": "teacher_b"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/in/so-ca-nhan/", {"truong": str(world.school_b.uuid), "giao_vien": "teacher_b"}
        ).status_code
        == 404
    )
    client.force_login(world.teacher_a)
    assert (
        client.post(
            "/in/so-ca-nhan/", {"truong": str(world.school_a.uuid), "giao_vien": "teacher_a"}
        ).status_code
        == 404
    )
