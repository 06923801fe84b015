"""Deadline day (issue 9): many teachers saving whole columns at once.

    .venv/bin/python -m bench.deadline_day [--users 60] [--seconds 60] [--processes 2]

Three measurements on the same bench database, in one run:
1. raw PostgreSQL (:mod:`bench.raw_pg`): the same rows and chained event with no application code;
2. service level: ``hoso.assessment.services.marks_save`` in ``--service-workers`` processes,
   whole regular columns of semester 2 with the versions they read;
3. HTTP: gunicorn (``hoso.config.wsgi``, 4 workers, ``DEBUG=false``) on 127.0.0.1:8001 and
   Locust headless with ``--processes`` worker processes: teachers log in, open their grid and
   save columns; some pairs edit the same cells (409 stale refusals are expected and counted).

Afterwards the check: every accepted cell's last version and text is what the database holds
(no write lost or silently overwritten), each accepted version has exactly one revision (none
duplicated), one ``marks.saved`` event per accepted save, and ``audit_verify`` passes.
"""

from __future__ import annotations

import argparse
import csv
import glob
import json
import multiprocessing as mp
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench import raw_pg
from bench.common import (
    BENCH_VAR,
    REPO,
    command_line,
    database_url,
    percentile,
    result_write,
    say,
    setup_django,
)
from bench.generate import PASSWORD

HTTP_PORT = 8001
BASE_URL = f"http://127.0.0.1:{HTTP_PORT}"


# --- service level ------------------------------------------------------------------------------


def _service_worker(
    url: str, assignment_ids: list[int], seconds: float, seed: int, queue: mp.Queue[Any]
) -> None:
    setup_django(url)
    from django.db import connection

    from hoso.academics.models import TeachingAssignment
    from hoso.assessment.models import Mark
    from hoso.assessment.selectors import group_enrollments
    from hoso.assessment.services import CellInput, marks_save

    connection.close()
    rng = random.Random(seed)
    assignments = list(
        TeachingAssignment.objects.filter(id__in=assignment_ids).select_related(
            "subject", "group", "school", "year", "teacher"
        )
    )
    rosters = {a.id: [e.id for e in group_enrollments(a.group)] for a in assignments}
    versions: dict[tuple[int, int, str, int], int] = {}
    for a in assignments:
        for enrollment_id, kind, index, version in Mark.objects.filter(
            enrollment_id__in=rosters[a.id], subject_id=a.subject_id, semester=2
        ).values_list("enrollment_id", "kind", "index", "version"):
            versions[(a.id, enrollment_id, kind, index)] = version
    latencies: list[float] = []
    saves = marks = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        assignment = rng.choice(assignments)
        index = rng.randint(1, assignment.subject.regular_marks or 2)
        cells = [
            CellInput(
                enrollment_id,
                "regular",
                index,
                f"{rng.randrange(0, 21) / 2:.1f}".replace(".", ","),
                versions.get((assignment.id, enrollment_id, "regular", index), 0),
            )
            for enrollment_id in rosters[assignment.id]
        ]
        started = time.perf_counter()
        result = marks_save(
            actor=assignment.teacher, assignment=assignment, semester=2, cells=cells, source="bench"
        )
        latencies.append(time.perf_counter() - started)
        for cell in result.saved:
            versions[(assignment.id, cell.enrollment_id, cell.kind, cell.index)] = cell.version
        saves += 1
        marks += len(result.saved)
    queue.put({"saves": saves, "marks": marks, "latencies": latencies})


def service_rate(url: str, *, workers: int, seconds: float) -> dict[str, Any]:
    from django.db import connection

    from hoso.academics.models import TeachingAssignment

    ids = list(
        TeachingAssignment.objects.filter(subject__assessment="score")
        .order_by("id")
        .values_list("id", flat=True)
    )
    random.Random(11).shuffle(ids)
    connection.close()
    context = mp.get_context("fork")
    queue: mp.Queue[Any] = context.Queue()
    processes = [
        context.Process(
            target=_service_worker, args=(url, ids[n::workers][:400], seconds, 500 + n, queue)
        )
        for n in range(workers)
    ]
    for process in processes:
        process.start()
    outcomes = [queue.get(timeout=seconds + 300) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    latencies = [lat for o in outcomes for lat in o["latencies"]]
    saves = sum(o["saves"] for o in outcomes)
    marks = sum(o["marks"] for o in outcomes)
    return {
        "workers": workers,
        "saves": saves,
        "marks": marks,
        "saves_per_second": saves / seconds,
        "marks_per_column": marks / saves if saves else 0,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


# --- HTTP ---------------------------------------------------------------------------------------


def _session_for(user_id: int) -> str:
    """A logged-in session of the teacher, made as ``django.contrib.auth.login`` makes it.

    The measured window is about saving: logging 60 teachers in through the form costs an
    Argon2 hash each (~100 MB and a noticeable share of a core), which on 2 cores would fill the
    first minute. The login form itself is exercised by the first user of the plan."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from hoso.accounts.models import User

    user = User.objects.get(pk=user_id)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    assert store.session_key is not None
    return store.session_key


def locust_plan(users: int, twins_every: int) -> list[dict[str, Any]]:
    """One slot per Locust user: a teacher's login, one assignment (score subject, studying
    students), its regular columns. Every ``twins_every``-th slot repeats the previous one's
    assignment and teacher: the same cells edited from two sessions."""
    from hoso.academics.models import TeachingAssignment
    from hoso.assessment.selectors import group_enrollments

    candidates = list(
        TeachingAssignment.objects.filter(subject__assessment="score")
        .select_related("teacher", "subject", "group")
        .order_by("id")
    )
    rng = random.Random(3)
    rng.shuffle(candidates)
    by_teacher: dict[int, Any] = {}
    for assignment in candidates:  # one assignment per teacher (a teacher opens one grid)
        by_teacher.setdefault(assignment.teacher_id, assignment)
    chosen = list(by_teacher.values())
    plan: list[dict[str, Any]] = []
    for slot in range(users):
        if twins_every and slot % twins_every == twins_every - 1 and plan:
            twin = plan[-1]
            plan.append({**twin, "twin": True, "session": _session_for(twin["user_id"])})
            continue
        assignment = chosen[len([p for p in plan if not p.get("twin")]) % len(chosen)]
        plan.append(
            {
                "username": assignment.teacher.username,
                "password": PASSWORD,
                "user_id": assignment.teacher.id,
                "session": _session_for(assignment.teacher.id),
                "assignment": str(assignment.uuid),
                "enrollments": [str(e.uuid) for e in group_enrollments(assignment.group)],
                "columns": list(range(1, (assignment.subject.regular_marks or 2) + 1)),
                "twin": False,
            }
        )
    return plan


def _wait_for(url: str, seconds: float) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return True
        except Exception:
            time.sleep(0.5)
    return False


def gunicorn_start(url: str, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "CSRF_TRUSTED_ORIGINS": BASE_URL,
        "HOSO_DEMO": "true",
        "DB_CONN_MAX_AGE": "60",
        "HOSO_API_RATE_USER": "100000/minute",
        "LOG_LEVEL": "WARNING",
        "HOSO_VAR_DIR": str(BENCH_VAR),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
        env=env,
        check=True,
        cwd=REPO,
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "hoso.config.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{HTTP_PORT}",
         "--access-logfile", "-", "--log-level", "warning", "--timeout", "120"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    if not _wait_for(BASE_URL + "/dang-nhap/", 60):
        gunicorn_stop(process)
        raise RuntimeError("gunicorn did not answer on " + BASE_URL)
    return process


def gunicorn_stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def locust_run(
    *, users: int, seconds: int, processes: int, plan: list[dict[str, Any]], workdir: Path
) -> dict[str, Any]:
    plan_file = workdir / "plan.json"
    plan_file.write_text(json.dumps(plan))
    log_prefix = workdir / "saves"
    locust = Path(sys.executable).with_name("locust")
    args = [
        str(locust), "-f", str(REPO / "bench" / "locustfile.py"), "--headless",
        "--host", BASE_URL, "-u", str(users), "-r", str(max(1, users // 5)),
        "--run-time", f"{seconds}s", "--stop-timeout", "10", "--processes", str(processes),
        "--csv", str(workdir / "locust"), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {
        **os.environ,
        "BENCH_LOCUST_PLAN": str(plan_file),
        "BENCH_LOCUST_LOG": str(log_prefix),
        "BENCH_LOCUST_PROCESSES": str(processes),
    }
    started = time.time()
    completed = subprocess.run(
        args, env=env, cwd=REPO, capture_output=True, text=True, timeout=seconds + 180
    )
    elapsed = time.time() - started
    stats: dict[str, dict[str, str]] = {}
    with open(workdir / "locust_stats.csv") as handle:
        for row in csv.DictReader(handle):
            stats[row["Name"]] = row
    records: list[dict[str, Any]] = []
    counts = {"stale": 0, "saved": 0, "other": 0}
    for path in glob.glob(f"{log_prefix}-*.jsonl"):
        for line in Path(path).read_text().splitlines():
            record = json.loads(line)
            if "counts" in record:
                for key, value in record["counts"].items():
                    counts[key] += value
            else:
                records.append(record)
    save = stats.get("save column", {})
    grid = stats.get("open grid", {})
    measured = float(save.get("Request Count", 0) or 0)
    return {
        "users": users,
        "processes": processes,
        "seconds": seconds,
        "wall_seconds": elapsed,
        "exit_code": completed.returncode,
        "stderr_tail": completed.stderr[-2000:],
        "save_requests": int(measured),
        "saves_accepted": counts["saved"],
        "saves_stale_409": counts["stale"],
        "saves_failed": counts["other"],
        "error_rate": counts["other"] / measured if measured else None,
        "stale_rate": counts["stale"] / measured if measured else None,
        "saves_per_second": counts["saved"] / seconds,
        "requests_per_second": float(save.get("Requests/s", 0) or 0),
        "p50_ms": float(save.get("50%", "nan") or "nan"),
        "p95_ms": float(save.get("95%", "nan") or "nan"),
        "p99_ms": float(save.get("99%", "nan") or "nan"),
        "grid_requests": int(float(grid.get("Request Count", 0) or 0)),
        "grid_p50_ms": float(grid.get("50%", "nan") or "nan"),
        "grid_p95_ms": float(grid.get("95%", "nan") or "nan"),
        "all_failures": int(sum(float(r.get("Failure Count", 0) or 0) for r in stats.values())),
        "_records": records,
    }


def check_writes(records: list[dict[str, Any]], since_event_id: int) -> dict[str, Any]:
    """Every accepted cell against the database and its revisions (this run's only).

    - lost: an accepted (cell, version, text) with no revision of that version and text;
    - duplicated: two revisions of one mark with the same version;
    - gaps: a mark whose versions in this run skip a number (a write vanished);
    - overwritten: a mark whose current value is not the text of the revision of its current
      version (a value that no save wrote).
    Saves still in flight when Locust stopped are committed by the server but never logged by
    the client: they show as events beyond the accepted saves ("unacknowledged"), not as errors.
    """
    from hoso.academics.models import Enrollment, TeachingAssignment
    from hoso.assessment.models import Mark, MarkRevision
    from hoso.audit.models import AuditEvent
    from hoso.audit.verify import verify_chains

    assignments = {
        str(a.uuid): a
        for a in TeachingAssignment.objects.filter(
            uuid__in={r["assignment"] for r in records}
        ).select_related("subject")
    }
    enrollment_ids = {
        str(u): pk
        for pk, u in Enrollment.objects.filter(
            uuid__in={c[0] for r in records for c in r["saved"]}
        ).values_list("id", "uuid")
    }
    accepted: dict[tuple[int, int, str, int], dict[int, str]] = {}
    for record in records:
        subject_id = assignments[record["assignment"]].subject_id
        for enrollment, kind, index, version, text in record["saved"]:
            key = (enrollment_ids[enrollment], subject_id, kind, index)
            accepted.setdefault(key, {})[version] = text
    revisions: dict[int, dict[int, list[str]]] = {}
    for mark_id, version, text in MarkRevision.objects.filter(
        event_id__gt=since_event_id
    ).values_list("mark_id", "version", "new_text"):
        revisions.setdefault(mark_id, {}).setdefault(version, []).append(text)
    marks = {
        m[0]: m
        for m in Mark.objects.filter(id__in=list(revisions)).values_list(
            "id", "enrollment_id", "subject_id", "kind", "index", "version", "value", "comment"
        )
    }
    by_key = {(m[1], m[2], m[3], m[4]): m for m in marks.values()}
    lost = overwritten = duplicated = gaps = 0
    for key, versions in accepted.items():
        mark = by_key.get(key)
        written = revisions.get(mark[0], {}) if mark else {}
        for version, text in versions.items():
            if text not in written.get(version, []):
                lost += 1
    for mark_id, written in revisions.items():
        duplicated += sum(len(texts) - 1 for texts in written.values())
        numbers = sorted(written)
        if numbers != list(range(numbers[0], numbers[-1] + 1)):
            gaps += 1
        mark = marks[mark_id]
        shown = mark[7] if mark[6] is None else format(mark[6], "f").replace(".", ",")
        if mark[5] in written and shown not in written[mark[5]]:
            overwritten += 1
        if mark[5] != numbers[-1]:
            overwritten += 1  # a newer version than any revision of this run: written elsewhere
    accepted_saves = sum(1 for r in records if r["saved"])
    events = AuditEvent.objects.filter(id__gt=since_event_id, action="marks.saved").count()
    report = verify_chains()
    return {
        "cells_accepted": sum(len(v) for v in accepted.values()),
        "distinct_cells": len(accepted),
        "lost": lost,
        "overwritten": overwritten,
        "duplicated_versions": duplicated,
        "version_gaps": gaps,
        "revision_mismatch": gaps,
        "accepted_saves": accepted_saves,
        "events_written": events,
        "unacknowledged_saves": events - accepted_saves,
        "events_match": events >= accepted_saves,
        "audit_verify_ok": report.ok,
        "audit_events_verified": report.events,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--processes", type=int, default=2, help="Locust worker processes")
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--raw-workers", type=int, default=4)
    parser.add_argument("--service-workers", type=int, default=4)
    parser.add_argument("--phase-seconds", type=float, default=15, help="raw and service runs")
    parser.add_argument("--twins-every", type=int, default=10)
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args(argv)
    url = database_url(args.database_url)
    setup_django(url)
    from django.db import connection
    from django.db.models import Max

    from hoso.audit.models import AuditEvent

    data: dict[str, Any] = {"command": command_line()}
    columns = raw_pg.load_columns(url)
    raw = raw_pg.raw_rate(
        url, workers=args.raw_workers, seconds=args.phase_seconds, columns=columns
    )
    data["raw_pg"] = raw
    say(
        f"raw PostgreSQL: {raw['saves_per_second']:.0f} column saves/s "
        f"({raw['marks_per_column']:.1f} marks), p95 {raw['p95_ms']:.0f} ms"
    )
    service = service_rate(url, workers=args.service_workers, seconds=args.phase_seconds)
    data["service"] = service
    data["service"]["ratio_to_raw"] = service["saves_per_second"] / raw["saves_per_second"]
    say(
        f"service marks_save: {service['saves_per_second']:.0f} column saves/s, "
        f"p50 {service['p50_ms']:.0f} ms, p95 {service['p95_ms']:.0f} ms "
        f"({data['service']['ratio_to_raw']:.0%} of raw)"
    )
    if not args.skip_http:
        since = AuditEvent.objects.aggregate(top=Max("id"))["top"] or 0
        plan = locust_plan(args.users, args.twins_every)
        connection.close()
        server = gunicorn_start(url, args.gunicorn_workers)
        try:
            with tempfile.TemporaryDirectory(prefix="bench-locust-") as tmp:
                http = locust_run(
                    users=args.users,
                    seconds=args.seconds,
                    processes=args.processes,
                    plan=plan,
                    workdir=Path(tmp),
                )
        finally:
            gunicorn_stop(server)
        records = http.pop("_records")
        http["ratio_to_raw"] = http["saves_per_second"] / raw["saves_per_second"]
        http["check"] = check_writes(records, since)
        data["http"] = http
        check = http["check"]
        say(
            f"HTTP (gunicorn ×{args.gunicorn_workers}, Locust {args.users} users × "
            f"{args.processes} processes, {args.seconds} s): {http['saves_per_second']:.0f} "
            f"accepted column saves/s, p50 {http['p50_ms']:.0f} ms, p95 {http['p95_ms']:.0f} ms, "
            f"p99 {http['p99_ms']:.0f} ms; 409 stale {http['saves_stale_409']}, errors "
            f"{http['saves_failed']} ({http['all_failures']} failed requests); "
            f"{http['ratio_to_raw']:.0%} of raw"
        )
        say(
            f"check: {check['cells_accepted']} accepted cells, lost {check['lost']}, "
            f"overwritten {check['overwritten']}, duplicated {check['duplicated_versions']}, "
            f"version gaps {check['version_gaps']}, events {check['events_written']} "
            f"for {check['accepted_saves']} acknowledged saves "
            f"({check['unacknowledged_saves']} in flight at the stop), audit_verify "
            f"{'ok' if check['audit_verify_ok'] else 'BROKEN'}"
        )
    result_write("deadline_day", data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
