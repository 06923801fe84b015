"""Batch printing of the whole school (issue 7, R6.1): every studying student of every class, one
PDF per student in one folder per class, one audit event; only who may print the school."""

from __future__ import annotations

import io
import zipfile

import pytest

from hoso.academics.models import Enrollment, EnrollmentStatus, Student
from hoso.audit.models import AuditEvent
from hoso.printing import services
from hoso.printing.models import PrintBatch, PrintedDocument


def _zip(client, batch: PrintBatch) -> zipfile.ZipFile:  # type: ignore[no-untyped-def]
    download = client.get(f"/in/hang-loat/{batch.uuid}/tai-ve/")
    return zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))


def test_school_batch_zips_every_student_in_class_folders_with_one_event(world, client) -> None:
    client.force_login(world.principal_a)
    response = client.post("/in/hang-loat/", {"truong": str(world.school_a.uuid), "form": "hoc-ba"})
    batch = PrintBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/in/hang-loat/{batch.uuid}/"
    assert batch.school_class is None and batch.school == world.school_a
    assert batch.state == "done" and batch.done == batch.total == 2
    archive = _zip(client, batch)
    assert archive.namelist() == [
        "10A1/001-001-Nguyen-Van-An.pdf",
        "10A2/001-002-Tran-Thi-Binh.pdf",
    ]
    assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
    records = PrintedDocument.objects.filter(batch=batch).order_by("student__national_id")
    assert [(r.student.national_id, r.school_class.name) for r in records] == [
        ("001", "10A1"),
        ("002", "10A2"),
    ]
    # The sha256 recorded is that of the file in the zip.
    assert {r.sha256 for r in records} == {
        services.sha256(archive.read(name)) for name in archive.namelist()
    }
    (event,) = AuditEvent.objects.filter(action="print.batch_issued")
    assert len(event.changes) == 2 and "cả trường" in event.summary
    assert "cả trường" in client.get(f"/in/hang-loat/{batch.uuid}/").content.decode()


def test_school_batch_leaves_out_students_who_left(world, client) -> None:
    left = Student.objects.create(
        national_id="004", full_name="Phạm Thị Dung", current_school=world.school_a
    )
    Enrollment.objects.create(
        student=left,
        school_class=world.class_a1,
        school=world.school_a,
        year=world.year,
        status=EnrollmentStatus.TRANSFERRED_OUT,
    )
    client.force_login(world.principal_a)
    client.post("/in/hang-loat/", {"truong": str(world.school_a.uuid)})
    batch = PrintBatch.objects.get()
    assert batch.total == 2 and "004" not in " ".join(_zip(client, batch).namelist())


def test_print_page_offers_the_school_batch_to_the_principal_only(world, client) -> None:
    client.force_login(world.principal_a)
    body = client.get("/in/").content.decode()
    assert "In học bạ cả trường" in body and str(world.school_a.uuid) in body
    client.force_login(world.teacher_a)
    assert "In học bạ cả trường" not in client.get("/in/").content.decode()


def test_teacher_cannot_start_a_school_batch(world, client) -> None:
    client.force_login(world.teacher_a)
    response = client.post("/in/hang-loat/", {"truong": str(world.school_a.uuid)})
    assert response.status_code == 404 and not PrintBatch.objects.exists()


@pytest.mark.parametrize("target", ["school_b", "district"])
def test_school_batch_of_another_unit_is_404(world, client, target) -> None:
    unit = world.school_b if target == "school_b" else world.school_a.parent
    client.force_login(world.principal_a)
    response = client.post("/in/hang-loat/", {"truong": str(unit.uuid)})
    assert response.status_code == 404 and not PrintBatch.objects.exists()


def test_failed_school_batch_records_nothing(world, client, monkeypatch) -> None:
    real = services.print_render
    calls: list[int] = []

    def failing(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("Typst hỏng")
        return real(**kwargs)

    monkeypatch.setattr(services, "print_render", failing)
    batch = services.print_batch_create(
        actor=world.principal_a,
        request=services.PrintRequest(form="hoc-ba", school=world.school_a, year=world.year),
    )
    with pytest.raises(RuntimeError):
        services.print_batch_run(batch_id=batch.id)
    batch.refresh_from_db()
    assert batch.state == "failed" and batch.done == 1 and not batch.archive
    assert not PrintedDocument.objects.exists()
    assert not AuditEvent.objects.filter(action="print.batch_issued").exists()
