"""Year-end computation (issue 9): every student's results for one school and for the province.

    .venv/bin/python -m bench.year_end [--school BS0001] [--province]

For each school: three bulk queries (classes, studying enrolments, the year's marks as plain
tuples streamed in enrolment order), each student's :class:`hoso.rules.inputs.StudentInput`
built from them, and the regime's rulebook run on it (subject averages, learning level, title,
promotion) — students per second. Conduct ratings are not generated: every student is given
"Tốt" for both semesters and the year so the rulebook runs to the end.

Compared with one SQL aggregation pass over the same marks (TT22 Art. 9: the weighted semester
average ``(ΣĐĐGtx + 2·ĐĐGgk + 3·ĐĐGck) / (n + 5)`` and the year's ``(HK I + 2·HK II) / 3`` per
enrolment and subject, rounded half up to one decimal): the ratio says what the engine costs over
the bare arithmetic, and the two are checked against each other on every score subject of the
first school.

The bulk loader lives here for now; the year-end service (issue 10) should take it over.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from typing import Any

from bench.common import command_line, database_url, peak_rss_mib, result_write, say, setup_django

CONDUCT_GIVEN = "Tốt"


def _school_inputs(
    school_id: int, year_id: int, part: tuple[int, int] = (0, 1)
) -> Iterator[tuple[int, Any]]:
    """(enrolment id, StudentInput) for every studying student of the school (of the classes
    ``k``, ``k + n``, … when ``part`` is ``(k, n)``)."""
    from django.db import connection

    from hoso.academics.models import Enrollment, SchoolClass, Subject, TeachingAssignment
    from hoso.assessment.computation import class_regime
    from hoso.rules.inputs import ConductInput, SemesterMarks, StudentInput, SubjectInput
    from hoso.rules.registry import evaluate_id
    from hoso.rules.values import Assessment, Comment

    classes = {
        c.id: c
        for c in SchoolClass.objects.filter(school_id=school_id, year_id=year_id).select_related(
            "year"
        )
    }
    regimes = {cid: evaluate_id(class_regime(c)) for cid, c in classes.items()}
    subjects = {s.id: s for s in Subject.objects.all()}
    taught: dict[int, list[int]] = {}
    for class_id, subject_id in TeachingAssignment.objects.filter(
        school_id=school_id, year_id=year_id, group__school_class__isnull=False
    ).values_list("group__school_class_id", "subject_id"):
        taught.setdefault(class_id, []).append(subject_id)
    mine = set(sorted(classes)[part[0] :: part[1]])
    class_of = {
        pk: class_id
        for pk, class_id in Enrollment.objects.filter(
            school_id=school_id, year_id=year_id, status="studying"
        ).values_list("id", "school_class_id")
        if class_id in mine
    }
    conduct = ConductInput(CONDUCT_GIVEN, CONDUCT_GIVEN, CONDUCT_GIVEN)
    comment_values = {"Đ": Comment("Đ"), "CĐ": Comment("CĐ")}
    # What a subject's inputs take from the catalogue, looked up once per school.
    catalogue = {
        sid: (
            s.name,
            Assessment.COMMENT if s.assessment == "comment" else Assessment.SCORE,
            s.periods_per_year,
            s.code,
            s.regular_marks,
        )
        for sid, s in subjects.items()
    }
    nothing = SemesterMarks()
    students = {
        class_id: (regimes[class_id], c.grade, c.year.name, tuple(taught.get(class_id, ())))
        for class_id, c in classes.items()
    }

    def build(enrollment_id: int, cells: dict[tuple[int, int], list[Any]]) -> Any:
        regulation, grade, school_year, subject_ids = students[class_of[enrollment_id]]
        inputs = []
        for subject_id in subject_ids:
            name, assessment, periods, code, regular_required = catalogue[subject_id]
            semesters = []
            for semester in (1, 2):
                slot = cells.get((subject_id, semester))
                if slot is None:
                    semesters.append(nothing)
                    continue
                # In their index order (unique within the cell: marks are never compared).
                regular = tuple(mark for _, mark in sorted(slot[0]))
                semesters.append(SemesterMarks(regular, slot[1], slot[2]))
            inputs.append(
                SubjectInput(
                    name=name,
                    assessment=assessment,
                    semester_1=semesters[0],
                    semester_2=semesters[1],
                    periods_per_year=periods,
                    code=code,
                    regular_required=regular_required,
                )
            )
        return StudentInput(
            regulation=regulation,
            grade=grade,
            subjects=tuple(inputs),
            conduct=conduct,
            absences=0,
            school_year=school_year,
        )

    with connection.cursor() as cursor:
        # A student's marks together (the enrolment index's order; sorting further costs the
        # server three times as much); one pass fills (subject, semester) → [regular marks
        # with their index, midterm, final].
        cursor.execute(
            "SELECT enrollment_id, subject_id, semester, kind, index, value, comment "
            "FROM assessment_mark WHERE school_id = %s AND year_id = %s "
            "AND enrollment_id = ANY(%s) ORDER BY enrollment_id",
            [school_id, year_id, sorted(class_of)],
        )
        current: int | None = None
        cells: dict[tuple[int, int], list[Any]] = {}
        while batch := cursor.fetchmany(20_000):
            for enrollment_id, subject_id, semester, kind, index, value, text in batch:
                if enrollment_id != current:
                    if current is not None:
                        yield current, build(current, cells)
                    current, cells = enrollment_id, {}
                mark = value if value is not None else comment_values.get(text)
                if mark is None:  # not entered (D6)
                    continue
                slot = cells.get((subject_id, semester))
                if slot is None:
                    slot = cells[(subject_id, semester)] = [[], None, None]
                if kind == "regular":
                    slot[0].append((index, mark))
                elif kind == "midterm":
                    slot[1] = mark
                else:
                    slot[2] = mark
        if current is not None:
            yield current, build(current, cells)


def _evaluate(item: tuple[int, int, tuple[int, int], bool]) -> dict[str, Any]:
    """One work item in a worker process: evaluate the students of a school (part)."""
    from django.db import connection

    from hoso.rules.registry import rulebook

    school_id, year_id, part, keep = item
    cpu_started = time.process_time()
    students = 0
    build = 0.0
    kept: dict[tuple[int, str], Any] = {}
    inputs = _school_inputs(school_id, year_id, part)
    while True:
        t = time.perf_counter()
        found = next(inputs, None)
        build += time.perf_counter() - t
        if found is None:
            break
        enrollment_id, student = found
        evaluation = rulebook(student.regulation)(student)
        students += 1
        if keep:
            for outcome in evaluation.subjects:
                kept[(enrollment_id, outcome.code)] = outcome.year
    connection.close()
    return {
        "students": students,
        "cpu": time.process_time() - cpu_started,
        "build": build,
        "kept": kept,
    }


def _worker_init() -> None:
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        conn.inner_connection = None  # the parent's socket is not ours: never touch it
        conn.connection = None


def engine_pass(school_ids: list[int], year_id: int, *, jobs: int, keep: bool) -> dict[str, Any]:
    """Evaluate every student of the schools with ``jobs`` processes (a school is split by class
    when there are fewer schools than processes)."""
    import multiprocessing as mp

    from django.db import connection

    parts = jobs if len(school_ids) < jobs else 1
    items = [
        (school_id, year_id, (k, parts), keep and school_id == school_ids[0])
        for school_id in school_ids
        for k in range(parts)
    ]
    connection.close()
    started = time.perf_counter()
    if jobs > 1:
        with mp.get_context("fork").Pool(jobs, initializer=_worker_init) as pool:
            outcomes = pool.map(_evaluate, items, chunksize=1)
    else:
        outcomes = [_evaluate(item) for item in items]
    seconds = time.perf_counter() - started
    students = sum(o["students"] for o in outcomes)
    cpu = sum(o["cpu"] for o in outcomes)
    kept: dict[tuple[int, str], Any] = {}
    for outcome in outcomes:
        kept.update(outcome["kept"])
    return {
        "jobs": jobs,
        "students": students,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "students_per_second": students / seconds if seconds else 0,
        "students_per_cpu_second": students / cpu if cpu else 0,
        "seconds_loading_and_building": sum(o["build"] for o in outcomes),
        "_kept": kept,
    }


SQL_PASS = """
WITH semester AS (
    SELECT enrollment_id, subject_id, semester,
           round((coalesce(sum(value) FILTER (WHERE kind = 'regular'), 0)
                  + 2 * max(value) FILTER (WHERE kind = 'midterm')
                  + 3 * max(value) FILTER (WHERE kind = 'final'))
                 / (count(*) FILTER (WHERE kind = 'regular') + 5), 1) AS average
    FROM assessment_mark
    WHERE school_id = ANY(%s) AND year_id = %s AND value IS NOT NULL
    GROUP BY enrollment_id, subject_id, semester
)
SELECT enrollment_id, subject_id,
       round((max(average) FILTER (WHERE semester = 1)
              + 2 * max(average) FILTER (WHERE semester = 2)) / 3, 1) AS year_average
FROM semester GROUP BY enrollment_id, subject_id
"""


def sql_pass(school_ids: list[int], year_id: int) -> dict[str, Any]:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(SQL_PASS, [school_ids, year_id])
        rows = cursor.fetchall()
    seconds = time.perf_counter() - started
    students = len({r[0] for r in rows})
    return {
        "students": students,
        "rows": len(rows),
        "seconds": seconds,
        "students_per_second": students / seconds if seconds else 0,
        "_rows": rows,
    }


def agreement(kept: dict[tuple[int, str], Any], rows: list[tuple[int, int, Any]]) -> dict[str, int]:
    """Year averages of score subjects: engine vs SQL, on the first school."""
    from hoso.academics.models import Subject

    codes = dict(Subject.objects.values_list("id", "code"))
    checked = differ = 0
    for enrollment_id, subject_id, year_average in rows:
        key = (enrollment_id, codes[subject_id])
        if key not in kept:
            continue
        checked += 1
        if kept[key] != year_average:
            differ += 1
    return {"checked": checked, "differ": differ}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--school", default="BS0001")
    parser.add_argument("--province", action="store_true", help="also every school")
    parser.add_argument("--jobs", type=int, default=2, help="processes (this machine: 2 cores)")
    args = parser.parse_args(argv)
    setup_django(database_url(args.database_url))
    from hoso.academics.models import SchoolYear
    from hoso.organizations.models import Unit

    year_id = SchoolYear.objects.get(name="2025-2026").id
    school = Unit.objects.get(code=args.school)
    scopes = [("school", [school.id])]
    if args.province:
        everyone = list(Unit.objects.filter(kind="school").order_by("id").values_list("id", flat=1))
        scopes.append(("province", everyone))
    data: dict[str, Any] = {"command": command_line()}
    for label, school_ids in scopes:
        engine = engine_pass(school_ids, year_id, jobs=args.jobs, keep=label == "school")
        sql = sql_pass(school_ids, year_id)
        check = agreement(engine.pop("_kept"), sql.pop("_rows"))
        ratio = engine["students_per_second"] / sql["students_per_second"]
        data[label] = {"schools": len(school_ids), "engine": engine, "sql": sql,
                       "ratio": ratio, "agreement": check}  # fmt: skip
        say(
            f"year-end {label} ({len(school_ids)} schools): {engine['students']} students in "
            f"{engine['seconds']:.1f} s = {engine['students_per_second']:,.0f} students/s "
            f"({engine['students_per_cpu_second']:,.0f} per CPU second, all processes) "
            f"with {engine['jobs']} processes; SQL pass {sql['seconds']:.2f} s = "
            f"{sql['students_per_second']:,.0f} students/s; engine/SQL = {ratio:.3f}; "
            f"year averages checked {check['checked']}, differing {check['differ']}"
        )
    data["peak_rss_mib"] = peak_rss_mib()
    result_write("year_end", data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
