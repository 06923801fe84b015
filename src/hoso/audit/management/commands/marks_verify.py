"""``python manage.py marks_verify [--school CODE]`` — every mark against its revisions and their
audit events (docs/corrections.md). Exit 0: consistent. Exit 1: names each mismatched mark (id,
class, student, subject, column, what differs). Exit 2: unknown unit code."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hoso.audit.marks_verify import verify_marks
from hoso.organizations.models import Unit


class Command(BaseCommand):
    help = "Đối chiếu mọi điểm với lịch sử sửa và nhật ký; chỉ ra điểm bị sửa ngoài ứng dụng."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", metavar="CODE", help="chỉ kiểm tra điểm của trường này")

    def handle(self, *args: Any, **options: Any) -> None:
        code: str | None = options.get("school")
        if code is not None and not Unit.objects.filter(code=code).exists():
            raise CommandError(f"Không có đơn vị mã {code}.", returncode=2)
        report = verify_marks(school_code=code)
        if report.ok:
            self.stdout.write(
                f"Điểm khớp lịch sử sửa: {report.marks} điểm, {report.revisions} lần sửa."
            )
            return
        self.stdout.write(
            f"ĐIỂM KHÔNG KHỚP LỊCH SỬ: {len(report.mismatches)} điểm "
            f"(đã đọc {report.marks} điểm, {report.revisions} lần sửa)."
        )
        for item in report.mismatches:
            self.stdout.write(f"  {item.describe()}")
        self.stdout.flush()
        sys.exit(1)
