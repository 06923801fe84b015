"""Import of the real teacher's workbook (issue 4's target: < 2 s).

    .venv/bin/python -m bench.import_bench

The real workbook (``hoso.demo.data.REAL_WORKBOOK``: 7 classes, 116 students, Tin học) belongs
to the demo school LC-DEMO, so this benchmark builds the demo province in its own database
(``hoso_bench_demo``: migrate + ``seed_demo``), then times
``hoso.interchange.mark_import.import_marks`` — plan, validate and apply through ``marks_save``,
all or nothing — as a dry run and for real (semester 2, open for entry in the demo), and
once more on the same file (nothing changes: every cell unchanged).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from typing import Any

from bench.common import REPO, command_line, database_url, result_write, say, setup_django
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
    from hoso.interchange.mark_import import import_marks

    data: dict[str, Any] = {"command": command_line(), "file": str(REAL_WORKBOOK)}
    for label, dry_run in (("dry_run", True), ("apply", False), ("again", False)):
        started = time.perf_counter()
        report = import_marks(
            actor=None,
            source=REAL_WORKBOOK,
            file_name=REAL_WORKBOOK.name,
            school_code="LC-DEMO",
            year="2025-2026",
            semester=2,
            subject_name="Tin học",
            dry_run=dry_run,
        )
        seconds = time.perf_counter() - started
        changes = len(getattr(report, "changes", []) or [])
        data[label] = {
            "seconds": seconds,
            "ok": report.ok,
            "changes": changes,
            "errors": [str(e) for e in report.errors[:3]],
        }
        say(f"import real workbook ({label}): {seconds:.2f} s, ok={report.ok}, {changes} changes")
    data["target_seconds"] = 2
    result_write("import", data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
