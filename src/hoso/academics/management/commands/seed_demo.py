"""``manage.py seed_demo [--reset] [--if-empty]``: load the demo province (interfaces.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hoso.demo.seed import DemoSeedError, seed_demo
from hoso.organizations.models import Unit

MSG_NOT_DEMO = (
    "Không ở chế độ demo (HOSO_DEMO tắt): không tạo dữ liệu và tài khoản demo trong cơ sở dữ "
    "liệu này."
)


class Command(BaseCommand):
    help = "Tạo tỉnh demo (SO-DEMO, PGD-A, PGD-B, các trường demo, tài khoản mật khẩu hoso-demo)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Xóa dữ liệu demo hiện có rồi tạo lại."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Không làm gì nếu cơ sở dữ liệu đã có đơn vị (dùng cho make run).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            # Demo accounts share a printed password: never in a production database.
            raise CommandError(MSG_NOT_DEMO)
        if options["if_empty"] and not options["reset"] and Unit.objects.exists():
            count = Unit.objects.count()
            self.stdout.write(f"Cơ sở dữ liệu đã có {count} đơn vị: không tạo lại dữ liệu demo.")
            return
        try:
            summary = seed_demo(reset=options["reset"])
        except DemoSeedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {summary}"))
