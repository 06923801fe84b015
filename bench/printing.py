"""Printing (issue 9): class books and transcripts per second, peak memory, against bare Typst.

    .venv/bin/python -m bench.printing [--class 6A1] [--transcripts 10]
    .venv/bin/python -m bench.printing --school-batch [--school-batch-limit N]

For the class book (``so-theo-doi`` of one 45-student class, semester 2) and the transcript
(``hoc-ba`` of students of that class): ``hoso.printing.services.print_render`` — the
application's path without the record (build the document from the database, JSON, stamp,
Typst) — against ``hoso.printing.render.compile_json`` on the very same template, data and stamp
(Typst alone, no application code). Ratio = application time / bare Typst time (target ≤ 1.5).
Peak memory: the process's maximum resident set after the runs (``getrusage``) and the Python
heap peak of one render (``tracemalloc``).

``--school-batch`` (not in ``make bench``: a 1,500-student school takes minutes) runs instead
``hoso.printing.services.print_batch_run`` for the whole school's transcripts — every studying
student, one PDF each, written into the zip on disk as it is made — as the principal, in its own
process (so the peak resident set is the batch's), and records wall time, documents per second,
peak memory and the zip's size under ``school_batch`` in ``var/bench/printing.json`` (the other
figures there are kept). ``--school-batch-limit N`` prints only the first N students (the
batch's order: classes by grade and name). The batch runs in a transaction rolled back at the end
and its zip is deleted, so the bench database keeps no trace of it; hence the per-student progress
updates are not committed one by one as in production (about a millisecond each here).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any
from unittest import mock

from bench.common import (
    command_line,
    database_url,
    peak_rss_mib,
    result_read,
    result_write,
    say,
    setup_django,
)


def _timed(call: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--school", default="BS0001")
    parser.add_argument("--class", dest="class_name", default="6A1")
    parser.add_argument("--transcripts", type=int, default=10)
    parser.add_argument(
        "--school-batch",
        action="store_true",
        help="only the whole school's transcripts as one batch (minutes; not in make bench)",
    )
    parser.add_argument("--school-batch-limit", type=int, default=None, metavar="N")
    args = parser.parse_args(argv)
    setup_django(database_url(args.database_url))
    if args.school_batch:
        return school_batch(args.school, args.school_batch_limit)
    from hoso.academics.models import Enrollment
    from hoso.printing.render import compile_json, document_json, stamp_json
    from hoso.printing.selectors import print_request_resolve
    from hoso.printing.services import FORMS, print_render

    today = dt.date(2026, 5, 31)
    data: dict[str, Any] = {"command": command_line(), "forms": {}}
    students = list(
        Enrollment.objects.filter(school__code=args.school, school_class__name=args.class_name)
        .order_by("student__name_sort_key")
        .values_list("student__national_id", flat=True)[: 2 * args.transcripts + 1]
    )
    # Transcripts first: after a class book, Typst's cache holds ~800 MiB of its layout for some
    # ten compilations and the next transcripts compile 2-5 times slower.
    jobs: list[tuple[str, str, list[dict[str, Any]]]] = [
        (
            "transcript",
            "hoc-ba",
            [{"class_name": args.class_name, "student_id": s} for s in students],
        ),
        (
            "class_book",
            "so-theo-doi",
            [{"class_name": name, "semester": 2} for name in ("6A1", "6A2", "6A3", "6A4", "6A5")],
        ),
    ]
    for label, form, requests in jobs:
        resolved = [
            print_request_resolve(form=form, school_code=args.school, year_name="2025-2026", **r)
            for r in requests
        ]
        spec = FORMS[form]
        # Typst memoizes layout across compilations in one process: the application and bare
        # Typst each get their own documents (the same template, other students or classes),
        # after one warm-up document that neither is timed on. They take turns, one document
        # each, so that neither side alone pays for what the cache still holds of earlier ones.
        render = print_render(request=resolved[0], printed_on=today, ad_hoc=False)  # warm-up
        pages = render.pdf.count(b"/Type /Page\n") or render.pdf.count(b"/Type/Page")
        own, others = resolved[1::2], resolved[2::2]
        from hoso.printing.render import PrintStamp

        stamp = stamp_json(
            PrintStamp(
                code="BENCH-0001",
                url="https://hoso.example/xac-minh/BENCH-0001/",
                printed_on=today,
                ad_hoc=False,
                reason="",
                printed_by="",
            )
        )
        app_times, bare_times = [], []
        for request, other in zip(own, others, strict=False):
            seconds, _ = _timed(
                lambda request=request: print_render(
                    request=request, printed_on=today, ad_hoc=False, code="BENCH-0001"
                ),
                1,
            )
            app_times.append(seconds)
            data_text = document_json(spec.builder()(other))
            seconds, _ = _timed(
                lambda data_text=data_text, spec=spec, stamp=stamp: compile_json(
                    spec.name, data_text, stamp, archived=spec.archived
                ),
                1,
            )
            bare_times.append(seconds)
        # The Python heap peak of one render, measured apart (tracemalloc slows Python down).
        tracemalloc.start()
        print_render(request=resolved[0], printed_on=today, ad_hoc=False, code="BENCH-0001")
        _, heap_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        app = statistics.mean(app_times)
        bare = statistics.mean(bare_times)
        data["forms"][label] = {
            "form": form,
            "documents": len(own) + len(others),
            "pages_first": pages,
            "app_seconds_each": app,
            "bare_typst_seconds_each": bare,
            "per_second": 1 / app,
            "bare_per_second": 1 / bare,
            "ratio": app / bare,
            "python_heap_peak_mib": heap_peak / 2**20,
        }
        say(
            f"{label:10} ({form}, {len(own)} + {len(others)} documents): {1 / app:.1f}/s with hoso "
            f"({app * 1000:.0f} ms each), bare Typst {1 / bare:.1f}/s ({bare * 1000:.0f} ms) — "
            f"ratio {app / bare:.2f}; Python heap peak {heap_peak / 2**20:.1f} MiB"
        )
    data["peak_rss_mib"] = peak_rss_mib()
    say(f"peak resident memory {data['peak_rss_mib']:.0f} MiB")
    previous = result_read("printing") or {}
    if "school_batch" in previous:  # measured apart (--school-batch), kept
        data["school_batch"] = previous["school_batch"]
    result_write("printing", data)
    return 0


class _RolledBack(Exception):
    pass


def school_batch(school_code: str, limit: int | None) -> int:
    """The whole school's transcripts through ``print_batch_run`` (R6.1, issue 7)."""
    from django.db import transaction

    from hoso.academics.models import Enrollment, EnrollmentStatus, SchoolYear
    from hoso.accounts.models import Role, RoleAssignment
    from hoso.organizations.models import Unit
    from hoso.printing import services
    from hoso.printing.documents.common import PrintRequest

    school = Unit.objects.get(code=school_code)
    year = SchoolYear.objects.get(name="2025-2026")
    grant = (
        RoleAssignment.objects.filter(unit=school, role=Role.PRINCIPAL)
        .select_related("user")
        .first()
    )
    assert grant is not None, f"no principal in {school_code}"
    in_school = Enrollment.objects.filter(
        school_class__school=school, school_class__year=year, status=EnrollmentStatus.STUDYING
    ).count()
    rss_before = peak_rss_mib()
    load_before = os.getloadavg()
    figures: dict[str, Any] = {}
    real_students = services._batch_students

    def first_students(batch: Any) -> Any:
        return real_students(batch)[:limit]

    try:
        with (
            mock.patch.object(
                services, "_batch_students", first_students if limit is not None else real_students
            ),
            transaction.atomic(),
        ):
            batch = services.print_batch_create(
                actor=grant.user,
                request=PrintRequest(form="hoc-ba", school=school, year=year),
            )
            started = time.perf_counter()
            batch = services.print_batch_run(batch_id=batch.id)
            seconds = time.perf_counter() - started
            batch.refresh_from_db()
            documents = batch.documents.count()
            pages = sum(batch.documents.values_list("pages", flat=True))
            figures = {
                "school": school_code,
                "form": "hoc-ba",
                "students": batch.total,
                "students_in_school": in_school,
                "limit": limit,
                "documents": documents,
                "pages": pages,
                "seconds": seconds,
                "per_second": documents / seconds,
                "zip_mib": batch.archive.size / 2**20,
                "pdf_mib": sum(batch.documents.values_list("size", flat=True)) / 2**20,
                "peak_rss_mib": peak_rss_mib(),
                "rss_before_mib": rss_before,
            }
            batch.archive.delete(save=False)
            raise _RolledBack
    except _RolledBack:
        pass
    say(
        f"school batch ({school_code}, hoc-ba, {figures['documents']} documents of "
        f"{figures['students_in_school']} students, {figures['pages']} pages): "
        f"{figures['seconds']:.1f} s, "
        f"{figures['per_second']:.1f} documents/s; zip {figures['zip_mib']:.1f} MiB; peak "
        f"resident memory {figures['peak_rss_mib']:.0f} MiB ({figures['rss_before_mib']:.0f} "
        "before the batch)"
    )
    # The other figures of printing.json stay as they were (with their own command and time).
    data = result_read("printing") or {}
    data["school_batch"] = {
        "command": command_line(),
        "taken_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "load_before": load_before,
        "load_after": os.getloadavg(),
        **figures,
    }
    result_write("printing", data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
