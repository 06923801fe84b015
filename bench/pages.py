"""Server time and query count of the heaviest pages at the generated scale (issue 9).

    .venv/bin/python -m bench.pages [--repeat 10]

In-process, through Django's test client with ``DEBUG=false`` (the whole middleware stack and
template rendering; no network): each page is requested once to warm up, then ``--repeat`` times;
the median and worst server times are reported with the number of SQL queries of one request
(``CaptureQueriesContext``). Pages, in school ``BS0001`` (1,500 students; class ``6A1`` has 45):
- the subject teacher's grid (``/so-diem/<assignment>/hk2/``, 45 students) and saving a full
  column of 45 marks (``POST …/luu``, the grid's own endpoint: ``marks_save`` + re-read rows);
- the class overview of 6A1 (``/lop/<class>/chu-nhiem/tong-hop/?hk=2``, 45 students, 13 subjects);
- the principal's progress dashboard (``/truong/<school>/tien-do/``, 1,500 students);
- the home page of the principal and of the province officer (whole-province scope);
- the province statistics page, when it exists.
Targets: grid < 150 ms, column save < 100 ms (issue 4); overview and dashboard < 300 ms (issue 5).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.common import collectstatic, command_line, database_url, result_write, say, setup_django

TARGETS_MS = {
    "grid": 150,
    "save_column": 100,
    "class_overview": 300,
    "principal_dashboard": 300,
}


def measure(
    label: str, call: Callable[[], Any], repeat: int, *, check: Callable[[Any], None] | None = None
) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = call()  # warm-up (templates, catalogues)
    if check:
        check(first)
    with CaptureQueriesContext(connection) as queries:
        call()
    query_count = len(queries.captured_queries)  # (read now: the next request clears the log)
    times, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = call()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    if check:
        check(response)
    figures = {
        "median_ms": statistics.median(times),
        "max_ms": max(times),
        "cpu_median_ms": statistics.median(cpu),
        "min_ms": min(times),
        "queries": query_count,
        "repeat": repeat,
        "target_ms": TARGETS_MS.get(label),
    }
    say(
        f"{label:22} median {figures['median_ms']:7.1f} ms  max {figures['max_ms']:7.1f} ms  "
        f"CPU {figures['cpu_median_ms']:7.1f} ms  "
        f"{figures['queries']:4d} queries"
        + (f"  (target < {figures['target_ms']} ms)" if figures["target_ms"] else "")
    )
    return figures


def _ok(response: Any) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}: {response.content[:300]!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--school", default="BS0001")
    args = parser.parse_args(argv)
    setup_django(database_url(args.database_url))
    collectstatic()
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from hoso.academics.models import Enrollment, SchoolClass, TeachingAssignment
    from hoso.accounts.models import User
    from hoso.assessment.models import Mark
    from hoso.organizations.models import Unit

    school = Unit.objects.get(code=args.school)
    school_class = SchoolClass.objects.get(school=school, name="6A1")
    assignment = (
        TeachingAssignment.objects.filter(group__school_class=school_class, subject__code="toan")
        .select_related("teacher", "subject")
        .get()
    )
    students = Enrollment.objects.filter(school_class=school_class).count()
    data: dict[str, Any] = {
        "command": command_line(),
        "school": args.school,
        "school_students": Enrollment.objects.filter(school=school).count(),
        "class_students": students,
        "class_subjects": TeachingAssignment.objects.filter(group__school_class=school_class)
        .values("subject")
        .distinct()
        .count(),
        "pages": {},
    }
    pages: dict[str, Any] = data["pages"]

    teacher = Client()
    teacher.force_login(assignment.teacher)
    grid_url = reverse("mark-grid", args=[assignment.uuid, 2])
    pages["grid"] = measure("grid", lambda: teacher.get(grid_url), args.repeat, check=_ok)

    save_url = reverse("mark-grid-save", args=[assignment.uuid, 2])
    enrollments = list(
        Enrollment.objects.filter(school_class=school_class).values_list("id", "uuid")
    )
    versions = dict(
        Mark.objects.filter(
            enrollment__school_class=school_class,
            subject=assignment.subject,
            semester=2,
            kind="regular",
            index=1,
        ).values_list("enrollment_id", "version")
    )
    flip = [0]

    def save() -> Any:
        flip[0] += 1
        text = "7,5" if flip[0] % 2 else "8,0"
        body = {
            "cells": [
                {"enrollment": str(u), "kind": "regular", "index": 1, "text": text,
                 "base_version": versions.get(pk, 0)}
                for pk, u in enrollments
            ]
        }  # fmt: skip
        response = teacher.post(save_url, data=json.dumps(body), content_type="application/json")
        if response.status_code == 200:
            uuid_to_id = {str(u): pk for pk, u in enrollments}
            for cell in response.json()["saved"]:
                versions[uuid_to_id[cell["enrollment"]]] = cell["version"]
        return response

    pages["save_column"] = measure("save_column", save, args.repeat, check=_ok)
    pages["save_column"]["cells"] = len(enrollments)

    homeroom = school_class.homeroom_teacher
    assert homeroom is not None
    homeroom_client = Client()
    homeroom_client.force_login(homeroom)
    try:
        overview_url = reverse("homeroom-overview", args=[school_class.uuid]) + "?hk=2"
        pages["class_overview"] = measure(
            "class_overview", lambda: homeroom_client.get(overview_url), args.repeat, check=_ok
        )
    except NoReverseMatch:
        pages["class_overview"] = {"missing": "the class overview page is not built yet"}

    principal = User.objects.get(username=f"ht.{args.school.lower()}")
    principal_client = Client()
    principal_client.force_login(principal)
    try:
        dashboard_url = reverse("school-progress", args=[school.uuid]) + "?hk=2"
        pages["principal_dashboard"] = measure(
            "principal_dashboard",
            lambda: principal_client.get(dashboard_url),
            args.repeat,
            check=_ok,
        )
    except NoReverseMatch:
        pages["principal_dashboard"] = {"missing": "the school progress page is not built yet"}
    pages["principal_home"] = measure(
        "principal_home", lambda: principal_client.get("/"), args.repeat, check=_ok
    )
    province = Client()
    province.force_login(User.objects.get(username="so.bench"))
    pages["province_home"] = measure(
        "province_home", lambda: province.get("/"), args.repeat, check=_ok
    )
    # The province's statistics (R9, R10): every mark of the semester aggregated by school.
    officer = User.objects.get(username="so.bench")
    unit = officer.role_assignments.select_related("unit").get().unit
    statistics_url = reverse("unit-statistics", args=[unit.uuid]) + "?hk=2"
    pages["province_statistics"] = measure(
        "province_statistics", lambda: province.get(statistics_url), args.repeat, check=_ok
    )
    district = next((u for u in Unit.objects.filter(kind="district").order_by("code")[:1]), None)
    if district is not None:
        district_url = reverse("unit-statistics", args=[district.uuid]) + "?hk=2"
        pages["district_statistics"] = measure(
            "district_statistics", lambda: province.get(district_url), args.repeat, check=_ok
        )
    result_write("pages", data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
