"""``python manage.py audit_verify [--school CODE]`` — walk every hash chain (interfaces.md).

Exit 0: every chain intact (prints the number of events). Exit 1: a chain is broken (names the
first broken event of each broken chain: id, chain, what differs). Exit 2: unknown unit code.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hoso.audit.verify import verify_chains
from hoso.organizations.models import Unit


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm của nhật ký kiểm tra; chỉ ra sự kiện hỏng đầu tiên."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--school",
            metavar="CODE",
            help="chỉ kiểm tra chuỗi của đơn vị có mã này (trường, phòng hoặc sở)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code: str | None = options.get("school")
        if code is not None and not Unit.objects.filter(code=code).exists():
            raise CommandError(f"Không có đơn vị mã {code}.", returncode=2)
        report = verify_chains(unit_code=code)
        if report.ok:
            self.stdout.write(
                f"Nhật ký kiểm tra nguyên vẹn: {report.events} sự kiện trong {report.chains} chuỗi."
            )
            return
        self.stdout.write(
            f"NHẬT KÝ KIỂM TRA BỊ HỎNG: {len(report.breaks)} chuỗi hỏng "
            f"(đã đọc {report.events} sự kiện trong {report.chains} chuỗi)."
        )
        for item in report.breaks:
            self.stdout.write(f"  {item.describe()}")
        self.stdout.flush()
        sys.exit(1)
