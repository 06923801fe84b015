"""Printing (issue 9): class books and transcripts per second, peak memory, against bare Typst.

    .venv/bin/python -m bench.printing [--class 6A1] [--transcripts 10]

For the class book (``so-theo-doi`` of one 45-student class, semester 2) and the transcript
(``hoc-ba`` of students of that class): ``hoso.printing.services.print_render`` — the
application's path without the record (build the document from the database, JSON, stamp,
Typst) — against ``hoso.printing.render.compile_json`` on the very same template, data and stamp
(Typst alone, no application code). Ratio = application time / bare Typst time (target ≤ 1.5).
Peak memory: the process's maximum resident set after the runs (``getrusage``) and the Python
heap peak of one render (``tracemalloc``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from bench.common import command_line, database_url, peak_rss_mib, result_write, say, setup_django


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
    args = parser.parse_args(argv)
    setup_django(database_url(args.database_url))
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
    result_write("printing", data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
