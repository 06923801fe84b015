"""``manage.py verify_pdf FILE.pdf`` (interfaces.md): 0 valid · 1 not (says why)."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from hoso.printing.models import PrintedDocument
from hoso.printing.selectors import data_unchanged
from hoso.printing.services import code_in_pdf, sha256


class Command(BaseCommand):
    help = "Kiểm tra một tệp PDF đã in với bản ghi của nó (SHA-256): 0 hợp lệ, 1 không hợp lệ."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE.pdf")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            self._fail(f"Không đọc được tệp {path}.")
        content = path.read_bytes()
        digest = sha256(content)
        record = PrintedDocument.objects.filter(sha256=digest).select_related("school").first()
        if record is None:
            code = code_in_pdf(content)
            known = PrintedDocument.objects.filter(code=code).first() if code else None
            if known is not None:
                self._fail(
                    f"KHÔNG HỢP LỆ: tệp mang mã xác minh {known.code} nhưng nội dung đã bị thay "
                    f"đổi sau khi in (SHA-256 {digest} khác bản ghi {known.sha256})."
                )
            self._fail(
                f"KHÔNG HỢP LỆ: không có bản in nào có SHA-256 {digest} (tệp không do hệ thống "
                "in ra, hoặc đã bị sửa)."
            )
        assert record is not None
        printed_at = timezone.localtime(record.printed_at).strftime("%d/%m/%Y %H:%M")
        self.stdout.write(
            f"HỢP LỆ: {record.title} — mã xác minh {record.code}, in lúc {printed_at} "
            f"tại {record.school.name}, {record.pages} trang, SHA-256 {digest}."
        )
        unchanged = data_unchanged(record)
        if unchanged is False:
            self.stdout.write("Lưu ý: dữ liệu đã thay đổi kể từ khi in.")
        elif unchanged is None:
            self.stdout.write("Lưu ý: không kiểm tra được dữ liệu hiện tại có khác khi in không.")

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(1)
