"""The database's own limit for a column save, with no application code (issue 9).

    .venv/bin/python -m bench.raw_pg --workers 4 --seconds 15 [--pgbench]

Each worker process holds one connection and repeats the minimal column save: in one
transaction, lock the column's 45 marks (``SELECT … FOR UPDATE`` in id order), check their
versions, update them (one statement), insert 45 ``MarkRevision`` rows (one statement), lock the
school's audit chain head (the per-school lock), append one hash-chained ``marks.saved`` event
(SHA-256 over the same canonical JSON as :mod:`hoso.audit.hashing`, so ``audit_verify`` still
passes) and move the chain head. Workers take disjoint teaching assignments (no version
conflicts), spread over every school of the bench database.

``--pgbench`` adds PostgreSQL's own ``pgbench -S`` (select-only) and ``-N`` (simple update) on a
scratch database, as a reference for this machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import multiprocessing as mp
import random
import re
import subprocess
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import psycopg

from bench.common import (
    admin_url,
    command_line,
    database_url,
    libpq_url,
    percentile,
    result_write,
    say,
)

GENESIS = "0" * 64


@dataclass
class Column:
    assignment_id: int
    assignment_uuid: str
    school_id: int
    teacher_id: int
    username: str
    kind: str
    index: int
    mark_ids: list[int]


def canonical_json(payload: Any) -> bytes:
    # The formula of hoso.audit.hashing.canonical_json (kept free of Django imports here).
    import json

    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def load_columns(url: str, *, limit: int | None = None) -> list[Column]:
    """Semester-2 regular columns of score subjects (one per assignment and regular index)."""
    with psycopg.connect(libpq_url(url)) as conn:
        rows = conn.execute(
            """
            SELECT ta.id, ta.uuid::text, ta.school_id, ta.teacher_id, u.username, m.index,
                   array_agg(m.id ORDER BY m.id)
            FROM academics_teachingassignment ta
            JOIN academics_subject s ON s.id = ta.subject_id AND s.assessment = 'score'
            JOIN academics_teachinggroup g ON g.id = ta.group_id
            JOIN academics_enrollment e ON e.school_class_id = g.school_class_id
            JOIN assessment_mark m ON m.enrollment_id = e.id AND m.subject_id = ta.subject_id
                 AND m.semester = 2 AND m.kind = 'regular'
            JOIN accounts_user u ON u.id = ta.teacher_id
            GROUP BY ta.id, u.username, m.index
            ORDER BY ta.id, m.index
            """
        ).fetchall()
    columns = [
        Column(r[0], r[1], r[2], r[3], r[4], "regular", r[5], list(r[6])) for r in rows if r[6]
    ]
    return columns[:limit] if limit else columns


def _worker(
    url: str, columns: list[Column], seconds: float, seed: int, queue: mp.Queue[Any]
) -> None:
    rng = random.Random(seed)
    latencies: list[float] = []
    saves = marks = 0
    versions: dict[int, int] = {}
    with psycopg.connect(libpq_url(url)) as conn:
        conn.execute("SET synchronous_commit = on")
        for column in columns:  # the versions this worker's screen shows
            for mark_id, version in conn.execute(
                "SELECT id, version FROM assessment_mark WHERE id = ANY(%s)", [column.mark_ids]
            ):
                versions[mark_id] = version
        conn.commit()
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            column = rng.choice(columns)
            started = time.perf_counter()
            values = [Decimal(rng.randrange(0, 21)) / 2 for _ in column.mark_ids]
            with conn.transaction():
                found = conn.execute(
                    "SELECT id, version, value FROM assessment_mark WHERE id = ANY(%s) "
                    "ORDER BY id FOR UPDATE",
                    [column.mark_ids],
                ).fetchall()
                if any(versions[mark_id] != version for mark_id, version, _ in found):
                    raise RuntimeError("stale column in the raw benchmark (workers overlap)")
                now = dt.datetime.now(dt.UTC)
                old = {mark_id: value for mark_id, _, value in found}
                conn.execute(
                    """
                    UPDATE assessment_mark AS m SET value = v.value, version = m.version + 1,
                           state = 'draft', entered_by_id = %s, entered_at = %s
                    FROM unnest(%s::bigint[], %s::numeric[], %s::int[]) AS v(id, value, version)
                    WHERE m.id = v.id AND m.version = v.version
                    """,
                    [
                        column.teacher_id,
                        now,
                        column.mark_ids,
                        values,
                        [versions[i] for i in column.mark_ids],
                    ],
                )
                chain = conn.execute(
                    "SELECT id, last_seq, last_hash FROM audit_auditchain WHERE unit_id = %s "
                    "FOR UPDATE",
                    [column.school_id],
                ).fetchone()
                assert chain is not None
                chain_id, last_seq, last_hash = chain
                texts = [format(v, "f").replace(".", ",") for v in values]
                changes = [
                    {
                        "object": f"mark:{mark_id}",
                        "field": "value",
                        "old": None if old[mark_id] is None else str(old[mark_id]),
                        "new": text,
                    }
                    for mark_id, text in zip(column.mark_ids, texts, strict=True)
                ]
                event_uuid = str(uuid.uuid4())
                payload = {
                    "v": 1,
                    "uuid": event_uuid,
                    "unit": column.school_id,
                    "seq": last_seq + 1,
                    "prev_hash": last_hash,
                    "occurred_at": now.isoformat(timespec="microseconds"),
                    "actor": column.teacher_id,
                    "actor_username": column.username,
                    "ip_address": "",
                    "user_agent": "bench.raw_pg",
                    "action": "marks.saved",
                    "target_type": "teaching_assignment",
                    "target_id": column.assignment_uuid,
                    "summary": f"raw column save ({len(values)} marks)",
                    "changes": changes,
                    "reason": "",
                    "approval_ref": None,
                    "school_year": "2025-2026",
                }
                digest = hashlib.sha256(canonical_json(payload)).hexdigest()
                event_id = conn.execute(
                    """
                    INSERT INTO audit_auditevent (uuid, chain_id, unit_id, seq, prev_hash, hash,
                        occurred_at, actor_id, actor_username, ip_address, user_agent, action,
                        target_type, target_id, summary, changes, reason, approval_ref,
                        school_year)
                    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, '', 'bench.raw_pg', 'marks.saved',
                        'teaching_assignment', %s, %s, %s, '', NULL, '2025-2026')
                    RETURNING id
                    """,
                    [
                        event_uuid,
                        chain_id,
                        column.school_id,
                        last_seq + 1,
                        last_hash,
                        digest,
                        now,
                        column.teacher_id,
                        column.username,
                        column.assignment_uuid,
                        payload["summary"],
                        psycopg.types.json.Jsonb(changes),
                    ],
                ).fetchone()[0]  # type: ignore[index]
                conn.execute(
                    """
                    INSERT INTO assessment_markrevision (mark_id, school_id, old_text, new_text,
                        old_state, new_state, version, changed_by_id, changed_at, event_id, reason)
                    SELECT v.id, %s, coalesce(replace(v.old::text, '.', ','), ''), v.new,
                           'draft', 'draft', v.version + 1, %s, %s, %s, ''
                    FROM unnest(%s::bigint[], %s::numeric[], %s::text[], %s::int[])
                         AS v(id, old, new, version)
                    """,
                    [
                        column.school_id,
                        column.teacher_id,
                        now,
                        event_id,
                        column.mark_ids,
                        [old[i] for i in column.mark_ids],
                        texts,
                        [versions[i] for i in column.mark_ids],
                    ],
                )
                conn.execute(
                    "UPDATE audit_auditchain SET last_seq = %s, last_hash = %s WHERE id = %s",
                    [last_seq + 1, digest, chain_id],
                )
            for mark_id in column.mark_ids:
                versions[mark_id] += 1
            latencies.append(time.perf_counter() - started)
            saves += 1
            marks += len(column.mark_ids)
    queue.put({"saves": saves, "marks": marks, "latencies": latencies})


def raw_rate(url: str, *, workers: int, seconds: float, columns: list[Column]) -> dict[str, Any]:
    """Column saves per second with ``workers`` processes for ``seconds``."""
    by_assignment: dict[int, list[Column]] = {}
    for column in columns:
        by_assignment.setdefault(column.assignment_id, []).append(column)
    assignments = sorted(by_assignment)
    random.Random(7).shuffle(assignments)
    shares: list[list[Column]] = [[] for _ in range(workers)]
    for number, assignment_id in enumerate(assignments):
        shares[number % workers].extend(by_assignment[assignment_id])
    context = mp.get_context("fork")
    queue: mp.Queue[Any] = context.Queue()
    processes = [
        context.Process(target=_worker, args=(url, share, seconds, 1000 + n, queue))
        for n, share in enumerate(shares)
    ]
    started = time.perf_counter()
    for process in processes:
        process.start()
    outcomes = [queue.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    elapsed = time.perf_counter() - started
    latencies = [lat for o in outcomes for lat in o["latencies"]]
    saves = sum(o["saves"] for o in outcomes)
    marks = sum(o["marks"] for o in outcomes)
    return {
        "workers": workers,
        "seconds": elapsed,
        "saves": saves,
        "marks": marks,
        "saves_per_second": saves / seconds,
        "marks_per_column": marks / saves if saves else 0,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


PGBENCH_DB = "hoso_pgbench"


def pgbench(url: str, *, seconds: int, clients: int) -> dict[str, Any]:
    """PostgreSQL's own benchmark on a scratch database: select-only and simple-update tps."""
    scratch = re.sub(r"/[^/]*$", f"/{PGBENCH_DB}", libpq_url(url))
    with psycopg.connect(libpq_url(admin_url(url)), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PGBENCH_DB}")
        conn.execute(f"CREATE DATABASE {PGBENCH_DB}")
    subprocess.run(["pgbench", "-i", "-q", "-s", "10", scratch], check=True, capture_output=True)
    figures: dict[str, Any] = {"scale": 10, "clients": clients, "seconds": seconds}
    for mode in ("-S", "-N"):
        out = subprocess.run(
            ["pgbench", mode, "-c", str(clients), "-j", "2", "-T", str(seconds), scratch],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        match = re.search(r"tps = ([\d.]+)", out)
        latency = re.search(r"latency average = ([\d.]+) ms", out)
        figures[mode] = {
            "tps": float(match.group(1)) if match else None,
            "latency_ms": float(latency.group(1)) if latency else None,
            "command": f"pgbench {mode} -c {clients} -j 2 -T {seconds} {PGBENCH_DB}",
        }
    with psycopg.connect(libpq_url(admin_url(url)), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PGBENCH_DB}")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--workers", type=int, nargs="+", default=[4])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--pgbench", action="store_true")
    args = parser.parse_args(argv)
    url = database_url(args.database_url)
    columns = load_columns(url)
    runs = []
    for workers in args.workers:
        figures = raw_rate(url, workers=workers, seconds=args.seconds, columns=columns)
        runs.append(figures)
        say(
            f"raw PostgreSQL, {workers} workers: {figures['saves_per_second']:.0f} column saves/s "
            f"({figures['marks_per_column']:.1f} marks each), p50 {figures['p50_ms']:.1f} ms, "
            f"p95 {figures['p95_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms"
        )
    data: dict[str, Any] = {"command": command_line(), "runs": runs}
    if args.pgbench:
        data["pgbench"] = pgbench(url, seconds=10, clients=4)
        for mode in ("-S", "-N"):
            say(f"pgbench {mode}: {data['pgbench'][mode]['tps']} tps")
    result_write("raw_pg", data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
