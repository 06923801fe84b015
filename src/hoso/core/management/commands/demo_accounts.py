"""``manage.py demo_accounts``: the demo accounts table ``make run`` prints (demo mode only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from hoso.accounts.models import User
from hoso.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from hoso.organizations.models import Unit


class Command(BaseCommand):
    help = "In bảng tài khoản demo (chỉ khi HOSO_DEMO bật)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            self.stdout.write("Không ở chế độ demo (HOSO_DEMO tắt): không hiển thị tài khoản demo.")
            return
        existing = set(
            User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list(
                "username", flat=True
            )
        )
        if not existing:
            self.stdout.write("Chưa có tài khoản demo: chạy `python manage.py seed_demo`.")
            return
        unit_names = dict(Unit.objects.values_list("code", "name"))
        rows = [("Tài khoản", "Vai trò", "Đơn vị", "Ghi chú")]
        for account in DEMO_ACCOUNTS:
            if account.username not in existing:
                continue
            roles = ", ".join(str(role.label) for role in account.roles)
            unit = f"{account.unit_code} — {unit_names.get(account.unit_code, '')}"
            rows.append((account.username, roles, unit, account.note))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        self.stdout.write(f"Tài khoản demo — mật khẩu chung: {DEMO_PASSWORD}")
        for index, row in enumerate(rows):
            line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            self.stdout.write(line.rstrip())
            if index == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
