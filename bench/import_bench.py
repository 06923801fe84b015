"""Import of the real teacher's workbook (issue 4's target: < 2 s).

    .venv/bin/python -m bench.import_bench

The real workbook (``hoso.demo.data.REAL_WORKBOOK``: 7 classes, 116 students, Tin học) belongs
to the demo school LC-DEMO, so this benchmark builds the demo province in its own database
(``hoso_bench_demo``: migrate + ``seed_demo``), then times
``hoso.interchange.mark_import.import_marks`` — plan, validate and apply through ``marks_save``,
all or nothing — as a dry run and for real (semester 2, open for entry in the demo), and
once more on the same file (nothing changes: every cell unchanged).

Then the same three steps on a whole school's workbook for one subject (``bench.school_workbook``:
the bench school BENCH-1500 added to the demo province, 36 classes, 1,500 students, Toán, one
sheet per class in the real file's format, written from the students in the database).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.common import (
    BENCH_VAR,
    REPO,
    command_line,
    database_url,
    result_write,
    say,
    setup_django,
)
from bench.generate import _recreate_database

DEMO_DB = "hoso_bench_demo"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    url = re.sub(r"/[^/]*$", f"/{DEMO_DB}", database_url(args.database_url))
    started = time.perf_counter()
    _recreate_database(url)
    env = {"DATABASE_URL": url, "DEBUG": "false", "HOSO_DEMO": "true",
           "SECRET_KEY": "bench-only-secret-key-" + "x" * 40}  # fmt: skip
    import os

    for command in (["migrate", "--noinput", "-v", "0"], ["seed_demo"]):
        done = subprocess.run(
            [sys.executable, str(REPO / "manage.py"), *command],
            check=False,
            env={**os.environ, **env},
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["?"])[-1]
            say(f"import benchmark skipped: manage.py {command[0]} failed: {reason}")
            result_write("import", {"command": command_line(), "skipped": reason})
            return 0
    say(f"demo database ready in {time.perf_counter() - started:.1f} s")
    setup_django(url)
    from hoso.demo.data import REAL_WORKBOOK

    data: dict[str, Any] = {"command": command_line(), "file": str(REAL_WORKBOOK)}
    for label, figures in _import_three_times(
        REAL_WORKBOOK, school_code="LC-DEMO", subject_name="Tin học"
    ):
        data[label] = figures
        say(
            f"import real workbook ({label}): {figures['seconds']:.2f} s, ok={figures['ok']}, "
            f"{figures['changes']} changes"
        )
    data["school"] = _school_workbook()
    data["target_seconds"] = 2
    result_write("import", data)
    return 0


def _import_three_times(
    source: Path, *, school_code: str, subject_name: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Dry run, apply, and the same file again (every cell unchanged): wall and CPU seconds."""
    from hoso.interchange.mark_import import import_marks

    for label, dry_run in (("dry_run", True), ("apply", False), ("again", False)):
        started, cpu = time.perf_counter(), time.process_time()
        report = import_marks(
            actor=None,
            source=source,
            file_name=source.name,
            school_code=school_code,
            year="2025-2026",
            semester=2,
            subject_name=subject_name,
            dry_run=dry_run,
        )
        yield (
            label,
            {
                "seconds": time.perf_counter() - started,
                "cpu_seconds": time.process_time() - cpu,
                "ok": report.ok,
                "applied": report.applied,
                "students": report.students,
                "changes": len(report.changes),
                "unchanged": report.unchanged,
                "rounded": len(report.rounded),
                "errors": [str(e) for e in report.errors[:3]],
            },
        )


def _school_workbook() -> dict[str, Any]:
    """BENCH-1500 added to the demo province, its Toán workbook written and imported."""
    from bench.school_workbook import (
        BENCH_SCHOOL,
        SUBJECT_NAME,
        seed_bench_school,
        write_school_workbook,
    )

    started = time.perf_counter()
    pupils = seed_bench_school()
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    book = write_school_workbook(BENCH_VAR / "school-workbook-1500.xlsx")
    written = time.perf_counter() - started
    say(
        f"bench school {BENCH_SCHOOL}: {pupils} students in {seeded:.1f} s; workbook "
        f"{book.sheets} sheets, {book.students} rows, {book.cells} cells in {written:.1f} s"
    )
    school: dict[str, Any] = {
        "school_code": BENCH_SCHOOL,
        "subject": SUBJECT_NAME,
        "file": str(book.path),
        "file_kib": round(book.path.stat().st_size / 1024),
        "sheets": book.sheets,
        "students": book.students,
        "cells": book.cells,
        "seed_seconds": seeded,
        "write_seconds": written,
    }
    for label, figures in _import_three_times(
        book.path, school_code=BENCH_SCHOOL, subject_name=SUBJECT_NAME
    ):
        school[label] = figures
        say(
            f"import school workbook ({label}): {figures['seconds']:.2f} s "
            f"(CPU {figures['cpu_seconds']:.2f} s), ok={figures['ok']}, "
            f"{figures['students']} students, {figures['changes']} changes"
        )
    return school


if __name__ == "__main__":
    raise SystemExit(main())
