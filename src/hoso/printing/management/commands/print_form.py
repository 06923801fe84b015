"""``manage.py print_form FORM … --out FILE.pdf`` and ``print_form --demo-all --out DIR``
(interfaces.md): 0 printed · 1 cannot (the reason in Vietnamese)."""

from __future__ import annotations

import sys
from argparse import ArgumentParser, RawDescriptionHelpFormatter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hoso.accounts.models import User
from hoso.core.errors import HosoError
from hoso.printing.demo import DEMO_REQUESTS, demo_params
from hoso.printing.forms import FORMS
from hoso.printing.selectors import print_request_resolve
from hoso.printing.services import print_issue


class Command(BaseCommand):
    help = "In một mẫu văn bản ra tệp PDF (được ghi nhận và có mã xác minh trên mọi trang)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        epilog = "Các mẫu in (FORM):\n" + "\n".join(
            f"  {spec.name:22} {spec.title}" for spec in FORMS.values()
        )
        parser = super().create_parser(
            prog_name, subcommand, epilog=epilog, formatter_class=RawDescriptionHelpFormatter
        )
        return parser

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("form", nargs="?", choices=list(FORMS), metavar="FORM")
        parser.add_argument("--school", help="mã trường, ví dụ LC-DEMO")
        parser.add_argument("--year", help="năm học, ví dụ 2025-2026 (mặc định: năm mới nhất)")
        parser.add_argument("--class", dest="class_name", help="tên lớp, ví dụ 12T1")
        parser.add_argument("--student", help="mã định danh học sinh")
        parser.add_argument("--teacher", help="tên đăng nhập của giáo viên")
        parser.add_argument("--semester", type=int, choices=[1, 2])
        parser.add_argument(
            "--checkpoint", choices=["gk1", "ck1", "gk2", "cn"], help="bảng tổng hợp"
        )
        parser.add_argument("--month", help="tháng của nhật kí sửa điểm, YYYY-MM")
        parser.add_argument("--ref", help="mã đề nghị sửa điểm (biên bản)")
        parser.add_argument("--ad-hoc", action="store_true", help="in đột xuất: ghi “In ngày …”")
        parser.add_argument("--reason", default="", help="lý do in đột xuất")
        parser.add_argument("--user", help="tên đăng nhập của người in (để ghi nhận)")
        parser.add_argument("--demo-all", action="store_true", help="in mọi mẫu từ dữ liệu demo")
        parser.add_argument("--out", required=True, help="tệp PDF (hoặc thư mục với --demo-all)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                self._fail(f"Không có tài khoản “{options['user']}”.")
        if options["demo_all"]:
            self._demo_all(Path(options["out"]), actor)
            return
        if not options["form"]:
            self._fail("Cần tên mẫu in (FORM) hoặc --demo-all. Xem --help.")
        extra = {key: str(options[key]) for key in ("checkpoint", "month", "ref") if options[key]}
        try:
            request = print_request_resolve(
                form=options["form"],
                school_code=options["school"] or "",
                year_name=options["year"],
                class_name=options["class_name"],
                student_id=options["student"],
                teacher_username=options["teacher"],
                semester=options["semester"],
                options=extra,
            )
            issued = print_issue(
                actor=actor, request=request, ad_hoc=options["ad_hoc"], reason=options["reason"]
            )
        except HosoError as exc:
            self._fail(exc.message)
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(issued.pdf)
        self.stdout.write(
            f"Đã in {out} — {issued.record.pages} trang, mã xác minh {issued.record.code}, "
            f"SHA-256 {issued.record.sha256}"
        )

    def _demo_all(self, folder: Path, actor: User | None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in DEMO_REQUESTS:
            try:
                request = print_request_resolve(form=name, **demo_params(name))
                issued = print_issue(actor=actor, request=request, ad_hoc=name != "so-theo-doi")
            except HosoError as exc:
                raise CommandError(f"{name}: {exc.message}") from exc
            path = folder / f"{name}.pdf"
            path.write_bytes(issued.pdf)
            self.stdout.write(f"{path} — {issued.record.pages} trang, mã {issued.record.code}")

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(1)
