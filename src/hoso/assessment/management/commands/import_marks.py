"""``manage.py import_marks FILE.xlsx --school CODE --year 2025-2026 --semester 1|2 --subject NAME
[--dry-run] [--actor USERNAME]`` — import marks from Excel, all or nothing (issue 4, interfaces.md).

Exit status: 0 imported (or the dry run is clean) · 1 the file has errors, each printed as
``sheet, row, column: reason``, nothing written · 2 usage (bad options, unknown school, year,
subject, account, missing file).

Without ``--actor`` each teaching assignment's marks are saved in the name of its own teacher (the
marks are theirs, R5.1); with ``--actor`` in that account's name, which must be the teacher or a
school admin holding the import permission (``Perm.IMPORT_MARKS``).
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hoso.accounts.models import User
from hoso.interchange import errors as E
from hoso.interchange.mark_import import ImportReport, import_marks
from hoso.interchange.teacher_workbook import WorkbookProblem

USAGE = 2
FILE_ERRORS = 1


def problem_line(problem: WorkbookProblem) -> str:
    """``sheet, row, column: reason`` (``-`` where the problem has no such place)."""
    row = str(problem.row) if problem.row is not None else "-"
    return f"{problem.sheet or '-'}, {row}, {problem.column or '-'}: {problem.reason}"


class Command(BaseCommand):
    help = (
        "Nhập điểm một môn từ tệp Excel (sổ điểm của giáo viên hoặc mẫu xuất từ hoso), "
        "tất cả hoặc không gì cả. Mã thoát: 0 đã nhập (hoặc chạy thử không lỗi), "
        "1 tệp có lỗi, 2 sai cách dùng."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE.xlsx", help="Tệp Excel .xlsx.")
        parser.add_argument("--school", required=True, metavar="CODE", help="Mã trường.")
        parser.add_argument("--year", required=True, metavar="YYYY-YYYY", help="Năm học.")
        parser.add_argument(
            "--semester", required=True, type=int, choices=(1, 2), help="Học kì (1 hoặc 2)."
        )
        parser.add_argument(
            "--subject", required=True, metavar="NAME", help="Tên môn (theo danh mục, D21)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ in những gì sẽ thay đổi, không ghi."
        )
        parser.add_argument(
            "--actor",
            metavar="USERNAME",
            help="Ghi dưới tên tài khoản này (mặc định: giáo viên được phân công của từng nhóm).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(E.MSG_NO_FILE.format(path=path), returncode=USAGE)
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(
                    E.MSG_NO_ACTOR.format(username=options["actor"]), returncode=USAGE
                )
        try:
            with path.open("rb") as source:
                report = import_marks(
                    actor=actor,
                    source=source,
                    file_name=path.name,
                    school_code=options["school"],
                    year=options["year"],
                    semester=options["semester"],
                    subject_name=options["subject"],
                    dry_run=options["dry_run"],
                )
        except E.ImportUsageError as error:
            raise CommandError(error.message, returncode=USAGE) from error
        self._print(report, dry_run=options["dry_run"], verbosity=options["verbosity"])
        if report.errors:
            raise CommandError(
                f"Tệp có {len(report.errors)} lỗi: không nhập điểm nào.", returncode=FILE_ERRORS
            )

    def _print(self, report: ImportReport, *, dry_run: bool, verbosity: int) -> None:
        out = self.stdout.write
        out(
            f"Tệp {report.file_name} — trường {report.school_code} — năm học {report.year} — "
            f"học kì {report.semester} — môn {report.subject}"
        )
        if report.errors:
            out(f"{len(report.errors)} lỗi (trang tính, dòng, cột: lý do):")
            for problem in report.errors:
                out(problem_line(problem))
            return
        new = sum(c.new for c in report.counts)
        changed = sum(c.changed for c in report.counts)
        out(
            f"{report.students} học sinh; {len(report.changes)} điểm "
            f"{'sẽ ghi' if dry_run else 'ghi'} ({new} mới, {changed} sửa), "
            f"{report.unchanged} điểm giống hệt trong sổ."
        )
        for group in report.groups:
            out(f"  Nhóm {group.group} (giáo viên {group.teacher}): {group.cells} điểm")
        classes: dict[str, list[str]] = {}
        for count in report.counts:
            parts = []
            if count.new:
                parts.append(f"{count.new} mới")
            if count.changed:
                parts.append(f"{count.changed} sửa")
            if count.unchanged:
                parts.append(f"{count.unchanged} giữ nguyên")
            classes.setdefault(count.class_name, []).append(f"{count.column} {', '.join(parts)}")
        for class_name, columns in classes.items():
            out(f"  Lớp {class_name}: " + " · ".join(columns))
        if report.rounded:
            out(f"Điểm làm tròn đến một chữ số thập phân (D18, D20): {len(report.rounded)}")
            for rounded in report.rounded:
                out(f"  {rounded}")
        if report.ignored:
            out("Bỏ qua:")
            for ignored in report.ignored:
                out(f"  {ignored}")
        if dry_run or verbosity >= 2:
            out("Thay đổi:" if not dry_run else "Sẽ thay đổi:")
            for change in report.changes:
                out(f"  {change.sheet}, dòng {change.row}: {change}")
        seconds = f"{report.seconds:.2f}".replace(".", ",")
        if dry_run:
            out(self.style.SUCCESS(f"Chạy thử: không ghi gì ({seconds} giây)."))
        else:
            out(
                self.style.SUCCESS(
                    f"Đã nhập {len(report.changes)} điểm — {len(report.event_ids)} sự kiện "
                    f"nhật ký ({seconds} giây)."
                )
            )
