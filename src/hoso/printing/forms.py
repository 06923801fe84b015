"""The printable forms (interfaces.md FORM names): builder, template, what each needs."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from hoso.printing.documents.common import PrintRequest


@dataclass(frozen=True)
class FormSpec:
    name: str  # interfaces.md name, also the template's file name
    title: str  # Vietnamese, for --help and the print page
    needs: str  # "class", "student", "teacher" or "school"
    module: str  # hoso.printing.documents.<module>.build
    archived: bool = True  # PDF/A for what is archived (R6.2)
    semester: bool = False  # takes --semester
    level: str = ""  # "primary" / "secondary" when the form is for one level only

    def builder(self) -> Callable[[PrintRequest], object]:
        module = importlib.import_module(f"hoso.printing.documents.{self.module}")
        build: Callable[[PrintRequest], object] = module.build
        return build


FORMS: dict[str, FormSpec] = {
    spec.name: spec
    for spec in (
        FormSpec(
            "so-theo-doi",
            "Sổ theo dõi và đánh giá học sinh (theo lớp, THCS/THPT)",
            "class",
            "so_theo_doi",
            semester=True,
            level="secondary",
        ),
        FormSpec(
            "bang-tong-hop",
            "Bảng tổng hợp kết quả đánh giá giáo dục của lớp (tiểu học)",
            "class",
            "bang_tong_hop",
            semester=True,
            level="primary",
        ),
        FormSpec("so-ca-nhan", "Sổ cá nhân của giáo viên (in trắng)", "teacher", "so_ca_nhan"),
        FormSpec("hoc-ba", "Học bạ (bìa, trang thông tin, các trang năm học)", "student", "hoc_ba"),
        FormSpec(
            "ho-so-chuyen-truong",
            "Hồ sơ chuyển trường (học bạ năm hiện tại và các trang trống)",
            "student",
            "ho_so_chuyen_truong",
        ),
        FormSpec(
            "phieu-lien-lac",
            "Phiếu liên lạc gửi cha mẹ học sinh",
            "student",
            "phieu_lien_lac",
            archived=False,
            semester=True,
        ),
        FormSpec(
            "bien-ban-sua-diem", "Biên bản sửa dữ liệu (sửa điểm)", "school", "bien_ban_sua_diem"
        ),
        FormSpec(
            "nhat-ky-sua-diem",
            "Nhật kí sửa điểm của giáo viên trong tháng",
            "teacher",
            "nhat_ky_sua_diem",
        ),
    )
}


def form_list() -> str:
    return "; ".join(f"{spec.name} — {spec.title}" for spec in FORMS.values())
