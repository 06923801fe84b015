"""Fidelity of every form (issue 7; forms.md): labels and values in the extracted text (NFC),
long names and subject names in full, page breaks between years, empty books print."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hoso.academics.models import (
    Enrollment,
    SchoolClass,
    Student,
    Subject,
    TeachingAssignment,
    TeachingGroup,
)
from hoso.assessment.models import Mark
from hoso.printing.documents.common import PrintRequest
from hoso.printing.services import print_issue
from tests.printing.pdf import contains, flat, pages_text, text

LONG_NAME = "Nguyễn Hoàng Thị Phương Thảo Quỳnh Ánh Dương Ngọc Huyền Trân"
LONG_SUBJECTS = ("Hoạt động trải nghiệm, hướng nghiệp", "Giáo dục kinh tế và pháp luật")


def _issue(world, form: str, **kwargs):  # type: ignore[no-untyped-def]
    request = PrintRequest(form=form, school=world.school_a, year=world.year, **kwargs)
    return print_issue(actor=world.principal_a, request=request)


@pytest.fixture
def book_class(world):  # type: ignore[no-untyped-def]
    """10A1 with a long-named girl, Toán marks, and the two long-named subjects taught."""
    school_class = world.class_a1
    girl = Student.objects.create(
        national_id="009",
        full_name=LONG_NAME,
        gender="F",
        date_of_birth=dt.date(2010, 3, 4),
        father_name="Trần Văn Đức",
    )
    enrollment = Enrollment.objects.create(
        student=girl, school_class=school_class, school=world.school_a, year=world.year
    )
    group = TeachingGroup.objects.get(school_class=school_class)
    for code in ("hoat_dong_trai_nghiem", "giao_duc_kinh_te_va_phap_luat"):
        TeachingAssignment.objects.create(
            school=world.school_a,
            year=world.year,
            teacher=world.teacher_a,
            subject=Subject.objects.get(programme="2018", grade=10, code=code),
            group=group,
        )
    toan = world.assignment_a.subject
    values = {
        ("regular", 1): "8",
        ("regular", 2): "7.5",
        ("regular", 3): "9",
        ("regular", 4): "6",
        ("midterm", 1): "7",
        ("final", 1): "8.5",
    }
    Mark.objects.bulk_create(
        Mark(
            school=world.school_a,
            year=world.year,
            enrollment=enrollment,
            subject=toan,
            semester=1,
            kind=kind,
            index=index,
            value=Decimal(v),
        )
        for (kind, index), v in values.items()
    )
    return school_class


def test_class_book_labels_values_and_long_names(world, book_class) -> None:
    issued = _issue(world, "so-theo-doi", school_class=book_class)
    content = text(issued.pdf)
    assert (
        contains(
            content,
            "SỔ THEO DÕI VÀ ĐÁNH GIÁ HỌC SINH",
            "(Theo lớp học)",
            "Lớp: 10A1",
            "Năm học: 2025 - 2026",
            "Giáo viên chủ nhiệm",
            "HƯỚNG DẪN SỬ DỤNG",
            "DANH SÁCH HỌC SINH",
            "STT",
            "Họ và tên",
            "Ngày sinh",
            "Nữ",
            "Dân tộc",
            "Chỗ ở hiện nay",
            "Họ tên cha / mẹ / người giám hộ",
            "Số điện thoại",
            "Ghi chú",
            "ĐĐGtx",
            "ĐĐGgk",
            "ĐĐGck",
            "ĐTBmhk",
            "Kết quả học kì",
            "Giáo viên môn học",
            "ĐTBmcn",
            "Điểm/mức đánh giá lại",
            "TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ",
            "Kết quả học tập",
            "Kết quả rèn luyện",
            "Số buổi nghỉ học",
            "Có phép",
            "Không phép",
            "Được lên lớp / Không được lên lớp",
            "Danh hiệu",
            "THỐNG KÊ KẾT QUẢ ĐÁNH GIÁ CỦA LỚP",
            "HIỆU TRƯỞNG",
            LONG_NAME,
            "Nguyễn Văn An",
            "04/03/2010",
            "Trần Văn Đức",
            *LONG_SUBJECTS,
        )
        == []
    )
    # Marks as entered, the engine's average with a decimal comma: (8+7,5+9+6 + 2×7 + 3×8,5)/9.
    assert contains(content, "7,5", "8,5", "7,8") == []
    assert "7.5" not in content


def test_class_book_page_breaks_between_subjects_not_inside_a_row(world, book_class) -> None:
    pages = pages_text(_issue(world, "so-theo-doi", school_class=book_class).pdf)
    subject_pages = [p for p in pages if "Môn học: Toán — Học kì I\n" in p]
    assert len(subject_pages) == 1
    assert all(p.count("Môn học:") <= 1 for p in pages)


def test_semester_one_print_has_no_year_pages(world, book_class) -> None:
    content = text(_issue(world, "so-theo-doi", school_class=book_class, semester=1).pdf)
    assert "Môn học: Toán — Học kì I\n" in content
    assert "Môn học: Toán — Học kì II" not in content and "Cả năm học" not in content


def test_an_empty_book_prints(world) -> None:
    empty = SchoolClass.objects.create(school=world.school_a, year=world.year, grade=11, name="11Z")
    content = text(_issue(world, "so-theo-doi", school_class=empty).pdf)
    assert contains(content, "SỔ THEO DÕI VÀ ĐÁNH GIÁ HỌC SINH", "Lớp chưa có học sinh.") == []


def test_primary_summary_prints_empty(world) -> None:
    primary = SchoolClass.objects.create(school=world.school_a, year=world.year, grade=4, name="4A")
    Enrollment.objects.create(
        student=Student.objects.create(national_id="P1", full_name="Lê Thị Ánh Tuyết"),
        school_class=primary,
        school=world.school_a,
        year=world.year,
    )
    content = text(_issue(world, "bang-tong-hop", school_class=primary).pdf)
    assert (
        contains(
            content,
            "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ GIÁO DỤC",
            "CUỐI NĂM HỌC",
            "Lê Thị Ánh Tuyết",
            "Phẩm chất chủ yếu",
            "Năng lực cốt lõi",
            "Yêu nước",
            "Trách nhiệm",
            "Điểm KTĐK",
            "Tiếng Việt",
            "Toán",
            "Đánh giá kết quả giáo dục",
        )
        == []
    )


def test_personal_book_is_blank_with_the_teachers_cover(world) -> None:
    world.teacher_a.phone, world.teacher_a.email = "0912 345 678", "gv@example.vn"
    world.teacher_a.address = "Thôn Đông, xã Hòa Bình"
    world.teacher_a.save()
    content = text(_issue(world, "so-ca-nhan", teacher=world.teacher_a).pdf)
    assert (
        contains(
            content,
            "SỔ CÁ NHÂN",
            "Họ và tên giáo viên",
            "Môn dạy: Toán",
            "Điện thoại: 0912 345 678",
            "Email: gv@example.vn",
            "Địa chỉ liên hệ: Thôn Đông, xã Hòa Bình",
            "Nguyễn Văn An",
            "ĐĐGtx",
            "ĐĐGgk",
            "ĐĐGck",
            "Nhận xét",
            "Giáo viên ký xác nhận",
        )
        == []
    )


def test_transcript_pages_and_not_approved_note(world, book_class) -> None:
    girl = Student.objects.get(national_id="009")
    issued = _issue(world, "hoc-ba", student=girl, school_class=book_class)
    pages = pages_text(issued.pdf)
    content = "\n".join(pages)
    assert (
        contains(
            content,
            "HỌC BẠ",
            "TRUNG HỌC PHỔ THÔNG",
            "Thông tư số 22/2021/TT-BGDĐT",
            LONG_NAME,
            "Ảnh",
            "Giới tính: Nữ",
            "Ngày, tháng, năm sinh: 04/03/2010",
            "QUÁ TRÌNH HỌC TẬP",
            "Năm học",
            "Số đăng bộ",
            "Môn học/Hoạt động giáo dục",
            "Học kì I",
            "Cả năm",
            "Điểm hoặc mức đánh giá lại",
            "chưa được phê duyệt",
            "Phê duyệt của Hiệu trưởng",
            *LONG_SUBJECTS,
        )
        == []
    )
    # The yearly page starts on its own page (page break between years).
    assert not any("QUÁ TRÌNH HỌC TẬP" in p and "Môn học/Hoạt động" in p for p in pages)


def test_transfer_package_has_blank_pages_and_the_print_date(world, book_class) -> None:
    from django.utils import timezone

    girl = Student.objects.get(national_id="009")
    issued = _issue(world, "ho-so-chuyen-truong", student=girl, school_class=book_class)
    pages = pages_text(issued.pdf)
    # Cover, information page, 2025-2026, grades 11 and 12, two spare grades.
    yearly = [p for p in pages if "Trongbảngnàycósửachữa" in flat(p)]
    assert len(yearly) == 5
    assert sum("Năm học: 2025 - 2026" in p for p in yearly) == 1
    day = timezone.localdate().strftime("%d/%m/%Y")
    assert all(f"In ngày {day} (Chuyển trường)" in p for p in pages)
    assert issued.record.ad_hoc


def test_report_card(world, book_class) -> None:
    girl = Student.objects.get(national_id="009")
    content = text(
        _issue(world, "phieu-lien-lac", student=girl, school_class=book_class, semester=1).pdf
    )
    assert (
        contains(
            content,
            "PHIẾU LIÊN LẠC",
            "Học kì I",
            LONG_NAME,
            "Toán",
            "8 7,5 9 6",
            "8,5",
            "7,8",
            "Kết quả học tập",
            "Nhận xét của giáo viên chủ nhiệm",
            "Cha mẹ học sinh",
        )
        == []
    )


def test_correction_forms_print_without_data(world) -> None:
    assert contains(text(_issue(world, "bien-ban-sua-diem").pdf), "BIÊN BẢN SỬA DỮ LIỆU") == []
    content = text(_issue(world, "nhat-ky-sua-diem", teacher=world.teacher_a).pdf)
    assert contains(content, "NHẬT KÍ SỬA ĐIỂM", "teacher_a") == []
