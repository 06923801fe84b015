"""Printing infrastructure (issue 7): the bundled font, the record and its audit event, the QR code
and the short code on every page, the verification page, verify_pdf (R2.2, R3.1, R6.1)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from hoso.audit.models import AuditEvent
from hoso.printing.documents.common import PrintRequest
from hoso.printing.models import PrintedDocument
from hoso.printing.render import FONTS_DIR, render
from hoso.printing.services import print_issue
from tests.printing.pdf import contains, embedded_fonts, pages_text, text

VIETNAMESE = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"


def _cmap_format4(path: Path) -> set[int]:
    """The code points of a TrueType font's format-4 cmap (enough for Vietnamese, all BMP)."""
    data = path.read_bytes()
    num_tables = struct.unpack(">H", data[4:6])[0]
    for i in range(num_tables):
        tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
        if tag == b"cmap":
            cmap = offset
    count = struct.unpack(">H", data[cmap + 2 : cmap + 4])[0]
    for i in range(count):
        _, _, sub = struct.unpack(">HHI", data[cmap + 4 + 8 * i : cmap + 12 + 8 * i])
        start = cmap + sub
        if struct.unpack(">H", data[start : start + 2])[0] == 4:
            seg_x2 = struct.unpack(">H", data[start + 6 : start + 8])[0]
            ends = struct.unpack(f">{seg_x2 // 2}H", data[start + 14 : start + 14 + seg_x2])
            starts_at = start + 16 + seg_x2
            starts = struct.unpack(f">{seg_x2 // 2}H", data[starts_at : starts_at + seg_x2])
            points: set[int] = set()
            for s, e in zip(starts, ends, strict=True):
                points.update(range(s, e + 1))
            return points
    return set()


@pytest.mark.parametrize("style", ["Regular", "Bold", "Italic", "BoldItalic"])
def test_bundled_font_covers_every_vietnamese_letter(style: str) -> None:
    points = _cmap_format4(FONTS_DIR / f"LiberationSerif-{style}.ttf")
    letters = VIETNAMESE + VIETNAMESE.upper()
    assert [ch for ch in letters if ord(ch) not in points] == []


def test_bundled_font_has_its_licence_and_readme() -> None:
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS_DIR / "OFL.txt").read_text()
    assert "2.1.5" in (FONTS_DIR / "README.md").read_text()


def test_every_font_in_a_pdf_is_the_bundled_one_and_embedded(world) -> None:
    # Given a printed personal book, when its fonts are listed, then only Liberation Serif
    # (embedded) is there: Typst had no other font to fall back to.
    request = PrintRequest(
        form="so-ca-nhan", school=world.school_a, year=world.year, teacher=world.teacher_a
    )
    issued = print_issue(actor=world.principal_a, request=request)
    fonts = embedded_fonts(issued.pdf)
    assert fonts, "no font found"
    assert all(name.startswith("LiberationSerif") and embedded for name, embedded in fonts)


def test_a_missing_font_does_not_fall_back_silently(tmp_path: Path) -> None:
    # A template naming a family we do not bundle gets no glyphs from another face.
    from hoso.printing import render as render_module

    template = render_module.TEMPLATES_DIR / "test-missing-font.typ"
    template.write_text('#set text(font: "Times New Roman", fallback: false)\nXin chào')
    try:
        pdf = render_module.compile_json("test-missing-font", "{}", "{}", archived=False)
    finally:
        template.unlink()
    assert all("Times" not in name for name, _ in embedded_fonts(pdf))


def test_print_is_recorded_with_sha256_and_audited_once(world) -> None:
    request = PrintRequest(
        form="so-ca-nhan", school=world.school_a, year=world.year, teacher=world.teacher_a
    )
    before = AuditEvent.objects.count()
    issued = print_issue(actor=world.principal_a, request=request)
    record = PrintedDocument.objects.get()
    import hashlib

    assert record.sha256 == hashlib.sha256(issued.pdf).hexdigest()
    assert record.printed_by == world.principal_a and record.form == "so-ca-nhan"
    assert record.pages == len(pages_text(issued.pdf)) >= 2
    events = AuditEvent.objects.filter(action="print.issued")
    assert AuditEvent.objects.count() == before + 1 and events.count() == 1
    assert record.code in events.get().summary


def test_every_page_carries_the_short_code(world) -> None:
    request = PrintRequest(
        form="so-ca-nhan", school=world.school_a, year=world.year, teacher=world.teacher_a
    )
    issued = print_issue(actor=world.principal_a, request=request)
    for page in pages_text(issued.pdf):
        assert f"Mã xác minh: {issued.record.code}" in page
        assert f"/xac-minh/{issued.record.code}/" in page


def test_ad_hoc_print_shows_the_print_date_on_every_page(world) -> None:
    from django.utils import timezone

    request = PrintRequest(
        form="so-ca-nhan", school=world.school_a, year=world.year, teacher=world.teacher_a
    )
    issued = print_issue(actor=world.principal_a, request=request, ad_hoc=True)
    day = timezone.localdate().strftime("%d/%m/%Y")
    assert all(f"In ngày {day}" in page for page in pages_text(issued.pdf))
    periodic = print_issue(actor=world.principal_a, request=request)
    assert "In ngày" not in text(periodic.pdf)


def test_render_needs_no_database(world, django_assert_num_queries) -> None:
    from hoso.printing.documents import so_ca_nhan

    request = PrintRequest(
        form="so-ca-nhan", school=world.school_a, year=world.year, teacher=world.teacher_a
    )
    document = so_ca_nhan.build(request)
    with django_assert_num_queries(0):
        pdf = render("so-ca-nhan", document)
    assert contains(text(pdf), "SỔ CÁ NHÂN", "teacher_a") == []
