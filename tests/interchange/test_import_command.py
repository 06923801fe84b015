"""``manage.py import_marks`` (interfaces.md): exit 0 imported or clean dry run · 1 the file has
errors, each printed as ``sheet, row, column: reason`` · 2 usage."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError

from hoso.assessment.models import Mark
from hoso.demo.data import REAL_WORKBOOK
from hoso.interchange import errors as E
from tests.interchange.helpers import real_rows, row_9, sheet_9

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_province")]

BASE = ["--school", "LC-DEMO", "--year", "2025-2026", "--semester", "2", "--subject", "Tin học"]


def command(*args: str) -> tuple[int, str, str]:
    """Run as from the shell (``run_from_argv``: argparse errors, ``sys.exit`` codes)."""
    out, err = StringIO(), StringIO()
    cmd = load_command_class("hoso.assessment", "import_marks")
    cmd.stdout.__init__(out)  # type: ignore[misc]
    cmd.stderr.__init__(err)  # type: ignore[misc]
    try:
        cmd.run_from_argv(["manage.py", "import_marks", *args, "--skip-checks"])
    except SystemExit as leaving:
        return int(leaving.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    # run_from_argv closes every connection when it ends; the test's transaction needs its own.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)


def tin_marks() -> int:
    return Mark.objects.filter(subject__code="tin_hoc", semester=2).count()


def test_dry_run_prints_what_would_change_and_writes_nothing() -> None:
    code, out, _ = command(str(REAL_WORKBOOK), *BASE, "--dry-run")
    assert code == 0
    assert "116 học sinh; 520 điểm sẽ ghi (520 mới, 0 sửa)" in out
    assert "9H01, dòng 10, GKTN (9H01, Huỳnh Ngọc Phương Hà): 9,75 → 9,8" in out
    assert "12T1, dòng 2: 12T1, Trần Gia Anh, TX1: trống → 9,3" in out
    assert "Chạy thử: không ghi gì" in out
    assert tin_marks() == 0


def test_import_exits_0_and_writes_every_mark() -> None:
    code, out, _ = command(str(REAL_WORKBOOK), *BASE)
    assert code == 0
    assert "Đã nhập 520 điểm — 4 sự kiện nhật ký" in out
    assert tin_marks() == 520


def test_a_file_with_errors_exits_1_and_prints_each_error(tmp_path: Path) -> None:
    first, second = real_rows("9H01")[:2]
    path = sheet_9(tmp_path / "loi.xlsx", [row_9(first, TX1=11), row_9(second, CKTN="x")])
    code, out, err = command(str(path), *BASE)
    assert code == 1
    # The reader's problems (a cell that is no number) come first; fix them to see the rest.
    assert "9H01, 3, CKTN: Điểm “x” không phải là số." in out
    assert "không nhập điểm nào" in err
    path = sheet_9(tmp_path / "loi2.xlsx", [row_9(first, TX1=11), row_9(second, TX2=12)])
    code, out, _ = command(str(path), *BASE, "--dry-run")
    assert code == 1
    assert "9H01, 2, TX1: Điểm 11 ngoài khoảng 0–10." in out
    assert "9H01, 3, TX2: Điểm 12 ngoài khoảng 0–10." in out
    assert tin_marks() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--semester", "3"], "invalid choice"),
        (["--school", "KHONG-CO"], E.MSG_NO_SCHOOL.format(code="KHONG-CO")),
        (["--year", "2030-2031"], E.MSG_NO_YEAR.format(year="2030-2031")),
        (["--subject", "Thiên văn"], E.MSG_UNKNOWN_SUBJECT.format(name="Thiên văn")),
        (["--actor", "khong-co-ai"], E.MSG_NO_ACTOR.format(username="khong-co-ai")),
    ],
)
def test_usage_errors_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    options = dict(zip(BASE[::2], BASE[1::2], strict=True))
    for name, value in zip(args[::2], args[1::2], strict=True):
        options[name] = value
    flat = [item for pair in options.items() for item in pair]
    code, _, err = command(str(REAL_WORKBOOK), *flat)
    assert code == 2
    assert message in err + capsys.readouterr().err  # argparse writes to sys.stderr
    assert tin_marks() == 0


def test_a_missing_file_or_option_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = command(str(tmp_path / "khong-co.xlsx"), *BASE)
    assert code == 2 and "Không có tệp" in err
    code, _, _ = command(str(REAL_WORKBOOK), "--school", "LC-DEMO")  # no --year …
    assert code == 2
    assert "required: --year, --semester, --subject" in capsys.readouterr().err


def test_an_admin_imports_with_actor() -> None:
    code, _, _ = command(str(REAL_WORKBOOK), *BASE, "--actor", "quantri")
    assert code == 0 and tin_marks() == 520


def test_call_command_raises_with_the_exit_status(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("import_marks", str(REAL_WORKBOOK), *BASE[:-1], "Thiên văn")
    assert caught.value.returncode == 2
    call_command("import_marks", str(REAL_WORKBOOK), *BASE, "--dry-run", stdout=StringIO())
